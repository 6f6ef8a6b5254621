import { assert, it } from "@effect/vitest"
import { Effect, Layer, Result } from "effect"
import { OtpStoreMemory } from "@nelo/adapters/memory/OtpStoreMemory"
import { OtpStoreRedis } from "@nelo/adapters/redis/OtpStoreRedis"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { OtpStore } from "@nelo/domain/auth/OtpStore"
import { parsePhone } from "@nelo/domain/shared/Phone"
import { withEnv } from "../../support/withEnv.ts"
import { otpStoreContract } from "./otpStoreContract.ts"

otpStoreContract("memory", OtpStoreMemory)
otpStoreContract("redis", OtpStoreRedis.pipe(Layer.provide(RedisClientLayer)))

it.effect("an unreachable Redis is reported as AuthStoreUnavailable, for the transaction too", () =>
  Effect.gen(function*() {
    const store = yield* OtpStore
    const key = { phone: Result.getOrThrow(parsePhone("0700000000")), purpose: "login" as const }
    assert.strictEqual((yield* Effect.flip(store.put(key, "digest", 1_000)))._tag, "AuthStoreUnavailable")
    assert.strictEqual((yield* Effect.flip(store.recordAttempt(key)))._tag, "AuthStoreUnavailable")
  }).pipe(Effect.provide(OtpStoreRedis.pipe(Layer.provide(RedisClientLayer), Layer.provide(withEnv({ REDIS_URL: "redis://127.0.0.1:1" }))))))
