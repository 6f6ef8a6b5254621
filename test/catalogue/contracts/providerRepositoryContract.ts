import { randomBytes, randomInt } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import { uuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import type { Provider, ProviderType } from "@nelo/domain/catalogue/Provider"
import { type AfterDistance, type AfterName, type NearbyRow, type ProviderFields, ProviderRepository } from "@nelo/domain/catalogue/ProviderRepository"
import type { Schedule } from "@nelo/domain/catalogue/Schedule"
import { searchableName } from "@nelo/domain/catalogue/searchableName"
import type { GeoPoint } from "@nelo/domain/geo/GeoPoint"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import type { ZoneRepository } from "@nelo/domain/geo/ZoneRepository"
import { Transactional } from "@nelo/domain/shared/Transactional"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { makeNewUser } from "../../users/contracts/userRepositoryContract.ts"

// Points of the seeded Tiassalé zones (see packages/domain/src/geo/tiassale.ts) and one outside.
const inBaoulekro = { lat: 5.89, lng: -4.833 }
const inNdouci = { lat: 5.8667, lng: -4.7667 }
const atSea = { lat: 4.5, lng: -4.0 }

const schedule: Schedule = {
  timeZone: "Africa/Abidjan",
  weekly: [
    { weekday: 1, intervals: [{ opens: "08:00", closes: "14:00" }, { opens: "18:00", closes: "02:00" }] },
    { weekday: 6, intervals: [{ opens: "10:00", closes: "24:00" }] }
  ],
  exceptions: [{ date: "2025-12-25", intervals: [] }],
  paused: false
}

const newOwner = Effect.gen(function*() {
  return (yield* (yield* UserRepository).create(makeNewUser({ roles: ["client", "provider"] }))).id
})

const fields = (overrides: Partial<ProviderFields> = {}): ProviderFields => ({
  type: "restaurant",
  name: "Maquis Le Bon Coin",
  description: "Poulet braisé, attiéké",
  location: inBaoulekro,
  landmark: "face à la gare routière",
  ...overrides
})

const createProvider = (ownerId: string, overrides: Partial<ProviderFields> = {}) =>
  Effect.gen(function*() {
    return yield* (yield* ProviderRepository).create({ ...fields(overrides), id: uuidV7(Date.now()), ownerId, schedule, now: new Date() })
  })

/** Code point order: the byte order of UTF-8, which collation "C" sorts by. */
const codePointOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b))

/** A name prefix no other test (nor run) uses: lower-case letters, so searchableName keeps it. */
const uniquePrefix = () => `zq${Array.from(randomBytes(8), (byte) => String.fromCharCode(97 + (byte % 26))).join("")}`

// --- An independent great-circle distance, on the same sphere the port names (mean radius). ---
const sphereRadius = 6_371_008.8
const toRadians = (degrees: number) => degrees * Math.PI / 180
const greatCircle = (a: GeoPoint, b: GeoPoint) => {
  const h = Math.sin(toRadians(b.lat - a.lat) / 2) ** 2 +
    Math.cos(toRadians(a.lat)) * Math.cos(toRadians(b.lat)) * Math.sin(toRadians(b.lng - a.lng) / 2) ** 2
  return 2 * sphereRadius * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** mulberry32: a small seeded generator, so a failing layout can be replayed from its seed. */
const seededRandom = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const types: ReadonlyArray<ProviderType> = ["restaurant", "gas_depot", "grocery"]

/** Reads every page of a paged query, `limit` at a time, until a short page. */
const allPages = <Row, After>(page: (after: After | null) => Effect.Effect<ReadonlyArray<Row>, unknown>, positionOf: (row: Row) => After, limit: number) =>
  Effect.gen(function*() {
    const rows: Array<Row> = []
    let after: After | null = null
    for (let pages = 0; pages < 1_000; pages++) {
      const batch: ReadonlyArray<Row> = yield* page(after)
      rows.push(...batch)
      if (batch.length < limit) return rows
      after = positionOf(batch.at(-1)!)
    }
    throw new Error("too many pages")
  })

/** One suite, run against every ProviderRepository adapter. */
export const providerRepositoryContract = (name: string, repositoryLayer: Layer.Layer<ProviderRepository | UserRepository | ZoneRepository | Transactional, unknown>) =>
  layer(repositoryLayer, { excludeTestServices: true })(`ProviderRepository contract: ${name}`, (it) => {
    it.effect("a created provider is found with its fields, schedule and zone; outside every zone it has none", () =>
      Effect.gen(function*() {
        yield* seedCity(tiassale)
        const providers = yield* ProviderRepository
        const owner = yield* newOwner
        const maquis = yield* createProvider(owner, { name: "Café Chez Tantie Akissi" })
        assert.deepStrictEqual(maquis, {
          id: maquis.id,
          ownerId: owner,
          type: "restaurant",
          name: "Café Chez Tantie Akissi",
          description: "Poulet braisé, attiéké",
          location: inBaoulekro,
          landmark: "face à la gare routière",
          zone: { id: maquis.zone!.id, slug: "baoulekro", name: "Baoulékro" },
          schedule,
          ratingSum: 0,
          ratingCount: 0
        })
        assert.deepStrictEqual(yield* providers.findById(maquis.id), Option.some(maquis))
        const boat = yield* createProvider(owner, { type: "grocery", location: atSea, landmark: "", description: "" })
        assert.isNull(boat.zone)
        assert.deepStrictEqual(Option.getOrThrow(yield* providers.findById(boat.id)).zone, null)
      }))

    it.effect("addRating adds the stars to the sum and one to the count, nothing else; an unknown id changes nothing; taken back with its transaction", () =>
      Effect.gen(function*() {
        yield* seedCity(tiassale)
        const providers = yield* ProviderRepository
        const owner = yield* newOwner
        const maquis = yield* createProvider(owner)
        const other = yield* createProvider(owner, { name: "Maquis d'à côté" })
        yield* providers.addRating(maquis.id, 5)
        yield* providers.addRating(maquis.id, 2)
        const rated = { ...maquis, ratingSum: 7, ratingCount: 2 }
        assert.deepStrictEqual(yield* providers.findById(maquis.id), Option.some(rated))
        assert.deepStrictEqual(yield* providers.findById(other.id), Option.some(other))
        for (const id of [uuidV7(Date.now()), "not-a-uuid", ""]) yield* providers.addRating(id, 3)
        const failed = yield* Effect.flip((yield* Transactional).run(Effect.andThen(providers.addRating(maquis.id, 1), Effect.fail("rolled back" as const))))
        assert.strictEqual(failed, "rolled back")
        assert.deepStrictEqual(yield* providers.findById(maquis.id), Option.some(rated))
        // The lists carry it too.
        const listed = yield* providers.list({ ownerId: owner, after: null, limit: 10 })
        assert.deepStrictEqual(listed.find((provider) => provider.id === maquis.id), rated)
      }))

    it.effect("addRating: ratings added at once, each in its transaction, all count", () =>
      Effect.gen(function*() {
        yield* seedCity(tiassale)
        const providers = yield* ProviderRepository
        const transactional = yield* Transactional
        const maquis = yield* createProvider(yield* newOwner)
        const stars = [5, 4, 3, 5, 1, 2, 5, 4]
        yield* Effect.forEach(stars, (star) => transactional.run(providers.addRating(maquis.id, star)), { concurrency: "unbounded", discard: true })
        const found = Option.getOrThrow(yield* providers.findById(maquis.id))
        assert.deepStrictEqual({ ratingSum: found.ratingSum, ratingCount: found.ratingCount }, { ratingSum: stars.reduce((sum, star) => sum + star, 0), ratingCount: stars.length })
      }))

    it.effect("unknown and malformed ids are not found, and change nothing", () =>
      Effect.gen(function*() {
        const providers = yield* ProviderRepository
        const unknown = uuidV7(Date.now())
        for (const id of [unknown, "not-a-uuid", "", "'; DROP TABLE catalogue.providers; --"]) {
          assert.isTrue(Option.isNone(yield* providers.findById(id)), id)
          assert.isTrue(Option.isNone(yield* providers.update(id, { name: "Nouveau", now: new Date() })), id)
          assert.isTrue(Option.isNone(yield* providers.setHours(id, { weekly: [], exceptions: [] }, new Date())), id)
          assert.isTrue(Option.isNone(yield* providers.setPaused(id, true, new Date())), id)
        }
        assert.deepStrictEqual(yield* providers.list({ zoneId: "not-a-uuid", after: null, limit: 10 }), [])
        assert.deepStrictEqual(yield* providers.list({ after: { searchName: "a", id: "not-a-uuid" }, limit: 10 }), [])
        assert.deepStrictEqual(yield* providers.nearby({ centre: inBaoulekro, radiusM: 5_000, after: { distanceM: 0, id: "not-a-uuid" }, limit: 10 }), [])
      }))

    it.effect("update changes only the fields given, renames the searchable name and moves the zone with the point", () =>
      Effect.gen(function*() {
        yield* seedCity(tiassale)
        const providers = yield* ProviderRepository
        const owner = yield* newOwner
        const prefix = uniquePrefix()
        const created = yield* createProvider(owner, { name: `${prefix} Épicerie Ancienne` })
        const moved = Option.getOrThrow(yield* providers.update(created.id, { location: inNdouci, now: new Date() }))
        assert.deepStrictEqual(moved, { ...created, location: inNdouci, zone: { id: moved.zone!.id, slug: "ndouci", name: "N'Douci" } })
        const atSeaNow = Option.getOrThrow(yield* providers.update(created.id, { location: atSea, now: new Date() }))
        assert.isNull(atSeaNow.zone)

        const renamed = Option.getOrThrow(yield* providers.update(created.id, {
          name: `${prefix} Boutique Nouvelle`,
          type: "grocery",
          description: "Riz, huile, savon",
          landmark: "à côté de la pharmacie",
          location: inBaoulekro,
          now: new Date()
        }))
        assert.deepStrictEqual(renamed, {
          ...created,
          name: `${prefix} Boutique Nouvelle`,
          type: "grocery",
          description: "Riz, huile, savon",
          landmark: "à côté de la pharmacie"
        })
        assert.deepStrictEqual(yield* providers.findById(created.id), Option.some(renamed))
        // The list searches and sorts on the new searchable name only.
        const byOld = yield* providers.list({ nameContains: searchableName(`${prefix} Épicerie`), after: null, limit: 10 })
        assert.deepStrictEqual(byOld, [])
        const byNew = yield* providers.list({ nameContains: searchableName(`${prefix} boutique`), after: null, limit: 10 })
        assert.deepStrictEqual(byNew.map((provider) => provider.id), [created.id])
      }))

    it.effect("setHours replaces the hours and keeps the pause; setPaused keeps the hours", () =>
      Effect.gen(function*() {
        const providers = yield* ProviderRepository
        const owner = yield* newOwner
        const created = yield* createProvider(owner)
        const paused = Option.getOrThrow(yield* providers.setPaused(created.id, true, new Date()))
        assert.deepStrictEqual(paused.schedule, { ...schedule, paused: true })
        const hours = { weekly: [{ weekday: 7, intervals: [{ opens: "18:00", closes: "18:00" }] }], exceptions: [] }
        const rehoured = Option.getOrThrow(yield* providers.setHours(created.id, hours, new Date()))
        assert.deepStrictEqual(rehoured.schedule, { timeZone: "Africa/Abidjan", ...hours, paused: true })
        const resumed = Option.getOrThrow(yield* providers.setPaused(created.id, false, new Date()))
        assert.deepStrictEqual(resumed.schedule, { timeZone: "Africa/Abidjan", ...hours, paused: false })
        assert.deepStrictEqual(yield* providers.findById(created.id), Option.some(resumed))
        assert.deepStrictEqual({ ...resumed, schedule: created.schedule }, created)
      }))

    it.effect("list: every provider exactly once across pages, by searchable name then id, with each filter", () =>
      Effect.gen(function*() {
        yield* seedCity(tiassale)
        const providers = yield* ProviderRepository
        const owner = yield* newOwner
        const prefix = uniquePrefix()
        // Equal searchable names (case, accents, spaces) tie on the id. The rest sort by code point
        // (collation "C"), not as a language would: "ab c" before "abb", "øre" after "zz", and
        // "🍗" (U+1F357) after "ｚ" (U+FF5A) though its UTF-16 units come before.
        const names = ["Café Chez Tantie", "CAFE chez  tantie", "cafe chez tantie", "Maquis Ô Délices", "maquis o delices", "Allocodrome", "zz", "Épicerie", "epicerie b", "Boulangerie", "ab c", "abb", "a-c", "Øre", "ore", "ｚebu", "🍗 poulet"]
        const locations = [inBaoulekro, inNdouci, atSea]
        const created = []
        for (let index = 0; index < 34; index++) {
          created.push(yield* createProvider(owner, {
            name: `${prefix} ${names[index % names.length]}`,
            type: types[index % types.length]!,
            location: locations[Math.floor(index / 3) % locations.length]!
          }))
        }
        const baoulekro = created.find((provider) => provider.zone?.slug === "baoulekro")!.zone!.id
        const ndouci = created.find((provider) => provider.zone?.slug === "ndouci")!.zone!.id
        const filters = [
          {},
          { type: "restaurant" as const },
          { type: "gas_depot" as const },
          { zoneId: baoulekro },
          { zoneId: ndouci },
          { type: "grocery" as const, zoneId: ndouci }
        ]
        for (const filter of filters) {
          const expected = created
            .filter((provider) => (filter.type === undefined || provider.type === filter.type) && (filter.zoneId === undefined || provider.zone?.id === filter.zoneId))
            .sort((a, b) => codePointOrder(searchableName(a.name), searchableName(b.name)) || codePointOrder(a.id, b.id))
          assert.isAbove(expected.length, 0)
          for (const limit of [1, 4, 100]) {
            const pages = yield* allPages<Provider, AfterName>(
              (after) => providers.list({ ...filter, nameContains: prefix, after, limit }),
              (provider) => ({ searchName: searchableName(provider.name), id: provider.id }),
              limit
            )
            assert.deepStrictEqual(pages.map((provider) => provider.id), expected.map((provider) => provider.id), `${JSON.stringify(filter)} by ${limit}`)
            assert.deepStrictEqual(pages, expected)
          }
        }
      }))

    it.effect("list by owner: an owner's providers only, by name", () =>
      Effect.gen(function*() {
        const providers = yield* ProviderRepository
        const owner = yield* newOwner
        const other = yield* newOwner
        const mine = [yield* createProvider(owner, { name: "Superette La Confiance" }), yield* createProvider(owner, { name: "Alloco Mama Adjoua" })]
        yield* createProvider(other, { name: "Boutique Moussa" })
        const listed = yield* providers.list({ ownerId: owner, after: null, limit: 10 })
        assert.deepStrictEqual(listed.map((provider) => provider.name), ["Alloco Mama Adjoua", "Superette La Confiance"])
        assert.deepStrictEqual(listed.map((provider) => provider.id).sort(), mine.map((provider) => provider.id).sort())
      }))

    it.effect("name search is accent- and case-insensitive and takes %, _ and \\ literally", () =>
      Effect.gen(function*() {
        const providers = yield* ProviderRepository
        const owner = yield* newOwner
        const prefix = uniquePrefix()
        const tantie = yield* createProvider(owner, { name: `Café Chez Tantie ${prefix}` })
        const percent = yield* createProvider(owner, { name: `${prefix} 100% Garba` })
        const underscore = yield* createProvider(owner, { name: `${prefix} a_b` })
        const backslash = yield* createProvider(owner, { name: `${prefix} a\\b` })
        const plain = yield* createProvider(owner, { name: `${prefix} axb 100 Garba` })
        const ours = new Set([tantie.id, percent.id, underscore.id, backslash.id, plain.id])
        // Other tests' providers may match "cafe" too: look for ours among all the matches.
        const found = (query: string) =>
          Effect.map(
            allPages<Provider, AfterName>(
              (after) => providers.list({ nameContains: searchableName(query), after, limit: 200 }),
              (provider) => ({ searchName: searchableName(provider.name), id: provider.id }),
              200
            ),
            (rows) => rows.map((provider) => provider.id).filter((id) => ours.has(id)).sort()
          )
        assert.deepStrictEqual(yield* found("cafe"), [tantie.id])
        assert.deepStrictEqual(yield* found("CHEZ"), [tantie.id])
        assert.deepStrictEqual(yield* found(`tantie ${prefix}`), [tantie.id])
        assert.deepStrictEqual(yield* found(`${prefix} 100%`), [percent.id])
        assert.deepStrictEqual(yield* found(`${prefix} a_b`), [underscore.id])
        assert.deepStrictEqual(yield* found(`${prefix} a\\b`), [backslash.id])
        assert.deepStrictEqual(yield* found(prefix), [...ours].sort())
      }))

    it.effect("nearby: the providers within the radius by distance then id, as a great-circle computation says; pages add up to the whole", () =>
      Effect.gen(function*() {
        const providers = yield* ProviderRepository
        const owner = yield* newOwner
        const seed = randomInt(2 ** 31)
        const random = seededRandom(seed)
        const context = `seed ${seed}`
        // A random centre of its own (far from Tiassalé, where other tests put providers), so the
        // shared database holds nobody else within the radius.
        let centre: GeoPoint
        do centre = { lat: random() * 120 - 60, lng: random() * 340 - 170 }
        while (greatCircle(centre, tiassale.center) < 500_000)
        const radiusM = 20_000
        // Points up to 25 km away (some outside the radius), never within a metre of its edge.
        // A third of them are shared by two or three providers, whose distances tie exactly; a
        // quarter have their mirror image across the centre's meridian, at the same distance up
        // to rounding, where two ways of computing it may disagree by a few nanometres.
        const points: Array<GeoPoint> = [centre]
        while (points.length < 160) {
          const bearing = random() * 2 * Math.PI
          const distance = 25_000 * Math.sqrt(random())
          const point = {
            lat: centre.lat + (distance * Math.cos(bearing)) / 111_195,
            lng: centre.lng + (distance * Math.sin(bearing)) / (111_195 * Math.cos(toRadians(centre.lat)))
          }
          if (Math.abs(greatCircle(centre, point) - radiusM) <= 1) continue
          points.push(point)
          if (random() < 0.25) points.push({ lat: point.lat, lng: 2 * centre.lng - point.lng })
        }
        const placed = points.flatMap((point, index) => Array.from({ length: index % 3 === 0 ? 1 + (index % 2) + (index % 9 === 0 ? 1 : 0) : 1 }, () => point))
        const created = yield* Effect.forEach(
          placed,
          (location, index) => createProvider(owner, { name: `Proche ${index}`, type: types[Math.floor(random() * 3)]!, location }),
          { concurrency: 8 }
        )

        const expectedFor = (type: ProviderType | undefined) =>
          created
            .map((provider) => ({ provider, distanceM: greatCircle(centre, provider.location) }))
            .filter((row) => row.distanceM <= radiusM && (type === undefined || row.provider.type === type))
            .sort((a, b) => a.distanceM - b.distanceM || codePointOrder(a.provider.id, b.provider.id))
        const checkAgainst = (rows: ReadonlyArray<NearbyRow>, expected: ReturnType<typeof expectedFor>, label: string) => {
          assert.strictEqual(rows.length, expected.length, `${label}: count, ${context}`)
          assert.deepStrictEqual(new Set(rows.map((row) => row.provider.id)), new Set(expected.map((row) => row.provider.id)), `${label}: set, ${context}`)
          const expectedDistance = new Map(expected.map((row) => [row.provider.id, row.distanceM]))
          rows.forEach((row, index) => {
            const wanted = expected[index]!
            const mine = expectedDistance.get(row.provider.id)!
            // Same order; two different points closer than a millimetre may come either way.
            assert.isTrue(row.provider.id === wanted.provider.id || Math.abs(mine - wanted.distanceM) < 0.001, `${label}: order at ${index}, ${context}`)
            // The sphere of the port: far closer than the 0.5% between sphere and ellipsoid.
            assert.isAtMost(Math.abs(row.distanceM - mine), 0.005 * mine + 1e-6, `${label}: distance at ${index}, ${context}`)
            assert.isAtMost(Math.abs(row.distanceM - mine), 1e-6 * mine + 1e-6, `${label}: sphere distance at ${index}, ${context}`)
            if (index > 0) {
              const previous = rows[index - 1]!
              assert.isTrue(
                previous.distanceM < row.distanceM || (previous.distanceM === row.distanceM && codePointOrder(previous.provider.id, row.provider.id) < 0),
                `${label}: (distance, id) strictly increasing at ${index}, ${context}`
              )
            }
          })
          assert.deepStrictEqual(rows.map((row) => row.provider), rows.map((row) => created.find((provider) => provider.id === row.provider.id)))
        }

        for (const type of [undefined, ...types]) {
          const label = type ?? "all types"
          const whole = yield* providers.nearby({ centre, radiusM, type, after: null, limit: 1_000 })
          const expected = expectedFor(type)
          assert.isAbove(expected.length, 10, context)
          checkAgainst(whole, expected, label)
          for (const limit of [1, 7]) {
            const pages = yield* allPages<NearbyRow, AfterDistance>(
              (after) => providers.nearby({ centre, radiusM, type, after, limit }),
              (row) => ({ distanceM: row.distanceM, id: row.provider.id }),
              limit
            )
            assert.deepStrictEqual(pages, whole, `${label}: pages of ${limit} are the whole, exactly once, ${context}`)
          }
        }
        // The nearest first: the provider at the centre itself, at distance zero.
        const [nearest] = yield* providers.nearby({ centre, radiusM: 1, after: null, limit: 5 })
        assert.strictEqual(nearest?.distanceM, 0)
        assert.deepStrictEqual(nearest?.provider.location, centre)
      }))
  })
