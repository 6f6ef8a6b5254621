import { Context, Effect, Layer, Redacted, Schema } from "effect"
import { Redis } from "ioredis"
import { RedisConfig } from "./RedisConfig.ts"

export class RedisUnavailable extends Schema.TaggedError<RedisUnavailable>()("RedisUnavailable", {
  cause: Schema.Defect()
}) {}

/**
 * The process's one general-purpose Redis connection (BullMQ opens its own, as it must).
 * Commands fail at once while Redis is unreachable instead of queueing, so a request never hangs
 * on a dead cache and readiness reports the outage; ioredis keeps reconnecting in the background.
 */
export class RedisClient extends Context.Service<RedisClient, {
  readonly redis: Redis
  readonly keyPrefix: string
  readonly use: <A>(command: (redis: Redis) => Promise<A>) => Effect.Effect<A, RedisUnavailable>
}>()("nelo/adapters/RedisClient") {}

const connectWaitMs = 2_000

export const RedisClientLayer = Layer.effect(RedisClient, Effect.gen(function*() {
  const config = yield* RedisConfig
  const redis = yield* Effect.acquireRelease(
    Effect.promise(async () => {
      const client = new Redis(Redacted.value(config.url), {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: connectWaitMs,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2_000)
      })
      // Unhandled 'error' events would crash the process; reconnection is ioredis's job.
      client.on("error", () => {})
      // Start-up waits a little for the connection, but a Redis outage must not stop the API.
      await Promise.race([client.connect().catch(() => {}), new Promise((resolve) => setTimeout(resolve, connectWaitMs))])
      return client
    }),
    (client) =>
      Effect.promise(() => client.quit().catch(() => client.disconnect())).pipe(
        Effect.timeoutOrElse({ duration: "2 seconds", orElse: () => Effect.sync(() => client.disconnect()) }),
        Effect.asVoid
      )
  )
  return RedisClient.of({
    redis,
    keyPrefix: config.keyPrefix,
    use: (command) => Effect.tryPromise({ try: () => command(redis), catch: (cause) => new RedisUnavailable({ cause }) })
  })
}))
