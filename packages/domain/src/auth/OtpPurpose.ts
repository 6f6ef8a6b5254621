import { Schema } from "effect"

/**
 * What a one-time code proves. payout_account: the person holds the number their earnings will be
 * paid to (asked for through the earnings endpoints only, never the public send-otp).
 */
export const OtpPurpose = Schema.Literals(["register", "login", "payout_account"])
export type OtpPurpose = typeof OtpPurpose.Type

/** The purposes a person asks codes for on the public sign-up and sign-in endpoints. */
export const SignInOtpPurpose = Schema.Literals(["register", "login"])
