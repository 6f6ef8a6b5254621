import { Clock, Effect, Layer } from "effect"
import { RateLimiter } from "@nelo/domain/auth/RateLimiter"
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
    reset: (bucket) => Effect.sync(() => counts.remove(bucket))
  })
})
