import { Clock, Effect, Layer } from "effect"
import { CatalogueCache, menuCacheSeconds, nearbyCacheSeconds } from "@nelo/domain/catalogue/CatalogueCache"
import { expiringEntries } from "./expiringEntries.ts"

/**
 * In-memory catalogue cache for tests and local runs, with Redis's semantics: copies live under a
 * version and expire at menuCacheSeconds / nearbyCacheSeconds on Effect's Clock (so TestClock can
 * drive them). Versions here are counters that never expire, so none is ever given twice.
 * A copy is kept only at the current version (one stored under an older one could never be read),
 * so memory holds at most one copy per menu or nearby key.
 */
export const CatalogueCacheMemory = Layer.sync(CatalogueCache, () => {
  const menuVersions = new Map<string, number>()
  const menus = expiringEntries<{ readonly version: string; readonly json: string }>()
  let nearbyVersion = 0
  let nearby = expiringEntries<{ readonly version: string; readonly json: string }>()

  const menuVersion = (providerId: string) => String(menuVersions.get(providerId) ?? 0)

  return CatalogueCache.of({
    readMenu: (providerId) =>
      Effect.map(Clock.currentTimeMillis, (nowMs) => {
        const version = menuVersion(providerId)
        const copy = menus.read(providerId, nowMs)?.value
        return { version, json: copy?.version === version ? copy.json : null }
      }),
    storeMenu: (providerId, version, json) =>
      Effect.map(Clock.currentTimeMillis, (nowMs) => {
        if (version === menuVersion(providerId)) menus.write(providerId, { version, json }, nowMs + menuCacheSeconds * 1_000)
      }),
    invalidateMenu: (providerId) =>
      Effect.sync(() => {
        menuVersions.set(providerId, (menuVersions.get(providerId) ?? 0) + 1)
        menus.remove(providerId)
      }),
    readNearby: (key) =>
      Effect.map(Clock.currentTimeMillis, (nowMs) => {
        const version = String(nearbyVersion)
        const copy = nearby.read(key, nowMs)?.value
        return { version, json: copy?.version === version ? copy.json : null }
      }),
    storeNearby: (key, version, json) =>
      Effect.map(Clock.currentTimeMillis, (nowMs) => {
        if (version === String(nearbyVersion)) nearby.write(key, { version, json }, nowMs + nearbyCacheSeconds * 1_000)
      }),
    invalidateNearby: Effect.sync(() => {
      nearbyVersion++
      nearby = expiringEntries()
    })
  })
})
