// The bare counterpart of the API's PUT /api/v1/drivers/me/location: a plain node:http server
// doing, per request, what the API does (apps/http/src/deliveries/Handlers.ts `location`, then
// packages/domain/src/deliveries/Drivers.ts `updateLocation` over LivePositionsRedis and
// DriverRepositoryPostgres) with the same drivers (pg through @effect/sql-pg with the API's pool
// settings, ioredis, jose), without router, middleware, schemas or logging:
//   1. the bearer JWT verified (jose, HS256, key by kid, issuer, audience, expiry, the claims'
//      shape) and the revocation MGET (Redis), as AuthenticationLive does;
//   2. the body read as JSON: one point, or { points: [...] } (shapes checked, no more);
//   3. the caller must be a driver: SELECT of his row (DriverRepositoryPostgres.findById, the same
//      statement); none: 404 driver_not_registered;
//   4. HGETALL of his position hash (LivePositionsRedis.stateOf): the last point kept, and the
//      trail's fields (a driver holding a delivery: the baseline serves drivers without one only,
//      and says so rather than skip the API's trail work);
//   5. the domain's own acceptLocationPoints with the drivers' policy read from the same config;
//   6. when a point is kept: MULTI, GEOADD, HSET of the same fields, EXPIRE (a day), EXEC;
//   7. the answer: the API's own locationUpdateView.
// bench/deliveryStatements.ts checks that both run the same SQL statement and Redis commands.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import { PgClient } from "@effect/sql-pg"
import { Effect, Exit, Redacted, Scope, String as Str } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { errors, type JWTHeaderParameters, jwtVerify } from "jose"
import { Redis } from "ioredis"
import { AuthSecretsConfig } from "@nelo/adapters/auth/AuthSecretsConfig"
import { DriverPolicyFromConfig } from "@nelo/adapters/deliveries/DriverPolicyFromConfig"
import { acceptLocationPoints } from "@nelo/domain/deliveries/acceptLocationPoints"
import { DriverPolicy } from "@nelo/domain/deliveries/DriverPolicy"
import type { LivePosition, LocationPoint } from "@nelo/domain/deliveries/LocationPoint"
import { locationUpdateView } from "../../apps/http/src/deliveries/views.ts"

const port = Number(process.env["HTTP_PORT"] ?? "8001")
const host = process.env["HTTP_HOST"] ?? "127.0.0.1"
const databaseUrl = process.env["DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/nelo"
const redisUrl = process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379"
const redisKeyPrefix = process.env["REDIS_KEY_PREFIX"] ?? "nelo"
// The API's DATABASE_POOL_MAX default, so both servers have the same number of connections.
const poolMax = Number(process.env["DATABASE_POOL_MAX"] ?? "10")
const maxBodyBytes = 64 * 1024
// LivePositionsRedis.ts positionTtlSeconds.
const positionTtlSeconds = 24 * 60 * 60

// ---------------------------------------------------------------------------------------------
// Configuration, read once as the API reads it.

const { keys } = await Effect.runPromise(AuthSecretsConfig)
const keyFor = (header: JWTHeaderParameters) => {
  const key = header.kid === undefined ? undefined : keys.get(header.kid)
  if (!key) throw new errors.JWKSNoMatchingKey()
  return key
}
const driverPolicy = await Effect.runPromise(Effect.gen(function*() {
  return yield* DriverPolicy
}).pipe(Effect.provide(DriverPolicyFromConfig)))

// ---------------------------------------------------------------------------------------------
// Postgres and Redis, with the API's settings.

const poolScope = await Effect.runPromise(Scope.make())
const sql = await Effect.runPromise(
  PgClient.make({
    url: Redacted.make(databaseUrl),
    maxConnections: poolMax,
    applicationName: "nelo-bench-baseline",
    transformResultNames: Str.snakeToCamel,
    transformQueryNames: Str.camelToSnake,
    transformJson: false
  }).pipe(Scope.provide(poolScope), Effect.provide(Reactivity.layer))
)
// DriverRepositoryPostgres's column list.
const driverCols = sql.literal("user_id, vehicle, plate, zone_id, status, status_changed_at, last_delivered_at, rating_sum, rating_count, created_at")

// Same connection settings as the API's RedisClient: fail at once rather than queue while down.
const redis = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 })
redis.on("error", () => {})
await redis.connect()
const geoKey = `${redisKeyPrefix}:deliveries:positions`
const hashKey = (driverId: string) => `${redisKeyPrefix}:deliveries:position:${driverId}`

// LivePositionsRedis.ts toFields / fromFields.
const toFields = (position: LivePosition): Record<string, string> => ({
  lat: String(position.location.lat),
  lng: String(position.location.lng),
  accuracyM: String(position.accuracyM),
  headingDeg: position.headingDeg === null ? "" : String(position.headingDeg),
  speedMps: position.speedMps === null ? "" : String(position.speedMps),
  recordedAtMs: String(position.recordedAt.getTime())
})
const numberOf = (text: string | undefined) => text === undefined || text === "" ? null : Number(text)
const fromFields = (driverId: string, fields: Record<string, string>): LivePosition | null => {
  const [lat, lng, accuracyM, recordedAtMs] = [numberOf(fields["lat"]), numberOf(fields["lng"]), numberOf(fields["accuracyM"]), numberOf(fields["recordedAtMs"])]
  if (lat === null || lng === null || accuracyM === null || recordedAtMs === null || ![lat, lng, accuracyM, recordedAtMs].every(Number.isFinite)) return null
  return { driverId, location: { lat, lng }, accuracyM, headingDeg: numberOf(fields["headingDeg"]), speedMps: numberOf(fields["speedMps"]), recordedAt: new Date(recordedAtMs) }
}

// ---------------------------------------------------------------------------------------------
// HTTP plumbing.

const answer = (response: ServerResponse, status: number, value: unknown) => {
  const body = JSON.stringify(value)
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
  response.end(body)
}

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Array<Buffer> = []
    let size = 0
    request.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBodyBytes) reject(new Error("body too large"))
      else chunks.push(chunk)
    })
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    request.on("error", reject)
  })

const unauthorized = { code: "unauthenticated", message: "Connectez-vous pour continuer." }
const invalid = { code: "invalid_request", message: "Requête invalide." }

/** The bearer's subject, or undefined (then the answer was sent). */
const authenticate = async (request: IncomingMessage, response: ServerResponse) => {
  const authorization = request.headers.authorization
  if (authorization === undefined || !authorization.startsWith("Bearer ")) return void answer(response, 401, unauthorized)
  let claims: { readonly sub: string; readonly sid: string; readonly jti: string }
  try {
    const { payload } = await jwtVerify(authorization.slice(7), keyFor, { algorithms: ["HS256"], issuer: "nelo", audience: "nelo-api", currentDate: new Date() })
    const { sub, roles, sid, jti, exp } = payload as Record<string, unknown>
    if (typeof sub !== "string" || !Array.isArray(roles) || typeof sid !== "string" || typeof jti !== "string" || typeof exp !== "number") return void answer(response, 401, unauthorized)
    claims = { sub, sid, jti }
  } catch {
    return void answer(response, 401, unauthorized)
  }
  const revoked = await redis.mget(`${redisKeyPrefix}:revoked:token:${claims.jti}`, `${redisKeyPrefix}:revoked:session:${claims.sid}`)
  if (revoked.some((value) => value !== null)) return void answer(response, 401, unauthorized)
  return claims.sub
}

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})$/u
/** A point of the body as the handler's pointOf makes it, or undefined when its shape is wrong. */
const pointOf = (value: unknown): LocationPoint | undefined => {
  if (typeof value !== "object" || value === null) return undefined
  const point = value as Record<string, unknown>
  const { lat, lng, accuracyM, headingDeg, speedMps, recordedAt } = point
  if (typeof lat !== "number" || typeof lng !== "number" || typeof accuracyM !== "number" || typeof recordedAt !== "string" || !isoInstant.test(recordedAt)) return undefined
  if ((headingDeg !== undefined && typeof headingDeg !== "number") || (speedMps !== undefined && typeof speedMps !== "number")) return undefined
  return { lat, lng, accuracyM, headingDeg: headingDeg ?? null, speedMps: speedMps ?? null, recordedAt: new Date(recordedAt) }
}

// ---------------------------------------------------------------------------------------------
// PUT /api/v1/drivers/me/location

const location = async (request: IncomingMessage, response: ServerResponse) => {
  const driverId = await authenticate(request, response)
  if (driverId === undefined) return
  let parsed: unknown
  try {
    parsed = JSON.parse(await readBody(request))
  } catch {
    return answer(response, 400, invalid)
  }
  const batch = typeof parsed === "object" && parsed !== null && "points" in parsed ? (parsed as { points: unknown }).points : [parsed]
  if (!Array.isArray(batch) || batch.length < 1 || batch.length > 50) return answer(response, 400, invalid)
  const points = batch.map(pointOf)
  if (points.some((point) => point === undefined)) return answer(response, 400, invalid)

  const [driver] = await Effect.runPromise(sql`SELECT ${driverCols} FROM deliveries.drivers WHERE user_id = ${driverId}`)
  if (driver === undefined) return answer(response, 404, { code: "driver_not_registered", message: "Vous n'êtes pas inscrit comme livreur." })
  const fields = await redis.hgetall(hashKey(driverId))
  if (fields["trailDeliveryId"] !== undefined && fields["trailDeliveryId"] !== "") throw new Error("the baseline serves drivers without a delivery only")
  const last = fromFields(driverId, fields)
  const accepted = acceptLocationPoints(points as ReadonlyArray<LocationPoint>, last?.recordedAt ?? null, Date.now(), driverPolicy)
  const newest = accepted.kept.at(-1)
  if (newest === undefined) return answer(response, 200, locationUpdateView({ ...accepted, position: last }))
  const position: LivePosition = {
    driverId,
    location: { lat: newest.lat, lng: newest.lng },
    accuracyM: newest.accuracyM,
    headingDeg: newest.headingDeg,
    speedMps: newest.speedMps,
    recordedAt: newest.recordedAt
  }
  await redis.multi()
    .geoadd(geoKey, position.location.lng, position.location.lat, driverId)
    .hset(hashKey(driverId), toFields(position))
    .expire(hashKey(driverId), positionTtlSeconds)
    .exec()
  return answer(response, 200, locationUpdateView({ ...accepted, position }))
}

const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
  if (request.method !== "PUT" || request.url !== "/api/v1/drivers/me/location") {
    response.writeHead(404).end()
    return
  }
  location(request, response).catch(() => {
    if (!response.headersSent) answer(response, 503, { code: "service_unavailable", message: "Service momentanément indisponible." })
  })
})

server.listen(port, host)

process.once("SIGTERM", () => {
  server.close()
  server.closeAllConnections()
  void Promise.allSettled([redis.quit(), Effect.runPromise(Scope.close(poolScope, Exit.void))]).then(() => process.exit(0))
})
