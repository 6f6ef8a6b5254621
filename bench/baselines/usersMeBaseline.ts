// The bare counterpart of the API's GET /api/v1/users/me: a plain node:http server doing, per
// request, what the API does with the same drivers, without router, middleware, schemas or logging:
//   1. verify the bearer JWT with jose (HS256 only, key chosen by `kid`, issuer "nelo", audience
//      "nelo-api", expiry) and check the claims' shape (TokenIssuerJose.verifyAccess);
//   2. one Redis MGET of the token's and the session's revocation keys (TokenRevocationsRedis.isRevoked);
//   3. SELECT the user by id, same columns, with @effect/sql-pg (UserRepositoryPostgres.findById);
//   4. answer the same JSON (views.ts userView; avatarUrl null: the bench users have no photo).
// The keys come from the same configuration as the API's (AuthSecretsConfig: JWT_SIGNING_KEYS or
// the development default), read once at start-up.
import { createServer } from "node:http"
import { PgClient } from "@effect/sql-pg"
import { Effect, Exit, Redacted, Scope, String as Str } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { errors, type JWTHeaderParameters, jwtVerify } from "jose"
import { Redis } from "ioredis"
import { AuthSecretsConfig } from "@nelo/adapters/auth/AuthSecretsConfig"

const port = Number(process.env["HTTP_PORT"] ?? "8001")
const host = process.env["HTTP_HOST"] ?? "127.0.0.1"
const databaseUrl = process.env["DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/nelo"
const redisUrl = process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379"
const redisKeyPrefix = process.env["REDIS_KEY_PREFIX"] ?? "nelo"
// The API's DATABASE_POOL_MAX default, so both servers have the same number of connections.
const poolMax = Number(process.env["DATABASE_POOL_MAX"] ?? "10")
// For the cost breakdown only: 1 gives the pool the API's snake_case → camelCase name transforms.
const transformNames = process.env["BASELINE_TRANSFORM_NAMES"] === "1"

const { keys } = await Effect.runPromise(AuthSecretsConfig)
const keyFor = (header: JWTHeaderParameters) => {
  const key = header.kid === undefined ? undefined : keys.get(header.kid)
  if (!key) throw new errors.JWKSNoMatchingKey()
  return key
}

// The pool lives for the whole process: it is created once in a scope that is closed on SIGTERM.
const poolScope = await Effect.runPromise(Scope.make())
const postgres = await Effect.runPromise(
  PgClient.make({
    url: Redacted.make(databaseUrl),
    maxConnections: poolMax,
    applicationName: "nelo-bench-baseline",
    ...(transformNames ? { transformResultNames: Str.snakeToCamel, transformQueryNames: Str.camelToSnake } : {})
  }).pipe(
    Scope.provide(poolScope),
    Effect.provide(Reactivity.layer)
  )
)
const userColumns = postgres.literal(
  "id, phone, full_name, email, language, roles, referral_code, referred_by, password_hash IS NOT NULL AS has_password, pin_hash IS NOT NULL AS has_pin, avatar_key, created_at"
)

interface UserRow {
  readonly id: string
  readonly phone: string
  readonly full_name: string
  readonly email: string | null
  readonly language: string
  readonly roles: ReadonlyArray<string>
  readonly referral_code: string
  readonly has_password: boolean
  readonly has_pin: boolean
  readonly avatar_key: string | null
  readonly created_at: Date
}
interface CamelUserRow {
  readonly id: string
  readonly phone: string
  readonly fullName: string
  readonly email: string | null
  readonly language: string
  readonly roles: ReadonlyArray<string>
  readonly referralCode: string
  readonly hasPassword: boolean
  readonly hasPin: boolean
  readonly avatarKey: string | null
  readonly createdAt: Date
}

const findUser = (id: string): Promise<CamelUserRow | undefined> =>
  transformNames
    ? Effect.runPromise(postgres<CamelUserRow>`SELECT ${userColumns} FROM users.users WHERE id = ${id}`).then((rows) => rows[0])
    : Effect.runPromise(postgres<UserRow>`SELECT ${userColumns} FROM users.users WHERE id = ${id}`).then((rows) => {
      const row = rows[0]
      return row === undefined ? undefined : {
        id: row.id,
        phone: row.phone,
        fullName: row.full_name,
        email: row.email,
        language: row.language,
        roles: row.roles,
        referralCode: row.referral_code,
        hasPassword: row.has_password,
        hasPin: row.has_pin,
        avatarKey: row.avatar_key,
        createdAt: row.created_at
      }
    })

// Same connection settings as the API's RedisClient: fail at once rather than queue while down.
const redis = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 })
redis.on("error", () => {})
await redis.connect()

const answer = (response: import("node:http").ServerResponse, status: number, value: unknown) => {
  const body = JSON.stringify(value)
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
  response.end(body)
}

// The bench users have no photo; the API would turn a key into a URL with ObjectStorage.publicUrl.
const avatarUrlOf = (key: string | null) => key === null ? null : `/files/${key}`

const unauthorized = { code: "unauthenticated", message: "Connectez-vous pour continuer." }

const server = createServer({ keepAliveTimeout: 65_000 }, async (request, response) => {
  if (request.url !== "/api/v1/users/me" || request.method !== "GET") {
    response.writeHead(404).end()
    return
  }
  const authorization = request.headers.authorization
  if (authorization === undefined || !authorization.startsWith("Bearer ")) return answer(response, 401, unauthorized)
  let claims: { readonly sub: string; readonly sid: string; readonly jti: string }
  try {
    const { payload } = await jwtVerify(authorization.slice(7), keyFor, { algorithms: ["HS256"], issuer: "nelo", audience: "nelo-api", currentDate: new Date() })
    const { sub, roles, sid, jti, exp } = payload as Record<string, unknown>
    if (typeof sub !== "string" || !Array.isArray(roles) || typeof sid !== "string" || typeof jti !== "string" || typeof exp !== "number") {
      return answer(response, 401, unauthorized)
    }
    claims = { sub, sid, jti }
  } catch {
    return answer(response, 401, unauthorized)
  }
  try {
    const revoked = await redis.mget(`${redisKeyPrefix}:revoked:token:${claims.jti}`, `${redisKeyPrefix}:revoked:session:${claims.sid}`)
    if (revoked.some((value) => value !== null)) return answer(response, 401, unauthorized)
    const user = await findUser(claims.sub)
    if (user === undefined) return answer(response, 404, { code: "account_not_found", message: "Compte introuvable." })
    return answer(response, 200, {
      id: user.id,
      phone: user.phone,
      fullName: user.fullName,
      email: user.email,
      language: user.language,
      roles: user.roles,
      referralCode: user.referralCode,
      hasPassword: user.hasPassword,
      hasPin: user.hasPin,
      avatarUrl: avatarUrlOf(user.avatarKey),
      createdAt: user.createdAt.toISOString()
    })
  } catch {
    return answer(response, 503, { code: "service_unavailable", message: "Service momentanément indisponible." })
  }
})

server.listen(port, host)

process.once("SIGTERM", () => {
  server.close()
  server.closeAllConnections()
  void Promise.allSettled([redis.quit(), Effect.runPromise(Scope.close(poolScope, Exit.void))]).then(() => process.exit(0))
})
