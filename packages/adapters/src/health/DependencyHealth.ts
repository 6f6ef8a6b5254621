import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { RedisClient } from "../redis/RedisClient.ts"

export interface DependencyStatus {
  readonly status: "up" | "down"
  readonly latencyMs: number
  /** Why it is down, in a few words; never a connection string. */
  readonly error?: string
}

export interface DependencyReport {
  readonly postgres: DependencyStatus
  readonly redis: DependencyStatus
}

// A dependency slower than this to answer a ping is as good as down for a request.
const pingTimeoutMs = 1_000

const timed = <E>(ping: Effect.Effect<unknown, E>): Effect.Effect<DependencyStatus> => Effect.suspend(() => {
  const started = performance.now()
  const elapsed = () => Math.round((performance.now() - started) * 100) / 100
  return ping.pipe(
    Effect.timeoutOrElse({ duration: pingTimeoutMs, orElse: () => Effect.fail("no answer within 1 s" as const) }),
    Effect.match({
      onSuccess: (): DependencyStatus => ({ status: "up", latencyMs: elapsed() }),
      onFailure: (error): DependencyStatus => ({
        status: "down",
        latencyMs: elapsed(),
        error: typeof error === "string" ? error : "unreachable"
      })
    })
  )
})

/** Pings Postgres and Redis concurrently, for readiness. */
export class DependencyHealth extends Context.Service<DependencyHealth, {
  readonly check: Effect.Effect<DependencyReport>
}>()("nelo/adapters/DependencyHealth") {}

export const DependencyHealthLayer = Layer.effect(DependencyHealth, Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const redis = yield* RedisClient
  const postgresPing = sql`SELECT 1`
  const redisPing = redis.use((client) => client.ping())
  return DependencyHealth.of({
    check: Effect.all({ postgres: timed(postgresPing), redis: timed(redisPing) }, { concurrency: 2 })
  })
}))
