// The bare counterpart of the API's catalogue reads: a plain node:http server doing, per request,
// what the API does with the same drivers, without router, middleware, schemas or logging.
//
// GET /api/v1/providers/nearby?lat=&lng=[&radiusM=][&limit=]  (providerSearch.ts makeProviderSearch nearby)
//   1. the caller's ~110 m cell (the domain's nearbyCellOf) and the same cache key as the use case;
//   2. one EVALSHA of the cache adapter's read script (CatalogueCacheRedis.ts, the same text: checked
//      against the adapter's source at start-up) on the nearby version and the page at that version;
//   3. on a miss: the adapter's own nearby SQL (ProviderRepositoryPostgres.ts nearbyStatement, imported,
//      run with @effect/sql-pg, same pool size and the same snake_case → camelCase name transforms as
//      the API's PostgresLayer) for limit + 1 rows, as scanPage asks, the same rows → Provider mapping,
//      the next cursor (the domain's distanceCursor), then SET of the page JSON under the version read,
//      20 s, as storeNearby does: the uncached path stores its page like the API's;
//   4. per request, never cached: opening state (the domain's providerAt) and the distance from the
//      caller's own point (haversineMeters), then the API's own view (catalogue/views.ts
//      nearbyProviderView) and `{ items, nextCursor }` as JSON.
// GET /api/v1/providers/{id}/menu  (readMenu.ts makeMenuReader)
//   1. the same EVALSHA on the menu's version and its copy; 2. JSON.parse, providerAt, the API's
//   menuView; 3. JSON. A miss answers 503 `cache_miss`: the scenario warms every menu first
//   (catalogueFixtures.ts), so a miss means the run is not measuring the cached path, and the
//   harness then rejects the run (non-2xx). The API, on a miss, would read the database instead.
//
// Not done here, on purpose (the framework's and our cross-cutting code's cost, which the ratio
// measures): HttpApi's routing, query/params validation and response encoding, the request-context
// middleware and access line, Effect's fibers around each step, the adapter's 100 ms bound on every
// Redis command (Effect.timeoutOrElse).
import { createHash, randomBytes } from "node:crypto"
import { readFileSync } from "node:fs"
import { createServer, type ServerResponse } from "node:http"
import { fileURLToPath } from "node:url"
import { PgClient } from "@effect/sql-pg"
import { Duration, Effect, Exit, Redacted, Scope, String as Str } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { Redis } from "ioredis"
import { nearbyStatement, toProvider } from "@nelo/adapters/postgres/ProviderRepositoryPostgres"
import { nearbyCacheSeconds } from "@nelo/domain/catalogue/CatalogueCache"
import type { Menu } from "@nelo/domain/catalogue/Menu"
import { defaultNearbyRadiusM, maximumNearbyRadiusM, nearbyCellOf } from "@nelo/domain/catalogue/nearbyCell"
import { providerAt } from "@nelo/domain/catalogue/openingState"
import { distanceCursor } from "@nelo/domain/catalogue/pageCursor"
import type { NearbyRow } from "@nelo/domain/catalogue/ProviderRepository"
import { maximumPageSize } from "@nelo/domain/catalogue/providerSearch"
import { haversineMeters } from "@nelo/domain/geo/haversineMeters"
import { keyUrl } from "@nelo/domain/storage/ObjectStorage"
import { menuView, nearbyProviderView } from "../../apps/http/src/catalogue/views.ts"

const port = Number(process.env["HTTP_PORT"] ?? "8001")
const host = process.env["HTTP_HOST"] ?? "127.0.0.1"
const databaseUrl = process.env["DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/nelo"
const redisUrl = process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379"
const redisKeyPrefix = process.env["REDIS_KEY_PREFIX"] ?? "nelo"
// The API's DATABASE_POOL_MAX default, so both servers have the same number of connections.
const poolMax = Number(process.env["DATABASE_POOL_MAX"] ?? "10")
// The demo products have no photo, so this is never called in the bench; the API's filesystem
// storage would answer the same URL (STORAGE_PUBLIC_BASE_URL/<key>).
const publicBaseUrl = process.env["STORAGE_PUBLIC_BASE_URL"] ?? "http://127.0.0.1:3000/files"
// The handler's page size when the request names none (ProvidersHandlers.ts defaultPageSize).
const defaultPageSize = 20
// As the API's PostgresLayer: the pool's name transform does not recurse into jsonb values
// (@effect/sql-pg's transformJson). BASELINE_TRANSFORM_JSON=1 turns it on, for cost breakdowns.
const transformJson = process.env["BASELINE_TRANSFORM_JSON"] === "1"

// ---------------------------------------------------------------------------------------------
// The cache adapter's read script, word for word (CatalogueCacheRedis.ts readScript). Copied
// rather than imported (the adapter does not export it); start-up fails if the adapter's differs.
const readScript = `
local version = redis.call('GET', KEYS[1])
if not version then
  version = ARGV[1]
  redis.call('SET', KEYS[1], version, 'EX', ARGV[2])
end
return {version, redis.call('GET', ARGV[3] .. version .. ARGV[4])}`
const adapterSource = readFileSync(fileURLToPath(new URL("../../packages/adapters/src/redis/CatalogueCacheRedis.ts", import.meta.url)), "utf8")
if (/const readScript = `([^`]*)`/u.exec(adapterSource)?.[1] !== readScript) {
  process.stderr.write("catalogueBaseline: CatalogueCacheRedis.ts's read script is not the one copied here: update the baseline\n")
  process.exit(1)
}
const readScriptSha = createHash("sha1").update(readScript).digest("hex")
const versionKeySeconds = 24 * 60 * 60
const longestPlainKey = 64
const nearbyKeyPart = (key: string) =>
  key.length <= longestPlainKey && !key.startsWith("sha1-") ? key : `sha1-${createHash("sha1").update(key).digest("hex")}`
const tokenPrefix = randomBytes(6).toString("base64url")
let tokenSequence = 0
const newToken = () => `${tokenPrefix}${(tokenSequence++).toString(36)}`

// Same connection settings as the API's RedisClient: fail at once rather than queue while down.
const redis = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 })
redis.on("error", () => {})
await redis.connect()

/** The adapter's `read`: [version, json] in one round trip, loading the script if Redis lacks it. */
const readVersioned = (versionKey: string, valuePrefix: string, valueSuffix: string) => {
  const args = [versionKey, newToken(), versionKeySeconds, valuePrefix, valueSuffix] as const
  return (redis.evalsha(readScriptSha, 1, ...args) as Promise<[string, string | null]>).catch((error: unknown) => {
    if (error instanceof Error && error.message.startsWith("NOSCRIPT")) return redis.eval(readScript, 1, ...args) as Promise<[string, string | null]>
    throw error
  })
}
const nearbyVersionKey = `${redisKeyPrefix}:catalogue:nearby:version`
const nearbyValuePrefix = `${redisKeyPrefix}:catalogue:nearby:v`

// ---------------------------------------------------------------------------------------------
// Postgres: the API's pool settings (PostgresLayer), created once for the whole process.
const poolScope = await Effect.runPromise(Scope.make())
const postgres = await Effect.runPromise(
  PgClient.make({
    url: Redacted.make(databaseUrl),
    maxConnections: poolMax,
    connectTimeout: Duration.millis(5_000),
    applicationName: "nelo-bench-baseline",
    transformResultNames: Str.snakeToCamel,
    transformQueryNames: Str.camelToSnake,
    transformJson
  }).pipe(Scope.provide(poolScope), Effect.provide(Reactivity.layer))
)

interface CachedNearbyPage {
  readonly rows: ReadonlyArray<NearbyRow>
  readonly nextCursor: string | null
}

/** The first page of a cell from the database, as scanPage reads it without a filter: limit + 1 rows. */
const nearbyPageFromDatabase = async (centre: { lat: number; lng: number }, radiusM: number, limit: number): Promise<CachedNearbyPage> => {
  const fetched = await Effect.runPromise(nearbyStatement(postgres, { centre, radiusM, after: null, limit: limit + 1 }))
  const rows = fetched.slice(0, limit).map((row): NearbyRow => ({ provider: toProvider(row), distanceM: row.distanceM }))
  const last = fetched.length > limit ? rows[limit - 1] : undefined
  return { rows, nextCursor: last === undefined ? null : distanceCursor.encode({ centre, distanceM: last.distanceM, id: last.provider.id }) }
}

// ---------------------------------------------------------------------------------------------
const answer = (response: ServerResponse, status: number, value: unknown) => {
  const body = JSON.stringify(value)
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
  response.end(body)
}
const invalid = (response: ServerResponse) => answer(response, 400, { code: "invalid_request", message: "Requête invalide." })
const unavailable = (response: ServerResponse) => answer(response, 503, { code: "service_unavailable", message: "Service momentanément indisponible." })

const integerParam = (text: string | null, fallback: number, minimum: number, maximum: number) => {
  if (text === null) return fallback
  const value = Number(text)
  return Number.isInteger(value) && value >= minimum && value <= maximum ? value : undefined
}

const nearbyPrefix = "/api/v1/providers/nearby?"
const knownNearbyParams = new Set(["lat", "lng", "radiusM", "limit"])

const nearby = async (query: string, response: ServerResponse) => {
  const params = new URLSearchParams(query)
  for (const name of params.keys()) if (!knownNearbyParams.has(name)) return invalid(response)
  const lat = Number(params.get("lat") ?? "x")
  const lng = Number(params.get("lng") ?? "x")
  const radiusM = integerParam(params.get("radiusM"), defaultNearbyRadiusM, 1, maximumNearbyRadiusM)
  const limit = integerParam(params.get("limit"), defaultPageSize, 1, maximumPageSize)
  if (!(lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180) || radiusM === undefined || limit === undefined) return invalid(response)
  const point = { lat, lng }
  const centre = nearbyCellOf(point)
  const instantMs = Date.now()
  // The use case's key: centre, radius, type, open now, limit, cursor.
  const key = `${centre.lat},${centre.lng}|${radiusM}|all|any|${limit}|`
  const keyPart = nearbyKeyPart(key)
  let page: CachedNearbyPage
  try {
    const [version, json] = await readVersioned(nearbyVersionKey, nearbyValuePrefix, `:${keyPart}`)
    if (json !== null) {
      page = JSON.parse(json) as CachedNearbyPage
    } else {
      page = await nearbyPageFromDatabase(centre, radiusM, limit)
      await redis.set(`${nearbyValuePrefix}${version}:${keyPart}`, JSON.stringify(page), "EX", nearbyCacheSeconds)
    }
  } catch {
    return unavailable(response)
  }
  return answer(response, 200, {
    items: page.rows.map((row) =>
      nearbyProviderView({ ...providerAt(row.provider, instantMs), distanceM: Math.round(haversineMeters(point, row.provider.location)) })),
    nextCursor: page.nextCursor
  })
}

const menuPattern = /^\/api\/v1\/providers\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/menu$/iu
const toMenuView = menuView((key) => keyUrl(publicBaseUrl, key))

const menu = async (providerId: string, response: ServerResponse) => {
  let json: string | null
  try {
    ;[, json] = await readVersioned(`${redisKeyPrefix}:catalogue:menu:${providerId}:version`, `${redisKeyPrefix}:catalogue:menu:${providerId}:v`, "")
  } catch {
    return unavailable(response)
  }
  if (json === null) return answer(response, 503, { code: "cache_miss", message: "The menu was not in the cache: the bench warms it first." })
  const cached = JSON.parse(json) as Menu
  return answer(response, 200, toMenuView({ menu: cached, ...providerAt(cached.provider, Date.now()) }))
}

const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
  const url = request.url ?? ""
  if (request.method === "GET") {
    if (url.startsWith(nearbyPrefix)) return void nearby(url.slice(nearbyPrefix.length), response)
    const menuMatch = menuPattern.exec(url)
    if (menuMatch !== null) return void menu(menuMatch[1]!, response)
  }
  response.writeHead(404).end()
})

server.listen(port, host)

process.once("SIGTERM", () => {
  server.close()
  server.closeAllConnections()
  void Promise.allSettled([redis.quit(), Effect.runPromise(Scope.close(poolScope, Exit.void))]).then(() => process.exit(0))
})
