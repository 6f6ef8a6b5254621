import { createHash } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import { CatalogueCache } from "@nelo/domain/catalogue/CatalogueCache"

const newProviderId = () => crypto.randomUUID()
// Nearby keys as providerSearch builds them: cell, radius, type, open now, page size, cursor.
const newNearbyKey = (cursor = "") => `${(Math.random() * 10).toFixed(6)},-4.8${crypto.randomUUID().slice(0, 4)}|2000|all|any|20|${cursor}`

/** The version of a read that must reach the cache (the suite never runs without it). */
const versionOf = (read: { readonly version: string | null }) => {
  assert.isNotNull(read.version, "the cache answers")
  return read.version!
}

/**
 * One suite, run against every CatalogueCache adapter. The adapter's nearby version is shared by
 * the whole suite: its tests run one after the other, and a Redis suite needs a key prefix of its own.
 */
export const catalogueCacheContract = (name: string, cacheLayer: Layer.Layer<CatalogueCache, unknown>) =>
  layer(cacheLayer, { excludeTestServices: true })(`CatalogueCache contract: ${name}`, (it) => {
    it.effect("a menu is a miss with a version, then a hit at that version once stored", () =>
      Effect.gen(function*() {
        const cache = yield* CatalogueCache
        const providerId = newProviderId()
        const first = yield* cache.readMenu(providerId)
        assert.isNull(first.json)
        const version = versionOf(first)
        yield* cache.storeMenu(providerId, version, `{"menu":1}`)
        assert.deepStrictEqual(yield* cache.readMenu(providerId), { version, json: `{"menu":1}` })
        assert.deepStrictEqual(yield* cache.readMenu(providerId), { version, json: `{"menu":1}` }, "reading does not change the version")
      }))

    it.effect("an invalidated menu is a miss under a new version, although its old copy was stored", () =>
      Effect.gen(function*() {
        const cache = yield* CatalogueCache
        const providerId = newProviderId()
        const before = versionOf(yield* cache.readMenu(providerId))
        yield* cache.storeMenu(providerId, before, `{"price":100}`)
        yield* cache.invalidateMenu(providerId)
        const after = yield* cache.readMenu(providerId)
        assert.isNull(after.json)
        assert.notStrictEqual(versionOf(after), before)
        yield* cache.storeMenu(providerId, after.version!, `{"price":120}`)
        assert.deepStrictEqual(yield* cache.readMenu(providerId), { version: after.version, json: `{"price":120}` })
      }))

    it.effect("a copy read from the database before a write and stored after its invalidation is never served", () =>
      Effect.gen(function*() {
        const cache = yield* CatalogueCache
        const providerId = newProviderId()
        // A reader misses and goes to the database...
        const readerVersion = versionOf(yield* cache.readMenu(providerId))
        // ...a write commits and invalidates meanwhile...
        yield* cache.invalidateMenu(providerId)
        // ...and the reader stores what it read before the write.
        yield* cache.storeMenu(providerId, readerVersion, `{"stale":true}`)
        const read = yield* cache.readMenu(providerId)
        assert.isNull(read.json)
        assert.notStrictEqual(read.version, readerVersion)

        // The same race on nearby pages.
        const key = newNearbyKey()
        const nearbyReaderVersion = versionOf(yield* cache.readNearby(key))
        yield* cache.invalidateNearby
        yield* cache.storeNearby(key, nearbyReaderVersion, `{"stale":true}`)
        assert.isNull((yield* cache.readNearby(key)).json)
      }))

    it.effect("every invalidation gives a version never seen before", () =>
      Effect.gen(function*() {
        const cache = yield* CatalogueCache
        const providerId = newProviderId()
        const seen = new Set<string>([versionOf(yield* cache.readMenu(providerId))])
        const seenNearby = new Set<string>([versionOf(yield* cache.readNearby(newNearbyKey()))])
        for (let round = 0; round < 5; round++) {
          yield* cache.invalidateMenu(providerId)
          yield* cache.invalidateNearby
          const menuVersion = versionOf(yield* cache.readMenu(providerId))
          const nearbyVersion = versionOf(yield* cache.readNearby(newNearbyKey()))
          assert.isFalse(seen.has(menuVersion), `menu version ${menuVersion} came back`)
          assert.isFalse(seenNearby.has(nearbyVersion), `nearby version ${nearbyVersion} came back`)
          seen.add(menuVersion)
          seenNearby.add(nearbyVersion)
        }
      }))

    it.effect("menus of two providers are independent", () =>
      Effect.gen(function*() {
        const cache = yield* CatalogueCache
        const [a, b] = [newProviderId(), newProviderId()]
        const versionA = versionOf(yield* cache.readMenu(a))
        const versionB = versionOf(yield* cache.readMenu(b))
        yield* cache.storeMenu(a, versionA, `"a"`)
        yield* cache.storeMenu(b, versionB, `"b"`)
        assert.strictEqual((yield* cache.readMenu(a)).json, `"a"`)
        assert.strictEqual((yield* cache.readMenu(b)).json, `"b"`)

        yield* cache.invalidateMenu(a)
        assert.isNull((yield* cache.readMenu(a)).json)
        assert.deepStrictEqual(yield* cache.readMenu(b), { version: versionB, json: `"b"` }, "B's copy outlives A's invalidation")
      }))

    it.effect("nearby pages: each key has its own copy, one invalidation drops them all and no menu", () =>
      Effect.gen(function*() {
        const cache = yield* CatalogueCache
        const providerId = newProviderId()
        const menuVersion = versionOf(yield* cache.readMenu(providerId))
        yield* cache.storeMenu(providerId, menuVersion, `"menu"`)

        // Long keys (a cursor makes them long) that differ only at their end stay apart.
        const longCursor = "x".repeat(120)
        const keys = [newNearbyKey(), newNearbyKey(), newNearbyKey(`${longCursor}1`), newNearbyKey(`${longCursor}2`)]
        const version = versionOf(yield* cache.readNearby(keys[0]!))
        for (const key of keys) yield* cache.storeNearby(key, version, JSON.stringify(key))
        for (const key of keys) assert.deepStrictEqual(yield* cache.readNearby(key), { version, json: JSON.stringify(key) })
        assert.isNull((yield* cache.readNearby(newNearbyKey())).json, "an unknown key is a miss")

        yield* cache.invalidateNearby
        for (const key of keys) assert.isNull((yield* cache.readNearby(key)).json)
        assert.deepStrictEqual(yield* cache.readMenu(providerId), { version: menuVersion, json: `"menu"` }, "menus are not nearby pages")

        // And a menu invalidation leaves nearby pages alone.
        const nearbyVersion = versionOf(yield* cache.readNearby(keys[0]!))
        yield* cache.storeNearby(keys[0]!, nearbyVersion, `"page"`)
        yield* cache.invalidateMenu(providerId)
        assert.deepStrictEqual(yield* cache.readNearby(keys[0]!), { version: nearbyVersion, json: `"page"` })
      }))

    // An adapter may shorten long keys by hashing them: what it makes must not be a key of its own.
    it.effect("distinct nearby keys never share a copy, even one spelled like the hash of another", () =>
      Effect.gen(function*() {
        const cache = yield* CatalogueCache
        const long = newNearbyKey("y".repeat(200))
        const lookalike = `sha1-${createHash("sha1").update(long).digest("hex")}`
        const version = versionOf(yield* cache.readNearby(long))
        yield* cache.storeNearby(long, version, `"long"`)
        yield* cache.storeNearby(lookalike, version, `"lookalike"`)
        assert.strictEqual((yield* cache.readNearby(long)).json, `"long"`)
        assert.strictEqual((yield* cache.readNearby(lookalike)).json, `"lookalike"`)
      }))

    it.effect("a copy is stored as given: any JSON, large or with non-ASCII text, comes back byte for byte", () =>
      Effect.gen(function*() {
        const cache = yield* CatalogueCache
        const providerId = newProviderId()
        const json = JSON.stringify({ name: "Maquis Chez Tantie — attiéké poisson 🐟", products: Array.from({ length: 2_000 }, (_, index) => ({ id: index, price: 1_500 })) })
        const version = versionOf(yield* cache.readMenu(providerId))
        yield* cache.storeMenu(providerId, version, json)
        assert.strictEqual((yield* cache.readMenu(providerId)).json, json)
      }))
  })
