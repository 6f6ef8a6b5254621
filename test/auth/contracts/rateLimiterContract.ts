import { assert, layer } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import { RateLimiter } from "@nelo/domain/auth/RateLimiter"

// The Redis suite shares the run's key prefix with other files: every test uses buckets of its own.
const newBucket = (name: string) => `${name}:${crypto.randomUUID()}`
const sequence = (length: number) => Array.from({ length }, (_, index) => index + 1)

/** One suite, run against every RateLimiter adapter: they must count and expire the same. */
export const rateLimiterContract = (name: string, limiterLayer: Layer.Layer<RateLimiter, unknown>) =>
  layer(limiterLayer, { excludeTestServices: true })(`RateLimiter contract: ${name}`, (it) => {
    it.effect("counts hits from one in a window fixed at the first hit, which later hits do not extend", () =>
      Effect.gen(function*() {
        const limiter = yield* RateLimiter
        const bucket = newBucket("fixed")
        const first = yield* limiter.hit(bucket, 1_000)
        assert.strictEqual(first.count, 1)
        assert.isTrue(first.resetInMs > 900 && first.resetInMs <= 1_000, `resetInMs ${first.resetInMs}`)
        yield* Effect.sleep("120 millis")
        const second = yield* limiter.hit(bucket, 1_000)
        assert.strictEqual(second.count, 2)
        assert.isTrue(second.resetInMs <= first.resetInMs - 100, `resetInMs ${second.resetInMs} after ${first.resetInMs}`)
      }))

    it.effect("50 concurrent hits on one bucket get the counts 1 to 50, each once", () =>
      Effect.gen(function*() {
        const limiter = yield* RateLimiter
        const bucket = newBucket("concurrent")
        const hits = yield* Effect.all(Array.from({ length: 50 }, () => limiter.hit(bucket, 5_000)), { concurrency: "unbounded" })
        assert.deepStrictEqual(hits.map((hit) => hit.count).sort((a, b) => a - b), sequence(50))
        assert.isTrue(hits.every((hit) => hit.resetInMs > 0 && hit.resetInMs <= 5_000))
      }))

    it.effect("a new window starts from one once the previous one has passed", () =>
      Effect.gen(function*() {
        const limiter = yield* RateLimiter
        const bucket = newBucket("expiry")
        yield* limiter.hit(bucket, 200)
        yield* limiter.hit(bucket, 200)
        yield* Effect.sleep("300 millis")
        const next = yield* limiter.hit(bucket, 1_000)
        assert.strictEqual(next.count, 1)
        assert.isTrue(next.resetInMs > 900, `resetInMs ${next.resetInMs}`)
      }))

    it.effect("unhit takes back one hit, keeps the window, and never goes below zero", () =>
      Effect.gen(function*() {
        const limiter = yield* RateLimiter
        const bucket = newBucket("unhit")
        yield* limiter.hit(bucket, 1_000)
        yield* limiter.hit(bucket, 1_000)
        yield* limiter.unhit(bucket)
        assert.strictEqual((yield* limiter.hit(bucket, 1_000)).count, 2)
        yield* Effect.all([limiter.unhit(bucket), limiter.unhit(bucket), limiter.unhit(bucket)])
        yield* Effect.sleep("100 millis")
        const after = yield* limiter.hit(bucket, 1_000)
        assert.strictEqual(after.count, 1)
        assert.isTrue(after.resetInMs <= 900, `the window restarted: resetInMs ${after.resetInMs}`)
      }))

    it.effect("unhit on a bucket with no window creates nothing: the next hit opens a fresh window at one", () =>
      Effect.gen(function*() {
        const limiter = yield* RateLimiter
        const never = newBucket("never-hit")
        yield* limiter.unhit(never)
        const first = yield* limiter.hit(never, 1_000)
        assert.strictEqual(first.count, 1)
        assert.isTrue(first.resetInMs > 900 && first.resetInMs <= 1_000, `resetInMs ${first.resetInMs}`)

        const expired = newBucket("expired")
        yield* limiter.hit(expired, 150)
        yield* Effect.sleep("250 millis")
        yield* limiter.unhit(expired)
        const again = yield* limiter.hit(expired, 1_000)
        assert.strictEqual(again.count, 1)
        assert.isTrue(again.resetInMs > 900, `resetInMs ${again.resetInMs}`)
      }))

    it.effect("reset forgets the count, and leaves the bucket's cooldown alone", () =>
      Effect.gen(function*() {
        const limiter = yield* RateLimiter
        const bucket = newBucket("reset")
        yield* limiter.hit(bucket, 1_000)
        yield* limiter.hit(bucket, 1_000)
        assert.isTrue((yield* limiter.claimCooldown(bucket, 1_000)).claimed)
        yield* limiter.reset(bucket)
        assert.strictEqual((yield* limiter.hit(bucket, 1_000)).count, 1)
        assert.isTrue((yield* limiter.cooldownRemaining(bucket)) > 0)
        yield* limiter.releaseCooldown(bucket)
        assert.strictEqual((yield* limiter.hit(bucket, 1_000)).count, 2)
      }))

    it.effect("a cooldown is claimed once, reports the time left, and can be claimed again after it runs out", () =>
      Effect.gen(function*() {
        const limiter = yield* RateLimiter
        const bucket = newBucket("cooldown")
        assert.strictEqual(yield* limiter.cooldownRemaining(bucket), 0)
        assert.deepStrictEqual(yield* limiter.claimCooldown(bucket, 250), { claimed: true, remainingMs: 250 })
        yield* Effect.sleep("50 millis")
        const refused = yield* limiter.claimCooldown(bucket, 250)
        assert.isFalse(refused.claimed)
        assert.isTrue(refused.remainingMs > 0 && refused.remainingMs <= 210, `remainingMs ${refused.remainingMs}`)
        const remaining = yield* limiter.cooldownRemaining(bucket)
        assert.isTrue(remaining > 0 && remaining <= refused.remainingMs, `remaining ${remaining}`)
        yield* Effect.sleep("300 millis")
        assert.strictEqual(yield* limiter.cooldownRemaining(bucket), 0)
        assert.isTrue((yield* limiter.claimCooldown(bucket, 250)).claimed)
      }))

    it.effect("asking for the time left claims nothing, and a released cooldown can be claimed at once", () =>
      Effect.gen(function*() {
        const limiter = yield* RateLimiter
        const bucket = newBucket("release")
        assert.strictEqual(yield* limiter.cooldownRemaining(bucket), 0)
        assert.isTrue((yield* limiter.claimCooldown(bucket, 5_000)).claimed)
        yield* limiter.releaseCooldown(bucket)
        assert.strictEqual(yield* limiter.cooldownRemaining(bucket), 0)
        assert.isTrue((yield* limiter.claimCooldown(bucket, 5_000)).claimed)
      }))

    it.effect("of 20 concurrent claims on one cooldown exactly one wins", () =>
      Effect.gen(function*() {
        const limiter = yield* RateLimiter
        const bucket = newBucket("claim-race")
        const claims = yield* Effect.all(Array.from({ length: 20 }, () => limiter.claimCooldown(bucket, 5_000)), { concurrency: "unbounded" })
        assert.strictEqual(claims.filter((claim) => claim.claimed).length, 1)
        assert.isTrue(claims.every((claim) => claim.remainingMs > 0 && claim.remainingMs <= 5_000))
      }))

    it.effect("a bucket's count and cooldown are separate, and buckets are separate from each other", () =>
      Effect.gen(function*() {
        const limiter = yield* RateLimiter
        const bucket = newBucket("separate")
        const other = newBucket("separate")
        yield* limiter.hit(bucket, 1_000)
        assert.isTrue((yield* limiter.claimCooldown(bucket, 1_000)).claimed)
        assert.strictEqual((yield* limiter.hit(other, 1_000)).count, 1)
        assert.isTrue((yield* limiter.claimCooldown(other, 1_000)).claimed)
        yield* limiter.releaseCooldown(other)
        assert.isFalse((yield* limiter.claimCooldown(bucket, 1_000)).claimed)
        assert.strictEqual((yield* limiter.hit(bucket, 1_000)).count, 2)
      }))

    it.effect("attempt: failures count up to the maximum, whose failure starts the cooldown; during it everything is refused; a success clears the count", () =>
      Effect.gen(function*() {
        const limiter = yield* RateLimiter
        const buckets = { count: newBucket("attempt-count"), cooldown: newBucket("attempt-cooldown") }
        const rule = { windowMs: 5_000, maximum: 3, cooldownMs: 300 }
        assert.deepStrictEqual(yield* limiter.attempt(buckets, rule, false), { _tag: "Failed", count: 1 })
        assert.deepStrictEqual(yield* limiter.attempt(buckets, rule, true), { _tag: "Succeeded" })
        // The success cleared the count: three more failures are needed.
        assert.deepStrictEqual(yield* limiter.attempt(buckets, rule, false), { _tag: "Failed", count: 1 })
        assert.deepStrictEqual(yield* limiter.attempt(buckets, rule, false), { _tag: "Failed", count: 2 })
        assert.deepStrictEqual(yield* limiter.attempt(buckets, rule, false), { _tag: "CooldownStarted" })
        const cooling = yield* limiter.attempt(buckets, rule, true)
        assert.strictEqual(cooling._tag, "CoolingDown")
        assert.isTrue(cooling._tag === "CoolingDown" && cooling.remainingMs > 0 && cooling.remainingMs <= 300)
        yield* Effect.sleep("350 millis")
        assert.deepStrictEqual(yield* limiter.attempt(buckets, rule, true), { _tag: "Succeeded" })
      }))

    it.effect("attempt: 40 at once, right or wrong, give an answer to the maximum at most; the rest are refused without a cooldown", () =>
      Effect.gen(function*() {
        const limiter = yield* RateLimiter
        const rule = { windowMs: 5_000, maximum: 5, cooldownMs: 60_000 }
        const wrong = { count: newBucket("attempt-burst-count"), cooldown: newBucket("attempt-burst-cooldown") }
        const guesses = yield* Effect.all(Array.from({ length: 40 }, () => limiter.attempt(wrong, rule, false)), { concurrency: "unbounded" })
        const answered = guesses.filter((outcome) => outcome._tag === "Failed" || outcome._tag === "CooldownStarted")
        assert.strictEqual(answered.length, 5)
        assert.strictEqual(guesses.filter((outcome) => outcome._tag === "CooldownStarted").length, 1)

        const right = { count: newBucket("attempt-owner-count"), cooldown: newBucket("attempt-owner-cooldown") }
        const owner = yield* Effect.all(Array.from({ length: 40 }, () => limiter.attempt(right, rule, true)), { concurrency: "unbounded" })
        assert.isTrue(owner.every((outcome) => outcome._tag === "Succeeded" || outcome._tag === "OverMaximum"))
        assert.isAtLeast(owner.filter((outcome) => outcome._tag === "Succeeded").length, 5)
        assert.deepStrictEqual(yield* limiter.attempt(right, rule, true), { _tag: "Succeeded" }, "no cooldown was started")
      }))
  })
