import { Effect, Layer } from "effect"
import { type AttemptOutcome, RateLimiter } from "@nelo/domain/auth/RateLimiter"
import { authStoreRedis, redisDurationMs } from "./authStoreRedis.ts"

// Counting and starting the window happen in one script: two processes hitting a new bucket at
// once must not both (or neither) set its expiry, and a counter must never be left without one.
// An expiry is only set when missing, so later hits do not push the window back.
const hitScript = `
local count = redis.call('INCR', KEYS[1])
local remaining = redis.call('PTTL', KEYS[1])
if remaining < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  remaining = tonumber(ARGV[1])
end
return {count, remaining}`

// A plain DECR would create a key with no expiry (a counter at -1 forever) once the window is over.
const unhitScript = `
local count = tonumber(redis.call('GET', KEYS[1]))
if count and count > 0 then redis.call('DECR', KEYS[1]) end
return 0`

// Claiming and reading the time left in one step: read separately, the running cooldown could
// expire in between and report a negative wait.
const claimScript = `
local claimed = redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) and 1 or 0
return {claimed, redis.call('PTTL', KEYS[1])}`

/** PTTL answers -2 for a missing key (and -1 for one without expiry, which these keys never are). */
const remainingOf = (pttlMs: number) => Math.max(0, pttlMs)

// RateLimiter.attempt in one round trip: KEYS count, cooldown; ARGV windowMs, maximum, cooldownMs,
// succeeded (1|0). Answers {code, value}: 0 cooling down (ms left), 1 over maximum, 2 succeeded,
// 3 failed (count), 4 cooldown started.
const attemptScript = `
local cooling = redis.call('PTTL', KEYS[2])
if cooling > 0 then return {0, cooling} end
local count = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if count > tonumber(ARGV[2]) then return {1, count} end
if ARGV[4] == '1' then
  redis.call('DEL', KEYS[1])
  return {2, 0}
end
if count == tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return {4, 0}
end
return {3, count}`

export const RateLimiterRedis = Layer.effect(RateLimiter, Effect.gen(function*() {
  const { key, run } = yield* authStoreRedis
  const countKey = (bucket: string) => key("rate", bucket)
  const cooldownKey = (bucket: string) => key("cooldown", bucket)

  return RateLimiter.of({
    hit: (bucket, windowMs) =>
      run((redis) => redis.eval(hitScript, 1, countKey(bucket), redisDurationMs(windowMs)) as Promise<[number, number]>).pipe(
        Effect.map(([count, resetInMs]) => ({ count, resetInMs }))
      ),
    unhit: (bucket) => run((redis) => redis.eval(unhitScript, 1, countKey(bucket))).pipe(Effect.asVoid),
    claimCooldown: (bucket, durationMs) =>
      run((redis) => redis.eval(claimScript, 1, cooldownKey(bucket), redisDurationMs(durationMs)) as Promise<[number, number]>).pipe(
        Effect.map(([claimed, pttlMs]) => claimed === 1 ? { claimed: true, remainingMs: durationMs } : { claimed: false, remainingMs: remainingOf(pttlMs) })
      ),
    cooldownRemaining: (bucket) => run((redis) => redis.pttl(cooldownKey(bucket))).pipe(Effect.map(remainingOf)),
    releaseCooldown: (bucket) => run((redis) => redis.del(cooldownKey(bucket))).pipe(Effect.asVoid),
    reset: (bucket) => run((redis) => redis.del(countKey(bucket))).pipe(Effect.asVoid),
    attempt: (buckets, rule, succeeded) =>
      run((redis) => redis.eval(attemptScript, 2, countKey(buckets.count), cooldownKey(buckets.cooldown), redisDurationMs(rule.windowMs), String(rule.maximum), redisDurationMs(rule.cooldownMs), succeeded ? "1" : "0") as Promise<[number, number]>).pipe(
        Effect.map(([code, value]): AttemptOutcome => {
          switch (code) {
            case 0: return { _tag: "CoolingDown", remainingMs: value }
            case 1: return { _tag: "OverMaximum" }
            case 2: return { _tag: "Succeeded" }
            case 4: return { _tag: "CooldownStarted" }
            default: return { _tag: "Failed", count: value }
          }
        })
      )
  })
}))
