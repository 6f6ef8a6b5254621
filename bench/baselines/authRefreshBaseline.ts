// The bare counterpart of the API's POST /api/v1/auth/refresh: a plain node:http server doing, per
// request, what the API does with the same drivers, without router, middleware, schemas or logging:
//   1. read the JSON body and check `refreshToken` (a string of 16 to 4096 characters);
//   2. draw the next refresh token (32 random bytes, base64url) and HMAC-SHA256 both tokens with
//      the digest secret (AuthCryptoNode, input `refresh:<token>` as in openSession.ts);
//   3. one transaction with @effect/sql-pg, the same statements as SessionStorePostgres.rotate:
//      SELECT ... FOR UPDATE OF the token and its session, UPDATE used_at, INSERT the next digest,
//      UPDATE the session RETURNING its columns (reuse: revoke the session, in Postgres and Redis);
//   4. SELECT the user by id, same columns (UserRepositoryPostgres.findById);
//   5. sign the access token with jose, same header and claims (TokenIssuerJose.issueAccess);
//   6. answer the same JSON (views.ts signedInView; avatarUrl null: the bench users have no photo).
// Secrets and TTLs come from the same configuration as the API's (AuthSecretsConfig,
// AuthPolicyFromConfig), read once at start-up.
import { createHmac, randomBytes, randomUUID } from "node:crypto"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import { PgClient } from "@effect/sql-pg"
import { Effect, Exit, Redacted, Scope } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SignJWT } from "jose"
import { Redis } from "ioredis"
import { AuthPolicyFromConfig } from "@nelo/adapters/auth/AuthPolicyFromConfig"
import { AuthSecretsConfig } from "@nelo/adapters/auth/AuthSecretsConfig"
import { AuthPolicy } from "@nelo/domain/auth/AuthPolicy"

const port = Number(process.env["HTTP_PORT"] ?? "8001")
const host = process.env["HTTP_HOST"] ?? "127.0.0.1"
const databaseUrl = process.env["DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/nelo"
const redisUrl = process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379"
const redisKeyPrefix = process.env["REDIS_KEY_PREFIX"] ?? "nelo"
// The API's DATABASE_POOL_MAX default, so both servers have the same number of connections.
const poolMax = Number(process.env["DATABASE_POOL_MAX"] ?? "10")
const maxBodyBytes = 64 * 1024

const { digestSecret, keys, activeKeyId } = await Effect.runPromise(AuthSecretsConfig)
const digestKey = Buffer.from(Redacted.value(digestSecret))
const signingKey = keys.get(activeKeyId)!
const policy = await Effect.runPromise(Effect.gen(function*() {
  return yield* AuthPolicy
}).pipe(Effect.provide(AuthPolicyFromConfig)))
const digest = (refreshToken: string) => createHmac("sha256", digestKey).update(`refresh:${refreshToken}`).digest("hex")

// The pool lives for the whole process: it is created once in a scope that is closed on SIGTERM.
const poolScope = await Effect.runPromise(Scope.make())
const sql = await Effect.runPromise(
  PgClient.make({ url: Redacted.make(databaseUrl), maxConnections: poolMax, applicationName: "nelo-bench-baseline" }).pipe(
    Scope.provide(poolScope),
    Effect.provide(Reactivity.layer)
  )
)
const userColumns = sql.literal(
  "id, phone, full_name, email, language, roles, referral_code, referred_by, password_hash IS NOT NULL AS has_password, pin_hash IS NOT NULL AS has_pin, avatar_key, created_at"
)
const sessionColumns = sql.literal("id, user_id, device_label, created_at, last_used_at, expires_at")

interface PresentedRow {
  readonly session_id: string
  readonly used_at: Date | null
  readonly revoked_at: Date | null
  readonly expires_at: Date
}
interface SessionRow {
  readonly id: string
  readonly user_id: string
  readonly expires_at: Date
}
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

type Rotation =
  | { readonly _tag: "Invalid" }
  | { readonly _tag: "Reused"; readonly sessionId: string }
  | { readonly _tag: "Rotated"; readonly session: SessionRow }

const rotate = (refreshDigest: string, nextRefreshDigest: string, now: Date, nextExpiresAt: Date) =>
  sql.withTransaction(Effect.gen(function*() {
    const [presented] = yield* sql<PresentedRow>`
      SELECT t.session_id, t.used_at, s.revoked_at, s.expires_at
      FROM auth.refresh_tokens t JOIN auth.sessions s ON s.id = t.session_id
      WHERE t.digest = ${refreshDigest}
      FOR UPDATE OF t, s`
    if (!presented || presented.revoked_at !== null || presented.expires_at.getTime() <= now.getTime()) {
      return { _tag: "Invalid" } satisfies Rotation
    }
    if (presented.used_at !== null) {
      yield* sql`
        UPDATE auth.sessions SET revoked_at = ${now}, revoked_reason = 'refresh_token_reused'
        WHERE id = ${presented.session_id}`
      return { _tag: "Reused", sessionId: presented.session_id } satisfies Rotation
    }
    yield* sql`UPDATE auth.refresh_tokens SET used_at = ${now} WHERE digest = ${refreshDigest}`
    yield* sql`
      INSERT INTO auth.refresh_tokens (digest, session_id, issued_at)
      VALUES (${nextRefreshDigest}, ${presented.session_id}, ${now})`
    const [session] = yield* sql<SessionRow>`
      UPDATE auth.sessions SET last_used_at = ${now}, expires_at = ${nextExpiresAt}
      WHERE id = ${presented.session_id}
      RETURNING ${sessionColumns}`
    return { _tag: "Rotated", session: session! } satisfies Rotation
  }))

// Same connection settings as the API's RedisClient: fail at once rather than queue while down.
const redis = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 })
redis.on("error", () => {})
await redis.connect()

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

// The bench users have no photo; the API would turn a key into a URL with ObjectStorage.publicUrl.
const avatarUrlOf = (key: string | null) => key === null ? null : `/files/${key}`

const invalid = { code: "refresh_token_invalid", message: "Reconnectez-vous." }

const refresh = async (request: IncomingMessage, response: ServerResponse) => {
  let refreshToken: unknown
  try {
    refreshToken = (JSON.parse(await readBody(request)) as { refreshToken?: unknown }).refreshToken
  } catch {
    return answer(response, 400, { code: "malformed_request", message: "Le corps de la requête est illisible." })
  }
  if (typeof refreshToken !== "string" || refreshToken.length < 16 || refreshToken.length > 4096) {
    return answer(response, 422, { code: "invalid_request", message: "refreshToken" })
  }
  const now = new Date()
  const nextRefreshToken = randomBytes(32).toString("base64url")
  const outcome = await Effect.runPromise(rotate(digest(refreshToken), digest(nextRefreshToken), now, new Date(now.getTime() + policy.refreshTokenTtlMs)))
  if (outcome._tag === "Invalid") return answer(response, 401, invalid)
  if (outcome._tag === "Reused") {
    await redis.set(`${redisKeyPrefix}:revoked:session:${outcome.sessionId}`, "1", "PX", policy.accessTokenTtlMs)
    return answer(response, 401, { code: "refresh_token_reused", message: "Reconnectez-vous." })
  }
  const [user] = await Effect.runPromise(sql<UserRow>`SELECT ${userColumns} FROM users.users WHERE id = ${outcome.session.user_id}`)
  if (user === undefined) return answer(response, 401, invalid)
  const nowMs = Date.now()
  const expiresAtSeconds = Math.floor((nowMs + policy.accessTokenTtlMs) / 1000)
  const accessToken = await new SignJWT({ roles: user.roles, sid: outcome.session.id })
    .setProtectedHeader({ alg: "HS256", kid: activeKeyId, typ: "JWT" })
    .setIssuer("nelo")
    .setAudience("nelo-api")
    .setSubject(user.id)
    .setJti(randomUUID())
    .setIssuedAt(Math.floor(nowMs / 1000))
    .setExpirationTime(expiresAtSeconds)
    .sign(signingKey)
  return answer(response, 200, {
    accessToken,
    accessTokenExpiresAt: new Date(expiresAtSeconds * 1000).toISOString(),
    refreshToken: nextRefreshToken,
    refreshTokenExpiresAt: outcome.session.expires_at.toISOString(),
    user: {
      id: user.id,
      phone: user.phone,
      fullName: user.full_name,
      email: user.email,
      language: user.language,
      roles: user.roles,
      referralCode: user.referral_code,
      hasPassword: user.has_password,
      hasPin: user.has_pin,
      avatarUrl: avatarUrlOf(user.avatar_key),
      createdAt: user.created_at.toISOString()
    }
  })
}

const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
  if (request.url !== "/api/v1/auth/refresh" || request.method !== "POST") {
    response.writeHead(404).end()
    return
  }
  refresh(request, response).catch(() => {
    if (!response.headersSent) answer(response, 503, { code: "service_unavailable", message: "Service momentanément indisponible." })
  })
})

server.listen(port, host)

process.once("SIGTERM", () => {
  server.close()
  server.closeAllConnections()
  void Promise.allSettled([redis.quit(), Effect.runPromise(Scope.close(poolScope, Exit.void))]).then(() => process.exit(0))
})
