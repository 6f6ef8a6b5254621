import { assert, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { TokenRevocationsMemory } from "@nelo/adapters/memory/TokenRevocationsMemory"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { TokenRevocationsRedis } from "@nelo/adapters/redis/TokenRevocationsRedis"
import { TokenRevocations } from "@nelo/domain/auth/TokenRevocations"
import { withEnv } from "../../support/withEnv.ts"
import { tokenRevocationsContract } from "./tokenRevocationsContract.ts"

tokenRevocationsContract("memory", TokenRevocationsMemory)
tokenRevocationsContract("redis", TokenRevocationsRedis.pipe(Layer.provide(RedisClientLayer)))

// Authentication must refuse, not wave a revoked token through, when it cannot ask.
it.effect("an unreachable Redis is reported as AuthStoreUnavailable", () =>
  Effect.gen(function*() {
    const failure = yield* Effect.flip((yield* TokenRevocations).isRevoked({ tokenId: "token", sessionId: "session" }))
    assert.strictEqual(failure._tag, "AuthStoreUnavailable")
  }).pipe(Effect.provide(TokenRevocationsRedis.pipe(Layer.provide(RedisClientLayer), Layer.provide(withEnv({ REDIS_URL: "redis://127.0.0.1:1" }))))))
