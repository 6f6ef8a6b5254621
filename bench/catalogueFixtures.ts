// Data and cache state for the catalogue scenarios (catalogue-nearby-uncached, catalogue-nearby-cached,
// catalogue-menu-cached), made with the product's own code:
//   - the demo catalogue of seed 1, 10,000 providers with 20 products per restaurant or grocery,
//     written by the real seed (`nelo-admin seed demo`, idempotent) when the database lacks it;
//   - the cached scenarios' pages and menus stored in Redis by the domain's own use cases
//     (the catalogue's nearby search and menu reader) over the API's real adapters, so both servers start on a warm
//     cache holding exactly what the API would have stored;
//   - for the uncached scenario, the nearby version bumped as a provider write does
//     (CatalogueCacheRedis.invalidateNearby: a fresh token in catalogue:nearby:version), so that
//     no request ever finds a page stored by an earlier one.
// The environment (DATABASE_URL, REDIS_URL, REDIS_KEY_PREFIX) is the one both servers get. The demo
// catalogue stays in the database after the run (it is the dev database's demo data, and seeding it
// again is a no-op); cached copies expire on their own (20 s for nearby pages, 300 s for menus).
import { spawnSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { fileURLToPath } from "node:url"
import { Effect, Layer, ManagedRuntime } from "effect"
import { SqlClient } from "effect/sql"
import { MenuRepositoryPostgres } from "@nelo/adapters/postgres/MenuRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { ProviderRepositoryPostgres } from "@nelo/adapters/postgres/ProviderRepositoryPostgres"
import { CatalogueCacheRedis } from "@nelo/adapters/redis/CatalogueCacheRedis"
import { RedisClient, RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { demoProviderId, mulberry32 } from "@nelo/adapters/seeds/demoCatalogue"
import { defaultNearbyRadiusM, nearbyCellDegrees, nearbyCellOf } from "@nelo/domain/catalogue/nearbyCell"
import { makeProviderSearch } from "@nelo/domain/catalogue/providerSearch"
import { makeMenuReader } from "@nelo/domain/catalogue/readMenu"
import type { GeoPoint } from "@nelo/domain/geo/GeoPoint"
import { haversineMeters } from "@nelo/domain/geo/haversineMeters"

/** The data set: `seed demo --providers 10000 --products-per-provider 20`, seed 1 (the CLI's default). */
export const catalogueSeed = 1
export const catalogueProviderCount = 10_000
export const catalogueProductsPerProvider = 20
/** The handler's default page size: what a request without `limit` gets. */
export const nearbyPageSize = 20

/** Tiassalé's centre as the issue gives it. */
const centre: GeoPoint = { lat: 5.898, lng: -4.823 }
/**
 * Nearby requests of the uncached scenario are spread over every ~110 m cell whose centre lies
 * within this distance of the town centre: there the 5 km radius holds hundreds of providers, so
 * every page is full (20 items). Farther out (the brief's 300 × 300 grid of 33 km) most cells
 * fall outside the town's 5 km and answer short or empty pages: measured with the seed, only
 * about a quarter of that grid has 21 providers or more within 5 km.
 */
const uncachedDiscRadiusM = 3_000
/** How many cells the cached nearby scenario requests over and over. */
export const cachedNearbyCellCount = 50
/** How many restaurants the menu scenario requests in turn. */
export const menuProviderCount = 200

const cliMainFile = fileURLToPath(new URL("../apps/cli/src/main.ts", import.meta.url))

const fmt = (degrees: number) => degrees.toFixed(3)

/** The path of a nearby request at a point (given with 3 decimals: a cell centre exactly). */
export const nearbyPath = (point: GeoPoint) => `/api/v1/providers/nearby?lat=${fmt(point.lat)}&lng=${fmt(point.lng)}`
export const menuPath = (providerId: string) => `/api/v1/providers/${providerId}/menu`

/** The cell centres within `radiusM` of the town centre, in a fixed shuffled order (no two neighbours in a row). */
const cellsAround = (radiusM: number): ReadonlyArray<GeoPoint> => {
  const steps = Math.ceil(radiusM / 100)
  const cells: Array<GeoPoint> = []
  const origin = nearbyCellOf(centre)
  for (let i = -steps; i <= steps; i++) {
    for (let j = -steps; j <= steps; j++) {
      const cell = nearbyCellOf({ lat: origin.lat + i * nearbyCellDegrees, lng: origin.lng + j * nearbyCellDegrees })
      if (haversineMeters(centre, cell) <= radiusM) cells.push(cell)
    }
  }
  const random = mulberry32(20_261_126)
  for (let index = cells.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1))
    const kept = cells[index]!
    cells[index] = cells[other]!
    cells[other] = kept
  }
  return cells
}

/** Every cell of the uncached scenario's walk, each a distinct cache key. */
export const uncachedCells = cellsAround(uncachedDiscRadiusM)
/** The cached scenario's cells: spread over the same disc (every k-th of the shuffled walk). */
export const cachedCells = Array.from({ length: cachedNearbyCellCount }, (_, index) =>
  uncachedCells[Math.floor((index * uncachedCells.length) / cachedNearbyCellCount)]!)
/** The provider of the menu scenario's check request: index 0 of the seed is a restaurant. */
export const firstMenuProviderId = demoProviderId(catalogueSeed, 0)

const FixtureServices = Layer.mergeAll(ProviderRepositoryPostgres, MenuRepositoryPostgres, CatalogueCacheRedis).pipe(
  Layer.provideMerge(Layer.mergeAll(PostgresLayer, RedisClientLayer))
)
type FixtureRuntime = ManagedRuntime.ManagedRuntime<Layer.Success<typeof FixtureServices>, Layer.Error<typeof FixtureServices>>
let runtime: FixtureRuntime | undefined
const fixtureRuntime = () => (runtime ??= ManagedRuntime.make(FixtureServices))

const say = (line: string) => process.stdout.write(`  catalogue: ${line}\n`)

// The seed's provider ids read 0000000s-0001-8000-8000-<index, 8 hex><sub, 4 hex> (packages/adapters/src/seeds/demoCatalogue.ts).
const seedIdPattern = `${catalogueSeed.toString(16).padStart(8, "0")}-0001-8000-8000-%`

const countSeeded = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<{ seeded: number; total: number; products: number }>`
    SELECT (SELECT count(*)::int FROM catalogue.providers WHERE id::text LIKE ${seedIdPattern}) AS seeded,
           (SELECT count(*)::int FROM catalogue.providers) AS total,
           (SELECT count(*)::int FROM catalogue.products) AS products`
  return row!
})

let ensured: Promise<void> | undefined

/**
 * Makes sure the database holds the demo catalogue of the issue, seeding it with the admin CLI
 * (the same command as by hand: ~7 s) when some of it is missing. Once per bench process.
 */
export const ensureDemoCatalogue = (): Promise<void> =>
  (ensured ??= (async () => {
    const run = fixtureRuntime()
    const before = await run.runPromise(countSeeded)
    if (before.seeded < catalogueProviderCount) {
      say(`${before.seeded} of the ${catalogueProviderCount} providers of seed ${catalogueSeed} found: seeding them (nelo-admin seed demo)...`)
      const seeded = spawnSync(process.execPath, [
        cliMainFile, "seed", "demo",
        "--providers", String(catalogueProviderCount),
        "--products-per-provider", String(catalogueProductsPerProvider),
        "--seed", String(catalogueSeed)
      ], { stdio: ["ignore", "ignore", "inherit"], env: process.env })
      if (seeded.status !== 0) throw new Error(`seed demo failed (exit ${seeded.status ?? seeded.signal})`)
    }
    const after = await run.runPromise(countSeeded)
    if (after.seeded < catalogueProviderCount) throw new Error(`only ${after.seeded} providers of seed ${catalogueSeed} after seeding`)
    say(`${after.total} providers in the database (${after.seeded} of seed ${catalogueSeed}), ${after.products} products`)
  })())

/** Restaurants of the seed with their 20 products, in id order; checked against the database. */
export const menuProviderIds = async (): Promise<ReadonlyArray<string>> => {
  await ensureDemoCatalogue()
  return fixtureRuntime().runPromise(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string; products: number }>`
      SELECT p.id::text AS id, (SELECT count(*)::int FROM catalogue.products pr WHERE pr.provider_id = p.id) AS products
      FROM catalogue.providers p
      WHERE p.id::text LIKE ${seedIdPattern} AND p.type = 'restaurant'
      ORDER BY p.id
      LIMIT ${menuProviderCount}`
    const short = rows.filter((row) => row.products !== catalogueProductsPerProvider)
    if (rows.length !== menuProviderCount || short.length > 0) {
      return yield* Effect.die(new Error(`expected ${menuProviderCount} restaurants of ${catalogueProductsPerProvider} products, found ${rows.length} (${short.length} with another count)`))
    }
    if (rows[0]!.id !== firstMenuProviderId) return yield* Effect.die(new Error(`the first restaurant of the seed is ${rows[0]!.id}, not ${firstMenuProviderId}`))
    return rows.map((row) => row.id)
  }))
}

/** Reads each menu through the domain's menu reader and the real cache: a miss stores it, as the API does. */
export const warmMenus = (ids: ReadonlyArray<string>): Promise<void> =>
  fixtureRuntime().runPromise(Effect.flatMap(makeMenuReader, (readMenu) => Effect.forEach(ids, readMenu, { concurrency: 8, discard: true })))

/** The first page of each cell, read (and stored on a miss) through the domain's nearby search. */
export const warmNearby = (cells: ReadonlyArray<GeoPoint>): Promise<void> =>
  fixtureRuntime().runPromise(Effect.flatMap(makeProviderSearch, (search) =>
    Effect.forEach(
      cells,
      (point) => search.nearby({ point, radiusM: defaultNearbyRadiusM, limit: nearbyPageSize }),
      { concurrency: 8, discard: true }
    )))

const redisOf = () => fixtureRuntime().runPromise(Effect.gen(function*() {
  return yield* RedisClient
}))

/**
 * A new nearby version, exactly as CatalogueCacheRedis.invalidateNearby writes one (a token never
 * given before, the version key living a day): every page stored so far becomes unreachable.
 * Returns a function that fires one bump without waiting (for autocannon's synchronous hooks).
 */
export const nearbyVersionBumper = async (): Promise<() => void> => {
  const client = await redisOf()
  const versionKey = [client.keyPrefix, "catalogue", "nearby", "version"].join(":")
  const tokenPrefix = `bench${randomBytes(4).toString("base64url")}`
  let sequence = 0
  return () => {
    void client.redis.set(versionKey, `${tokenPrefix}${(sequence++).toString(36)}`, "EX", 24 * 60 * 60).catch(() => {})
  }
}

/**
 * Redis's own counters of key lookups (all clients), polled every 500 ms without blocking the load:
 * `since()` says how many lookups hit or missed since its previous call. On this dedicated dev
 * Redis nearly all traffic during a run is the server under test; a cached scenario should show
 * (almost) no misses, the uncached one one miss per request (the page) and one hit (the version).
 */
export const redisLookupCounter = async () => {
  const client = await redisOf()
  const read = async () => {
    const stats = await client.redis.info("stats")
    const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, "mu").exec(stats)?.[1] ?? "0")
    return { hits: field("keyspace_hits"), misses: field("keyspace_misses") }
  }
  let latest = await read()
  let previous = latest
  const timer = setInterval(() => {
    read().then((value) => { latest = value }, () => {})
  }, 500)
  timer.unref()
  return {
    since: () => {
      const delta = { hits: latest.hits - previous.hits, misses: latest.misses - previous.misses }
      previous = latest
      return delta
    },
    stop: () => clearInterval(timer)
  }
}

/** Closes the fixtures' pool and Redis connection (the data stays). */
export const closeCatalogueFixtures = async (): Promise<void> => {
  const run = runtime
  runtime = undefined
  ensured = undefined
  if (run !== undefined) await run.dispose()
}
