import { Clock, Effect } from "effect"
import { VerificationTokenInvalid } from "./errors.ts"
import type { OtpPurpose } from "./OtpPurpose.ts"
import { TokenIssuer } from "./TokenIssuer.ts"
import { TokenRevocations } from "./TokenRevocations.ts"

/** Accepts a verification token once, for the purpose it was issued for. */
export const consumeVerification = Effect.fn("consumeVerification")(function*(token: string, purpose: OtpPurpose) {
  const claims = yield* (yield* TokenIssuer).verifyVerification(token)
  if (claims.purpose !== purpose) return yield* new VerificationTokenInvalid()
  const now = yield* Clock.currentTimeMillis
  const first = yield* (yield* TokenRevocations).consumeOnce(`verification:${claims.tokenId}`, Math.max(1, claims.expiresAt.getTime() - now))
  if (!first) return yield* new VerificationTokenInvalid()
  return claims
})
