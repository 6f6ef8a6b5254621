import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import type { CityDefinition } from "@nelo/domain/geo/Zone"
import { ZoneRepository } from "@nelo/domain/geo/ZoneRepository"

/** One suite, run against every ZoneRepository adapter: they must behave the same. */
export const zoneRepositoryContract = (name: string, repositoryLayer: Layer.Layer<ZoneRepository, unknown>) =>
  layer(repositoryLayer, { excludeTestServices: true })(`ZoneRepository contract: ${name}`, (it) => {
    it.effect("seeding Tiassalé twice creates the rows once, then reports every row unchanged", () =>
      Effect.gen(function*() {
        const first = yield* seedCity(tiassale)
        const second = yield* seedCity(tiassale)
        assert.include(["created", "unchanged"], first.city)
        assert.strictEqual(second.city, "unchanged")
        assert.deepStrictEqual(second.zones, { created: 0, updated: 0, unchanged: tiassale.zones.length })
        assert.strictEqual(yield* (yield* ZoneRepository).countZones("tiassale"), tiassale.zones.length)
      }))

    it.effect("a point in a seeded quartier resolves to it; one in the Atlantic resolves to none", () =>
      Effect.gen(function*() {
        yield* seedCity(tiassale)
        const repository = yield* ZoneRepository
        // South-west quartier box: 5.884..5.898 N, -4.838..-4.8273 W.
        const baoulekro = yield* repository.zoneAt({ lat: 5.89, lng: -4.833 })
        assert.strictEqual(Option.getOrThrow(baoulekro).zoneSlug, "baoulekro")
        assert.strictEqual(Option.getOrThrow(baoulekro).citySlug, "tiassale")
        const ndouci = yield* repository.zoneAt({ lat: 5.8667, lng: -4.7667 })
        assert.strictEqual(Option.getOrThrow(ndouci).zoneSlug, "ndouci")
        // Gulf of Guinea, south of Abidjan.
        assert.isTrue(Option.isNone(yield* repository.zoneAt({ lat: 4.5, lng: -4.0 })))
        // Between the town and N'Douci: not served.
        assert.isTrue(Option.isNone(yield* repository.zoneAt({ lat: 5.898, lng: -4.795 })))
        // Found again by its id (a driver's home zone); an unknown or malformed id is none.
        assert.deepStrictEqual(yield* repository.zoneById(Option.getOrThrow(ndouci).zoneId), ndouci)
        assert.isTrue(Option.isNone(yield* repository.zoneById("00000000-0000-4000-8000-000000000000")))
        assert.isTrue(Option.isNone(yield* repository.zoneById("zone-x")))
      }))

    it.effect("a changed zone is updated, not duplicated, and the smallest covering zone wins", () =>
      Effect.gen(function*() {
        const city: CityDefinition = {
          slug: "contract-town",
          name: "Contract Town",
          countryCode: "CI",
          timeZone: "Africa/Abidjan",
          center: { lat: 1, lng: 1 },
          zones: [
            { slug: "outer", name: "Outer", kind: "town", approximate: true, boundary: [{ lat: 0, lng: 0 }, { lat: 0, lng: 2 }, { lat: 2, lng: 2 }, { lat: 2, lng: 0 }] },
            { slug: "inner", name: "Inner", kind: "quartier", approximate: true, boundary: [{ lat: 0.5, lng: 0.5 }, { lat: 0.5, lng: 1.5 }, { lat: 1.5, lng: 1.5 }, { lat: 1.5, lng: 0.5 }] }
          ]
        }
        yield* seedCity(city)
        const repository = yield* ZoneRepository
        assert.strictEqual(Option.getOrThrow(yield* repository.zoneAt({ lat: 1, lng: 1 })).zoneSlug, "inner")
        assert.strictEqual(Option.getOrThrow(yield* repository.zoneAt({ lat: 0.2, lng: 0.2 })).zoneSlug, "outer")

        const renamed = { ...city, zones: [city.zones[0]!, { ...city.zones[1]!, name: "Inner, renamed" }] }
        const summary = yield* seedCity(renamed)
        assert.deepStrictEqual(summary.zones, { created: 0, updated: 1, unchanged: 1 })
        assert.strictEqual(Option.getOrThrow(yield* repository.zoneAt({ lat: 1, lng: 1 })).zoneName, "Inner, renamed")
        assert.strictEqual(yield* repository.countZones("contract-town"), 2)
      }))
  })
