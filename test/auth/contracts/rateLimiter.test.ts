import { assert, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { RateLimiterMemory } from "@nelo/adapters/memory/RateLimiterMemory"
import { RateLimiterRedis } from "@nelo/adapters/redis/RateLimiterRedis"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { RateLimiter } from "@nelo/domain/auth/RateLimiter"
import { withEnv } from "../../support/withEnv.ts"
import { rateLimiterContract } from "./rateLimiterContract.ts"

rateLimiterContract("memory", RateLimiterMemory)
rateLimiterContract("redis", RateLimiterRedis.pipe(Layer.provide(RedisClientLayer)))

it.effect("an unreachable Redis is reported as AuthStoreUnavailable", () =>
  Effect.gen(function*() {
    const failure = yield* Effect.flip((yield* RateLimiter).hit("unreachable", 1_000))
    assert.strictEqual(failure._tag, "AuthStoreUnavailable")
  }).pipe(Effect.provide(RateLimiterRedis.pipe(Layer.provide(RedisClientLayer), Layer.provide(withEnv({ REDIS_URL: "redis://127.0.0.1:1" }))))))
