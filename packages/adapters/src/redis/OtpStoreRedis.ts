import { Effect, Layer, Option } from "effect"
import type { OtpKey } from "@nelo/domain/auth/OtpStore"
import { OtpStore } from "@nelo/domain/auth/OtpStore"
import { authStoreRedis, redisDurationMs } from "./authStoreRedis.ts"

// Counting an attempt must not bring an expired or burnt code back as a hash holding only
// `attempts`: the check and the increment happen in one script.
const recordAttemptScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
return {redis.call('HGET', KEYS[1], 'digest'), attempts}`

export const OtpStoreRedis = Layer.effect(OtpStore, Effect.gen(function*() {
  const { key, run } = yield* authStoreRedis
  const otpKey = ({ phone, purpose }: OtpKey) => key("otp", phone, purpose)

  return OtpStore.of({
    put: (otp, codeDigest, ttlMs) =>
      run(async (redis) => {
        const target = otpKey(otp)
        // One transaction, so a verification never sees the new digest with the old attempts.
        const replies = await redis.multi()
          .del(target)
          .hset(target, { digest: codeDigest, attempts: 0 })
          .pexpire(target, redisDurationMs(ttlMs))
          .exec()
        // EXEC reports a failed command in its replies instead of rejecting.
        const failure = replies?.find(([error]) => error !== null)?.[0]
        if (failure) throw failure
      }),
    recordAttempt: (otp) =>
      run((redis) => redis.eval(recordAttemptScript, 1, otpKey(otp)) as Promise<[string, number] | null>).pipe(
        Effect.map((live) => Option.map(Option.fromNullishOr(live), ([codeDigest, attempts]) => ({ codeDigest, attempts })))
      ),
    burn: (otp) => run((redis) => redis.del(otpKey(otp))).pipe(Effect.map((removed) => removed > 0))
  })
}))
