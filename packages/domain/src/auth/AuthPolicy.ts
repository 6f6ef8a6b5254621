import { Context, Layer } from "effect"

/**
 * The numbers of the auth rules. Defaults are the product's decisions; deployments may tune them
 * through config (the apps provide AuthPolicy from env).
 */
export interface AuthPolicyNumbers {
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

export const defaultAuthPolicy: AuthPolicyNumbers = {
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
}

/**
 * A required service, not a reference with a default: an app that forgets to provide it fails at
 * start-up instead of silently running on numbers nobody chose for it.
 */
export class AuthPolicy extends Context.Service<AuthPolicy, AuthPolicyNumbers>()("nelo/auth/AuthPolicy") {
  /** The product's defaults, for tests and tools that take no configuration. */
  static readonly defaults = Layer.succeed(AuthPolicy, defaultAuthPolicy)
}
