import { Effect, Redacted } from "effect"
import { Redis } from "ioredis"
import { RedisConfig } from "../redis/RedisConfig.ts"

/**
 * A Redis connection for BullMQ, which needs `maxRetriesPerRequest: null` (its blocking commands
 * must wait through reconnections). Closed when the scope closes.
 */
export const bullmqConnection = Effect.acquireRelease(
  Effect.gen(function*() {
    const config = yield* RedisConfig
    const connection = new Redis(Redacted.value(config.url), { maxRetriesPerRequest: null, lazyConnect: true })
    connection.on("error", () => {})
    return { connection, prefix: `${config.keyPrefix}:queues` }
  }),
  ({ connection }) => Effect.promise(() => connection.quit().catch(() => connection.disconnect())).pipe(Effect.asVoid)
)
