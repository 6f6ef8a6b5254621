import { Effect, Result } from "effect"
import { SmsSender } from "../notifications/SmsSender.ts"
import { canReceiveSms, parsePhone } from "../shared/Phone.ts"
import { AuthCrypto } from "./AuthCrypto.ts"
import { AuthPolicy } from "./AuthPolicy.ts"
import { PhoneCannotReceiveSms, PhoneInvalid, SmsUnavailable, TooManyRequests } from "./errors.ts"
import { otpMessage } from "./otpMessage.ts"
import type { OtpPurpose } from "./OtpPurpose.ts"
import { OtpStore } from "./OtpStore.ts"
import { otpDigestInput } from "./otpDigestInput.ts"
import { RateLimiter } from "./RateLimiter.ts"

const hourMs = 3600_000

/**
 * Sends a one-time code by SMS. The answer is the same whether or not the phone has an account.
 * Limits: per client IP and per phone per hour, and a cooldown between two codes to one phone.
 * The SMS is sent here, not through the queue: the person is waiting on the screen, and when the
 * provider fails they must learn it now (SmsUnavailable) with nothing consumed: the cooldown and
 * the hourly counts are taken back and the previous code, if any, still works.
 */
export const makeSendOtp = Effect.gen(function*() {
  const policy = yield* AuthPolicy
  const limiter = yield* RateLimiter
  const crypto = yield* AuthCrypto
  const sms = yield* SmsSender
  const store = yield* OtpStore
  return Effect.fn("sendOtp")(function*(input: { readonly phone: string; readonly purpose: OtpPurpose; readonly clientIp: string }) {
    const phone = yield* Result.match(parsePhone(input.phone), {
      onFailure: (reason) => Effect.fail(new PhoneInvalid({ reason })),
      onSuccess: Effect.succeed
    })
    if (!canReceiveSms(phone)) return yield* new PhoneCannotReceiveSms()

    const ipBucket = `otp:ip:${input.clientIp}`
    const perIp = yield* limiter.hit(ipBucket, hourMs)
    if (perIp.count > policy.otpMaxPerIpPerHour) return yield* new TooManyRequests({ limit: "otp_per_ip", retryAfterMs: perIp.resetInMs })

    const cooldownBucket = `otp:${phone}`
    const cooldown = yield* limiter.claimCooldown(cooldownBucket, policy.otpResendCooldownMs)
    if (!cooldown.claimed) return yield* new TooManyRequests({ limit: "otp_cooldown", retryAfterMs: cooldown.remainingMs })

    const phoneBucket = `otp:phone:${phone}`
    const perPhone = yield* limiter.hit(phoneBucket, hourMs)
    if (perPhone.count > policy.otpMaxPerPhonePerHour) {
      yield* limiter.releaseCooldown(cooldownBucket)
      return yield* new TooManyRequests({ limit: "otp_per_phone", retryAfterMs: perPhone.resetInMs })
    }

    const code = yield* crypto.newOtpCode(policy.otpLength)
    yield* sms.send({ to: phone, body: otpMessage(code, policy.otpTtlMs) }).pipe(
      Effect.catchTag("SmsDeliveryFailed", (failure) =>
        Effect.logWarning("OTP SMS not sent").pipe(
          Effect.annotateLogs({ provider: failure.provider, detail: failure.detail }),
          Effect.andThen(Effect.all([limiter.releaseCooldown(cooldownBucket), limiter.unhit(phoneBucket), limiter.unhit(ipBucket)], { discard: true })),
          Effect.andThen(Effect.fail(new SmsUnavailable()))
        ))
    )
    yield* store.put({ phone, purpose: input.purpose }, crypto.digest(otpDigestInput(phone, input.purpose, code)), policy.otpTtlMs)
    return { phone }
  })
})
