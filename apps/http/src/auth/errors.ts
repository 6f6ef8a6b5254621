import {
  AccountNotFound,
  CurrentPinRequired,
  InvalidCredentials,
  OtpAttemptsExhausted,
  OtpExpired,
  OtpIncorrect,
  PasswordTooWeak,
  PhoneAlreadyRegistered,
  PhoneCannotReceiveSms,
  PhoneInvalid,
  PinIncorrect,
  PinNotSet,
  PinTooSimple,
  ReferralCodeUnknown,
  RefreshTokenInvalid,
  RefreshTokenReused,
  SessionNotFound,
  SmsUnavailable,
  VerificationTokenInvalid
} from "@nelo/domain/auth/errors"
import { authMessages } from "@nelo/domain/auth/messages"
import { IntBetween } from "../shared/bounded.ts"
import { problem } from "../shared/problem.ts"

// The auth context's errors as the API answers them: status, stable code, French message.

const AttemptsLeft = IntBetween(0, 100)

export const PhoneInvalidProblem = problem(PhoneInvalid, {
  status: 422,
  codes: ["phone_invalid"],
  members: { reason: PhoneInvalid.fields.reason },
  message: authMessages.PhoneInvalid
})

export const PhoneCannotReceiveSmsProblem = problem(PhoneCannotReceiveSms, { status: 422, codes: ["phone_cannot_receive_sms"], message: authMessages.PhoneCannotReceiveSms })

export const SmsUnavailableProblem = problem(SmsUnavailable, { status: 503, codes: ["sms_unavailable"], message: authMessages.SmsUnavailable })

export const OtpIncorrectProblem = problem(OtpIncorrect, {
  status: 422,
  codes: ["otp_incorrect"],
  members: { attemptsLeft: AttemptsLeft },
  message: authMessages.OtpIncorrect
})

export const OtpExpiredProblem = problem(OtpExpired, { status: 422, codes: ["otp_expired"], message: authMessages.OtpExpired })

export const OtpAttemptsExhaustedProblem = problem(OtpAttemptsExhausted, { status: 422, codes: ["otp_attempts_exhausted"], message: authMessages.OtpAttemptsExhausted })

export const VerificationTokenInvalidProblem = problem(VerificationTokenInvalid, { status: 401, codes: ["verification_token_invalid"], message: authMessages.VerificationTokenInvalid })

export const PhoneAlreadyRegisteredProblem = problem(PhoneAlreadyRegistered, { status: 409, codes: ["phone_already_registered"], message: authMessages.PhoneAlreadyRegistered })

export const AccountNotFoundProblem = problem(AccountNotFound, { status: 404, codes: ["account_not_found"], message: authMessages.AccountNotFound })

export const InvalidCredentialsProblem = problem(InvalidCredentials, { status: 401, codes: ["invalid_credentials"], message: authMessages.InvalidCredentials })

export const PasswordTooWeakProblem = problem(PasswordTooWeak, {
  status: 422,
  codes: ["password_too_weak"],
  members: { minimumLength: IntBetween(1, 1000) },
  message: authMessages.PasswordTooWeak
})

export const ReferralCodeUnknownProblem = problem(ReferralCodeUnknown, { status: 422, codes: ["referral_code_unknown"], message: authMessages.ReferralCodeUnknown })

export const RefreshTokenInvalidProblem = problem(RefreshTokenInvalid, { status: 401, codes: ["refresh_token_invalid"], message: authMessages.RefreshTokenInvalid })

export const RefreshTokenReusedProblem = problem(RefreshTokenReused, { status: 401, codes: ["refresh_token_reused"], message: authMessages.RefreshTokenReused })

export const SessionNotFoundProblem = problem(SessionNotFound, { status: 404, codes: ["not_found"], message: authMessages.SessionNotFound })

export const PinTooSimpleProblem = problem(PinTooSimple, { status: 422, codes: ["pin_too_simple"], message: authMessages.PinTooSimple })

export const PinNotSetProblem = problem(PinNotSet, { status: 422, codes: ["pin_not_set"], message: authMessages.PinNotSet })

export const CurrentPinRequiredProblem = problem(CurrentPinRequired, { status: 422, codes: ["current_pin_required"], message: authMessages.CurrentPinRequired })

export const PinIncorrectProblem = problem(PinIncorrect, {
  status: 422,
  codes: ["pin_incorrect"],
  members: { attemptsLeft: AttemptsLeft },
  message: authMessages.PinIncorrect
})
