import { PayoutNumberNotPending, RatePartyNotFound } from "@nelo/domain/earnings/errors"
import { earningsMessages } from "@nelo/domain/earnings/messages"
import { payoutsMessages } from "@nelo/domain/earnings/payoutErrorMessages"
import { problem } from "../shared/problem.ts"

// The payout numbers' own errors as the API answers them. The code's errors (phone_invalid,
// otp_incorrect, too_many_requests...) are auth's problems, reused as they are (auth/errors.ts,
// shared/problems.ts); a provider that is not the caller's is the catalogue's not_found.

/**
 * The caller is not a driver (drivers/me), exactly as the drivers' other endpoints answer it
 * (driver_not_registered); the provider case never reaches here (a provider not managed is the
 * catalogue's ProviderNotFound), its code is there for completeness.
 */
export const PayeeNotFoundProblem = problem(RatePartyNotFound, {
  status: 404,
  codes: ["driver_not_registered", "not_found"],
  code: (error) => error.kind === "driver" ? "driver_not_registered" : "not_found",
  message: earningsMessages.RatePartyNotFound,
  fromBody: (body) => new RatePartyNotFound({ kind: body.code === "driver_not_registered" ? "driver" : "provider" })
})

/**
 * A confirmation with no number waiting for it (none asked, or another asked since): 409, the
 * account is there, its state does not allow the request (a 404 would read like another's account).
 */
export const PayoutNumberNotPendingProblem = problem(PayoutNumberNotPending, {
  status: 409,
  codes: ["payout_number_not_pending"],
  message: payoutsMessages.PayoutNumberNotPending
})
