import { Context } from "effect"

/**
 * The numbers of the auth rules. Defaults are the product's decisions; deployments may tune them
 * through config (the apps provide this reference from env).
 */
export interface AuthPolicy {
  readonly otpLength: number
  readonly otpTtlMs: number
  /** Wrong or right, the 4th verification of one code is refused and the code is burnt. */
  readonly otpMaxAttempts: number
  readonly otpResendCooldownMs: number
  readonly otpMaxPerPhonePerHour: number
  readonly otpMaxPerIpPerHour: number
  readonly verificationTokenTtlMs: number
  readonly accessTokenTtlMs: number
  readonly refreshTokenTtlMs: number
  readonly passwordMinLength: number
  /** Failed password logins per phone before a pause (guessing). */
  readonly passwordMaxFailures: number
  readonly passwordFailureWindowMs: number
  /** Password tries from one client IP per window, whatever the phones (one client spraying many accounts). */
  readonly passwordMaxPerIpPerWindow: number
  /** Wrong PINs in a row before the PIN locks, and for how long. */
  readonly pinMaxFailures: number
  readonly pinLockMs: number
}

export const AuthPolicy = Context.Reference<AuthPolicy>("nelo/auth/AuthPolicy", {
  defaultValue: () => ({
    otpLength: 6,
    otpTtlMs: 5 * 60_000,
    otpMaxAttempts: 3,
    otpResendCooldownMs: 60_000,
    otpMaxPerPhonePerHour: 5,
    otpMaxPerIpPerHour: 20,
    verificationTokenTtlMs: 10 * 60_000,
    accessTokenTtlMs: 15 * 60_000,
    refreshTokenTtlMs: 7 * 24 * 3600_000,
    passwordMinLength: 8,
    passwordMaxFailures: 5,
    passwordFailureWindowMs: 15 * 60_000,
    passwordMaxPerIpPerWindow: 30,
    pinMaxFailures: 5,
    pinLockMs: 30 * 60_000
  })
})
