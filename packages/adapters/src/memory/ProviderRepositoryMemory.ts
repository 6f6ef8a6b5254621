import { Effect, Layer, Option } from "effect"
import { CatalogueStoreUnavailable } from "@nelo/domain/catalogue/errors"
import type { Provider } from "@nelo/domain/catalogue/Provider"
import { type NearbyRow, ProviderRepository } from "@nelo/domain/catalogue/ProviderRepository"
import { searchableName } from "@nelo/domain/catalogue/searchableName"
import type { GeoPoint } from "@nelo/domain/geo/GeoPoint"
import { haversineMeters } from "@nelo/domain/geo/haversineMeters"
import { ZoneRepository } from "@nelo/domain/geo/ZoneRepository"
import { isUuid } from "../postgres/isUuid.ts"
import { recordUndo } from "./memoryTransaction.ts"

/**
 * Code point order, which is the byte order of UTF-8 and so that of collation "C" in Postgres.
 * (JavaScript's `<` compares UTF-16 units: it differs only for characters beyond U+FFFF.)
 */
export const compareCodePoints = (a: string, b: string): number => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"))

const byNameThenId = (a: { searchName: string; id: string }, b: { searchName: string; id: string }) =>
  compareCodePoints(a.searchName, b.searchName) || compareCodePoints(a.id, b.id)

const byDistanceThenId = (a: { distanceM: number; id: string }, b: { distanceM: number; id: string }) =>
  a.distanceM - b.distanceM || compareCodePoints(a.id, b.id)

/** In-memory providers for unit tests; zones come from whatever ZoneRepository is provided. */
export const ProviderRepositoryMemory = Layer.effect(ProviderRepository, Effect.gen(function*() {
  const zones = yield* ZoneRepository
  const providers = new Map<string, Provider>()
  const zoneOf = (point: GeoPoint) =>
    zones.zoneAt(point).pipe(
      Effect.map(Option.match({ onNone: () => null, onSome: (zone) => ({ id: zone.zoneId, slug: zone.zoneSlug, name: zone.zoneName }) })),
      Effect.mapError((error) => new CatalogueStoreUnavailable({ cause: error }))
    )
  const change = (id: string, apply: (provider: Provider) => Provider) =>
    Effect.sync(() => {
      const existing = providers.get(id)
      if (!existing) return Option.none<Provider>()
      const updated = apply(existing)
      providers.set(id, updated)
      return Option.some(updated)
    })

  return ProviderRepository.of({
    create: (input) =>
      Effect.gen(function*() {
        const provider: Provider = {
          id: input.id,
          ownerId: input.ownerId,
          type: input.type,
          name: input.name,
          description: input.description,
          location: input.location,
          landmark: input.landmark,
          zone: yield* zoneOf(input.location),
          schedule: input.schedule,
          ratingSum: 0,
          ratingCount: 0
        }
        providers.set(provider.id, provider)
        return provider
      }),

    update: (id, patch) =>
      Effect.gen(function*() {
        const zone = patch.location === undefined ? undefined : yield* zoneOf(patch.location)
        return yield* change(id, (existing) => ({
          ...existing,
          type: patch.type ?? existing.type,
          name: patch.name ?? existing.name,
          description: patch.description ?? existing.description,
          landmark: patch.landmark ?? existing.landmark,
          location: patch.location ?? existing.location,
          zone: zone === undefined ? existing.zone : zone
        }))
      }),

    setHours: (id, hours) =>
      change(id, (existing) => ({ ...existing, schedule: { ...existing.schedule, weekly: hours.weekly, exceptions: hours.exceptions } })),

    setPaused: (id, paused) => change(id, (existing) => ({ ...existing, schedule: { ...existing.schedule, paused } })),

    addRating: (id, stars) =>
      Effect.suspend(() => {
        const existing = providers.get(id)
        if (existing === undefined) return Effect.void
        providers.set(id, { ...existing, ratingSum: existing.ratingSum + stars, ratingCount: existing.ratingCount + 1 })
        return recordUndo(() => providers.set(id, existing))
      }),

    findById: (id) => Effect.sync(() => Option.fromNullishOr(providers.get(id))),

    list: (query) =>
      Effect.sync(() => {
        if (query.after !== null && !isUuid(query.after.id)) return []
        const after = query.after
        return [...providers.values()]
          .map((provider) => ({ provider, searchName: searchableName(provider.name), id: provider.id }))
          .filter((entry) =>
            (query.type === undefined || entry.provider.type === query.type) &&
            (query.zoneId === undefined || entry.provider.zone?.id === query.zoneId) &&
            (query.ownerId === undefined || entry.provider.ownerId === query.ownerId) &&
            (query.nameContains === undefined || entry.searchName.includes(query.nameContains)) &&
            (after === null || byNameThenId(entry, after) > 0)
          )
          .sort(byNameThenId)
          .slice(0, query.limit)
          .map((entry) => entry.provider)
      }),

    nearby: (query) =>
      Effect.sync(() => {
        if (query.after !== null && !isUuid(query.after.id)) return []
        const after = query.after
        return [...providers.values()]
          .map((provider) => ({ provider, distanceM: haversineMeters(query.centre, provider.location), id: provider.id }))
          .filter((entry) =>
            entry.distanceM <= query.radiusM &&
            (query.type === undefined || entry.provider.type === query.type) &&
            (after === null || byDistanceThenId(entry, after) > 0)
          )
          .sort(byDistanceThenId)
          .slice(0, query.limit)
          .map(({ provider, distanceM }): NearbyRow => ({ provider, distanceM }))
      })
  })
}))
