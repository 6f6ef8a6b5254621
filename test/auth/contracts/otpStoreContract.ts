import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Option, Result } from "effect"
import { type OtpKey, OtpStore } from "@nelo/domain/auth/OtpStore"
import { parsePhone } from "@nelo/domain/shared/Phone"

// The Redis suite shares the run's key prefix with other files: every test uses a phone of its own.
const newKey = (purpose: OtpKey["purpose"] = "login"): OtpKey => {
  const subscriber = String(Math.floor(Math.random() * 100_000_000)).padStart(8, "0")
  return { phone: Result.getOrThrow(parsePhone(`+22507${subscriber}`)), purpose }
}

/** One suite, run against every OtpStore adapter: they must count attempts and expire the same. */
export const otpStoreContract = (name: string, storeLayer: Layer.Layer<OtpStore, unknown>) =>
  layer(storeLayer, { excludeTestServices: true })(`OtpStore contract: ${name}`, (it) => {
    it.effect("each attempt on a stored code counts and returns its digest; none when nothing was stored", () =>
      Effect.gen(function*() {
        const store = yield* OtpStore
        const key = newKey()
        assert.isTrue(Option.isNone(yield* store.recordAttempt(key)))
        yield* store.put(key, "digest-1", 5_000)
        assert.deepStrictEqual(yield* store.recordAttempt(key), Option.some({ codeDigest: "digest-1", attempts: 1 }))
        assert.deepStrictEqual(yield* store.recordAttempt(key), Option.some({ codeDigest: "digest-1", attempts: 2 }))
      }))

    it.effect("put replaces the previous code and starts its attempts again from zero", () =>
      Effect.gen(function*() {
        const store = yield* OtpStore
        const key = newKey()
        yield* store.put(key, "old", 5_000)
        yield* store.recordAttempt(key)
        yield* store.recordAttempt(key)
        yield* store.put(key, "new", 5_000)
        assert.deepStrictEqual(yield* store.recordAttempt(key), Option.some({ codeDigest: "new", attempts: 1 }))
      }))

    it.effect("a put renews the time to live of a replaced code", () =>
      Effect.gen(function*() {
        const store = yield* OtpStore
        const key = newKey()
        yield* store.put(key, "short", 200)
        yield* store.put(key, "long", 5_000)
        yield* Effect.sleep("300 millis")
        assert.deepStrictEqual(yield* store.recordAttempt(key), Option.some({ codeDigest: "long", attempts: 1 }))
      }))

    it.effect("10 concurrent attempts get the counts 1 to 10, each once", () =>
      Effect.gen(function*() {
        const store = yield* OtpStore
        const key = newKey()
        yield* store.put(key, "digest", 5_000)
        const attempts = yield* Effect.all(Array.from({ length: 10 }, () => store.recordAttempt(key)), { concurrency: "unbounded" })
        assert.deepStrictEqual(
          attempts.map((attempt) => Option.getOrThrow(attempt).attempts).sort((a, b) => a - b),
          Array.from({ length: 10 }, (_, index) => index + 1)
        )
      }))

    it.effect("a code expires at its time to live, attempts do not extend it, and an attempt after expiry does not bring it back", () =>
      Effect.gen(function*() {
        const store = yield* OtpStore
        const key = newKey()
        yield* store.put(key, "digest", 300)
        yield* Effect.sleep("150 millis")
        assert.isTrue(Option.isSome(yield* store.recordAttempt(key)))
        yield* Effect.sleep("250 millis")
        assert.isTrue(Option.isNone(yield* store.recordAttempt(key)))
        assert.isTrue(Option.isNone(yield* store.recordAttempt(key)))
      }))

    it.effect("a burnt code is gone, and an attempt after the burn does not bring it back", () =>
      Effect.gen(function*() {
        const store = yield* OtpStore
        const key = newKey()
        yield* store.put(key, "digest", 5_000)
        assert.isTrue(yield* store.burn(key), "the burn that removes a live code says so")
        assert.isTrue(Option.isNone(yield* store.recordAttempt(key)))
        assert.isTrue(Option.isNone(yield* store.recordAttempt(key)))
        assert.isFalse(yield* store.burn(key), "nothing left to burn")
      }))

    it.effect("of concurrent burns of one code, exactly one removes it", () =>
      Effect.gen(function*() {
        const store = yield* OtpStore
        const key = newKey()
        yield* store.put(key, "digest", 5_000)
        const burns = yield* Effect.all(Array.from({ length: 10 }, () => store.burn(key)), { concurrency: 10 })
        assert.strictEqual(burns.filter(Boolean).length, 1)
      }))

    it.effect("codes are kept apart by phone and by purpose", () =>
      Effect.gen(function*() {
        const store = yield* OtpStore
        const login = newKey("login")
        const register = { ...login, purpose: "register" as const }
        const otherPhone = newKey("login")
        yield* store.put(login, "login-digest", 5_000)
        assert.isTrue(Option.isNone(yield* store.recordAttempt(register)))
        assert.isTrue(Option.isNone(yield* store.recordAttempt(otherPhone)))
        yield* store.put(register, "register-digest", 5_000)
        yield* store.burn(login)
        assert.deepStrictEqual(yield* store.recordAttempt(register), Option.some({ codeDigest: "register-digest", attempts: 1 }))
      }))
  })
