// The bare counterpart of the API's GET /health/ready: a plain node:http server doing the same two
// pings with the same drivers (@effect/sql-pg pool of the same size, one ioredis connection) and
// answering the same JSON, without router, middleware, schemas or logging. What the API is slower
// by is what those cost.
import { createServer } from "node:http"
import { PgClient } from "@effect/sql-pg"
import { Effect, Exit, Redacted, Scope } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { Redis } from "ioredis"

const port = Number(process.env["HTTP_PORT"] ?? "8001")
const host = process.env["HTTP_HOST"] ?? "127.0.0.1"
const databaseUrl = process.env["DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/nelo"
const redisUrl = process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379"
// The API's DATABASE_POOL_MAX default, so both servers have the same number of connections.
const poolMax = Number(process.env["DATABASE_POOL_MAX"] ?? "10")

interface DependencyStatus {
  readonly status: "up" | "down"
  readonly latencyMs: number
  readonly error?: string
}

// The pool lives for the whole process: it is created once in a scope that is closed on SIGTERM.
const poolScope = await Effect.runPromise(Scope.make())
const postgres = await Effect.runPromise(
  PgClient.make({ url: Redacted.make(databaseUrl), maxConnections: poolMax, applicationName: "nelo-bench-baseline" }).pipe(
    Scope.provide(poolScope),
    Effect.provide(Reactivity.layer)
  )
)
const selectOne = postgres`SELECT 1`

// Same connection settings as the API's RedisClient: fail at once rather than queue while down.
const redis = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 })
redis.on("error", () => {})
await redis.connect()

const timed = async (ping: () => Promise<unknown>): Promise<DependencyStatus> => {
  const started = performance.now()
  const elapsedMs = () => Math.round((performance.now() - started) * 100) / 100
  try {
    await ping()
    return { status: "up", latencyMs: elapsedMs() }
  } catch {
    return { status: "down", latencyMs: elapsedMs(), error: "unreachable" }
  }
}

const server = createServer({ keepAliveTimeout: 65_000 }, async (request, response) => {
  if (request.url !== "/health/ready") {
    response.writeHead(404).end()
    return
  }
  const [postgresStatus, redisStatus] = await Promise.all([
    timed(() => Effect.runPromise(selectOne)),
    timed(() => redis.ping())
  ])
  const ready = postgresStatus.status === "up" && redisStatus.status === "up"
  const body = JSON.stringify({ status: ready ? "ready" : "not_ready", dependencies: { postgres: postgresStatus, redis: redisStatus } })
  response.writeHead(ready ? 200 : 503, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
  response.end(body)
})

server.listen(port, host)

process.once("SIGTERM", () => {
  server.close()
  server.closeAllConnections()
  void Promise.allSettled([redis.quit(), Effect.runPromise(Scope.close(poolScope, Exit.void))]).then(() => process.exit(0))
})
