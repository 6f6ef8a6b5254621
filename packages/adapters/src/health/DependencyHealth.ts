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

const elapsedSince = (startedMs: number) => Math.round((performance.now() - startedMs) * 100) / 100

/** Pings Postgres and Redis concurrently, for readiness. */
export class DependencyHealth extends Context.Service<DependencyHealth, {
  readonly check: Effect.Effect<DependencyReport>
}>()("nelo/adapters/DependencyHealth") {}

export const DependencyHealthLayer = Layer.effect(DependencyHealth, Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const redis = yield* RedisClient
  const pings = { postgres: sql`SELECT 1`, redis: redis.use((client) => client.ping()) }

  // Readiness is probed often and benchmarked: one timer for both pings (rather than a race per
  // ping) keeps it cheap. Each ping records its own result as it lands; whatever has not landed
  // when the timer fires is reported down.
  const check = Effect.suspend(() => {
    const startedMs = performance.now()
    const report: { postgres?: DependencyStatus; redis?: DependencyStatus } = {}
    const record = (name: keyof DependencyReport, ping: Effect.Effect<unknown, unknown>) =>
      Effect.matchEffect(ping, {
        onSuccess: () => Effect.sync(() => void (report[name] = { status: "up", latencyMs: elapsedSince(startedMs) })),
        onFailure: () => Effect.sync(() => void (report[name] = { status: "down", latencyMs: elapsedSince(startedMs), error: "unreachable" }))
      })
    const timedOut = (): DependencyStatus => ({ status: "down", latencyMs: elapsedSince(startedMs), error: "no answer within 1 s" })
    return Effect.all([record("postgres", pings.postgres), record("redis", pings.redis)], { concurrency: 2, discard: true }).pipe(
      Effect.timeoutOrElse({ duration: pingTimeoutMs, orElse: () => Effect.void }),
      Effect.map((): DependencyReport => ({ postgres: report.postgres ?? timedOut(), redis: report.redis ?? timedOut() }))
    )
  })

  return DependencyHealth.of({ check })
}))
