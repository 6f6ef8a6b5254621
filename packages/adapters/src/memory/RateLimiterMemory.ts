import { Clock, Effect, Layer } from "effect"
import { type AttemptOutcome, RateLimiter } from "@nelo/domain/auth/RateLimiter"
import { expiringEntries } from "./expiringEntries.ts"

/** In-memory rate limiter for tests and local runs: one process only, counts like the Redis one. */
export const RateLimiterMemory = Layer.sync(RateLimiter, () => {
  const counts = expiringEntries<number>()
  const cooldowns = expiringEntries<true>()

  return RateLimiter.of({
    hit: (bucket, windowMs) =>
      Effect.map(Clock.currentTimeMillis, (nowMs) => {
        const current = counts.read(bucket, nowMs)
        const count = (current?.value ?? 0) + 1
        const expiresAtMs = current?.expiresAtMs ?? nowMs + windowMs
        counts.write(bucket, count, expiresAtMs)
        return { count, resetInMs: expiresAtMs - nowMs }
      }),
    unhit: (bucket) =>
      Effect.map(Clock.currentTimeMillis, (nowMs) => {
        const current = counts.read(bucket, nowMs)
        if (current && current.value > 0) counts.write(bucket, current.value - 1, current.expiresAtMs)
      }),
    claimCooldown: (bucket, durationMs) =>
      Effect.map(Clock.currentTimeMillis, (nowMs) => {
        const running = cooldowns.read(bucket, nowMs)
        if (running) return { claimed: false, remainingMs: running.expiresAtMs - nowMs }
        cooldowns.write(bucket, true, nowMs + durationMs)
        return { claimed: true, remainingMs: durationMs }
      }),
    cooldownRemaining: (bucket) =>
      Effect.map(Clock.currentTimeMillis, (nowMs) => {
        const running = cooldowns.read(bucket, nowMs)
        return running ? running.expiresAtMs - nowMs : 0
      }),
    releaseCooldown: (bucket) => Effect.sync(() => cooldowns.remove(bucket)),
    reset: (bucket) => Effect.sync(() => counts.remove(bucket)),
    attempt: (buckets, rule, succeeded) =>
      Effect.map(Clock.currentTimeMillis, (nowMs): AttemptOutcome => {
        const cooling = cooldowns.read(buckets.cooldown, nowMs)
        if (cooling) return { _tag: "CoolingDown", remainingMs: cooling.expiresAtMs - nowMs }
        const current = counts.read(buckets.count, nowMs)
        const count = (current?.value ?? 0) + 1
        counts.write(buckets.count, count, current?.expiresAtMs ?? nowMs + rule.windowMs)
        if (count > rule.maximum) return { _tag: "OverMaximum" }
        if (succeeded) {
          counts.remove(buckets.count)
          return { _tag: "Succeeded" }
        }
        if (count === rule.maximum) {
          cooldowns.write(buckets.cooldown, true, nowMs + rule.cooldownMs)
          counts.remove(buckets.count)
          return { _tag: "CooldownStarted" }
        }
        return { _tag: "Failed", count }
      })
  })
})
