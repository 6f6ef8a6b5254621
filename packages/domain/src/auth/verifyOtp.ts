import { Effect, Option, Result } from "effect"
import { parsePhone } from "../shared/Phone.ts"
import { AuthCrypto } from "./AuthCrypto.ts"
import { AuthPolicy } from "./AuthPolicy.ts"
import { OtpAttemptsExhausted, OtpExpired, OtpIncorrect, PhoneInvalid } from "./errors.ts"
import { otpDigestInput } from "./otpDigestInput.ts"
import type { OtpPurpose } from "./OtpPurpose.ts"
import { OtpStore } from "./OtpStore.ts"
import { TokenIssuer } from "./TokenIssuer.ts"

/**
 * Checks a code. Each try counts, right or wrong, atomically: a code allows `otpMaxAttempts`
 * tries, then it is burnt and even the right code is refused. A right code is used up and turned
 * into a short-lived verification token, the proof register and login ask for.
 */
export const makeVerifyOtp = Effect.gen(function*() {
  const policy = yield* AuthPolicy
  const store = yield* OtpStore
  const crypto = yield* AuthCrypto
  const tokens = yield* TokenIssuer
  return Effect.fn("verifyOtp")(function*(input: { readonly phone: string; readonly code: string; readonly purpose: OtpPurpose }) {
    const phone = yield* Result.match(parsePhone(input.phone), {
      onFailure: (reason) => Effect.fail(new PhoneInvalid({ reason })),
      onSuccess: Effect.succeed
    })
    const key = { phone, purpose: input.purpose }
    const live = yield* store.recordAttempt(key)
    if (Option.isNone(live)) return yield* new OtpExpired()
    const { codeDigest, attempts } = live.value
    if (attempts > policy.otpMaxAttempts) {
      yield* store.burn(key)
      return yield* new OtpAttemptsExhausted()
    }
    if (!crypto.sameDigest(codeDigest, crypto.digest(otpDigestInput(phone, input.purpose, input.code)))) {
      if (attempts >= policy.otpMaxAttempts) {
        yield* store.burn(key)
        return yield* new OtpAttemptsExhausted()
      }
      return yield* new OtpIncorrect({ attemptsLeft: policy.otpMaxAttempts - attempts })
    }
    // Two requests may both have checked the right code: only the one that removes it goes on.
    if (!(yield* store.burn(key))) return yield* new OtpExpired()
    const issued = yield* tokens.issueVerification({ phone, purpose: input.purpose }, policy.verificationTokenTtlMs)
    return { verificationToken: issued.token, expiresAt: issued.expiresAt }
  })
})
