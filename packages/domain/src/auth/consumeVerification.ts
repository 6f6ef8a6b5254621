import { Clock, Effect } from "effect"
import { VerificationTokenInvalid } from "./errors.ts"
import type { OtpPurpose } from "./OtpPurpose.ts"
import { TokenIssuer } from "./TokenIssuer.ts"
import { TokenRevocations } from "./TokenRevocations.ts"

/** Accepts a verification token once, for the purpose it was issued for. */
export const makeConsumeVerification = Effect.gen(function*() {
  const tokens = yield* TokenIssuer
  const revocations = yield* TokenRevocations
  return Effect.fn("consumeVerification")(function*(token: string, purpose: OtpPurpose) {
    const claims = yield* tokens.verifyVerification(token)
    if (claims.purpose !== purpose) return yield* new VerificationTokenInvalid()
    const now = yield* Clock.currentTimeMillis
    const first = yield* revocations.consumeOnce(`verification:${claims.tokenId}`, Math.max(1, claims.expiresAt.getTime() - now))
    if (!first) return yield* new VerificationTokenInvalid()
    return claims
  })
})
