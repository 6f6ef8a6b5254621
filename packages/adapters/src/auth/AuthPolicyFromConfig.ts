import { Config, Effect, Layer } from "effect"
import { AuthPolicy, defaultAuthPolicy } from "@nelo/domain/auth/AuthPolicy"

/** The auth rules' numbers, each overridable from env; the domain's defaults otherwise. */
export const AuthPolicyFromConfig = Layer.effect(AuthPolicy, Effect.gen(function*() {
  const defaults = defaultAuthPolicy
  const setting = (name: string, fallback: number) => Config.Int(name).pipe(Config.withDefault(fallback))
  return yield* Config.all({
    otpLength: Config.succeed(defaults.otpLength),
    otpTtlMs: setting("OTP_TTL_MS", defaults.otpTtlMs),
    otpMaxAttempts: setting("OTP_MAX_ATTEMPTS", defaults.otpMaxAttempts),
    otpResendCooldownMs: setting("OTP_RESEND_COOLDOWN_MS", defaults.otpResendCooldownMs),
    otpMaxPerPhonePerHour: setting("OTP_MAX_PER_PHONE_PER_HOUR", defaults.otpMaxPerPhonePerHour),
    otpMaxPerIpPerHour: setting("OTP_MAX_PER_IP_PER_HOUR", defaults.otpMaxPerIpPerHour),
    verificationTokenTtlMs: setting("VERIFICATION_TOKEN_TTL_MS", defaults.verificationTokenTtlMs),
    accessTokenTtlMs: setting("ACCESS_TOKEN_TTL_MS", defaults.accessTokenTtlMs),
    refreshTokenTtlMs: setting("REFRESH_TOKEN_TTL_MS", defaults.refreshTokenTtlMs),
    passwordMinLength: setting("PASSWORD_MIN_LENGTH", defaults.passwordMinLength),
    passwordMaxFailures: setting("PASSWORD_MAX_FAILURES", defaults.passwordMaxFailures),
    passwordFailureWindowMs: setting("PASSWORD_FAILURE_WINDOW_MS", defaults.passwordFailureWindowMs),
    passwordMaxPerIpPerWindow: setting("PASSWORD_MAX_PER_IP_PER_WINDOW", defaults.passwordMaxPerIpPerWindow),
    pinMaxFailures: setting("PIN_MAX_FAILURES", defaults.pinMaxFailures),
    pinLockMs: setting("PIN_LOCK_MS", defaults.pinLockMs)
  })
}))
