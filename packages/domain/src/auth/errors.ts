import { Schema } from "effect"

// What can go wrong at the front door, named as facts. The HTTP contract gives each one a status
// and a French message; the domain only says what happened.

export class PhoneInvalid extends Schema.TaggedError<PhoneInvalid>()("PhoneInvalid", {
  reason: Schema.Literals(["malformed", "unknown_prefix"])
}) {}

export class PhoneCannotReceiveSms extends Schema.TaggedError<PhoneCannotReceiveSms>()("PhoneCannotReceiveSms", {}) {}

export class TooManyRequests extends Schema.TaggedError<TooManyRequests>()("TooManyRequests", {
  limit: Schema.Literals(["otp_cooldown", "otp_per_phone", "otp_per_ip", "password_failures", "password_per_ip", "pin_locked", "pin_busy"]),
  retryAfterMs: Schema.Number
}) {}

export class SmsUnavailable extends Schema.TaggedError<SmsUnavailable>()("SmsUnavailable", {}) {}

export class OtpIncorrect extends Schema.TaggedError<OtpIncorrect>()("OtpIncorrect", {
  attemptsLeft: Schema.Number
}) {}

/** No live code for this phone and purpose: never sent, expired, or already used or burnt. */
export class OtpExpired extends Schema.TaggedError<OtpExpired>()("OtpExpired", {}) {}

export class OtpAttemptsExhausted extends Schema.TaggedError<OtpAttemptsExhausted>()("OtpAttemptsExhausted", {}) {}

export class VerificationTokenInvalid extends Schema.TaggedError<VerificationTokenInvalid>()("VerificationTokenInvalid", {}) {}

export class PhoneAlreadyRegistered extends Schema.TaggedError<PhoneAlreadyRegistered>()("PhoneAlreadyRegistered", {}) {}

export class AccountNotFound extends Schema.TaggedError<AccountNotFound>()("AccountNotFound", {}) {}

export class InvalidCredentials extends Schema.TaggedError<InvalidCredentials>()("InvalidCredentials", {}) {}

export class PasswordTooWeak extends Schema.TaggedError<PasswordTooWeak>()("PasswordTooWeak", {
  minimumLength: Schema.Number
}) {}

export class ReferralCodeUnknown extends Schema.TaggedError<ReferralCodeUnknown>()("ReferralCodeUnknown", {}) {}

/** Unknown, expired, or belonging to a revoked session. */
export class RefreshTokenInvalid extends Schema.TaggedError<RefreshTokenInvalid>()("RefreshTokenInvalid", {}) {}

/** An already-rotated refresh token came back: someone kept a copy. The whole session is revoked. */
export class RefreshTokenReused extends Schema.TaggedError<RefreshTokenReused>()("RefreshTokenReused", {}) {}

export class AccessTokenInvalid extends Schema.TaggedError<AccessTokenInvalid>()("AccessTokenInvalid", {
  reason: Schema.Literals(["malformed", "expired", "signature", "revoked"])
}) {}

export class SessionNotFound extends Schema.TaggedError<SessionNotFound>()("SessionNotFound", {}) {}

/** Postgres, Redis or a key store did not answer: the request cannot be decided safely. */
export class AuthStoreUnavailable extends Schema.TaggedError<AuthStoreUnavailable>()("AuthStoreUnavailable", {
  cause: Schema.Defect()
}) {}

export class PinTooSimple extends Schema.TaggedError<PinTooSimple>()("PinTooSimple", {}) {}

export class PinNotSet extends Schema.TaggedError<PinNotSet>()("PinNotSet", {}) {}

/** Changing an existing PIN requires the current one. */
export class CurrentPinRequired extends Schema.TaggedError<CurrentPinRequired>()("CurrentPinRequired", {}) {}

export class PinIncorrect extends Schema.TaggedError<PinIncorrect>()("PinIncorrect", {
  attemptsLeft: Schema.Number
}) {}
