import { Effect } from "effect"
import type { Redis } from "ioredis"
import { AuthStoreUnavailable } from "@nelo/domain/auth/errors"
import { RedisClient } from "./RedisClient.ts"

/**
 * What the Redis auth stores share: keys under this process's prefix, and every Redis failure
 * turned into the domain's AuthStoreUnavailable (the request cannot be decided safely without it).
 */
export const authStoreRedis = Effect.gen(function*() {
  const client = yield* RedisClient
  return {
    key: (...parts: ReadonlyArray<string>) => [client.keyPrefix, ...parts].join(":"),
    run: <A>(command: (redis: Redis) => Promise<A>): Effect.Effect<A, AuthStoreUnavailable> =>
      client.use(command).pipe(Effect.mapError((failure) => new AuthStoreUnavailable({ cause: failure.cause })))
  }
})

/** Redis refuses PX 0 and fractions: a duration is sent as whole milliseconds, at least one. */
export const redisDurationMs = (durationMs: number) => Math.max(1, Math.ceil(durationMs))
