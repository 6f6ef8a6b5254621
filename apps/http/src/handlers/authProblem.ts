import { Effect } from "effect"
import type { HttpServerRequest } from "effect/http"
import {
  ConflictProblem,
  ForbiddenProblem,
  NotFoundProblem,
  PayloadTooLargeProblem,
  UnsupportedMediaTypeProblem,
  ServiceUnavailableProblem,
  TooManyRequestsProblem,
  UnauthorizedProblem,
  UnprocessableProblem
} from "../api/problems.ts"
import { setRetryAfter } from "../middleware/retryAfter.ts"

export type AuthError =
  | { readonly _tag: "PhoneInvalid"; readonly reason: "malformed" | "unknown_prefix" }
  | { readonly _tag: "PhoneCannotReceiveSms" }
  | { readonly _tag: "TooManyRequests"; readonly limit: string; readonly retryAfterMs: number }
  | { readonly _tag: "SmsUnavailable" }
  | { readonly _tag: "OtpIncorrect"; readonly attemptsLeft: number }
  | { readonly _tag: "OtpExpired" }
  | { readonly _tag: "OtpAttemptsExhausted" }
  | { readonly _tag: "VerificationTokenInvalid" }
  | { readonly _tag: "PhoneAlreadyRegistered" }
  | { readonly _tag: "AccountNotFound" }
  | { readonly _tag: "InvalidCredentials" }
  | { readonly _tag: "PasswordTooWeak"; readonly minimumLength: number }
  | { readonly _tag: "ReferralCodeUnknown" }
  | { readonly _tag: "ReferralCodeTaken" }
  | { readonly _tag: "RefreshTokenInvalid" }
  | { readonly _tag: "RefreshTokenReused" }
  | { readonly _tag: "SessionNotFound" }
  | { readonly _tag: "PinTooSimple" }
  | { readonly _tag: "PinNotSet" }
  | { readonly _tag: "CurrentPinRequired" }
  | { readonly _tag: "PinIncorrect"; readonly attemptsLeft: number }
  | { readonly _tag: "AddressNotFound" }
  | { readonly _tag: "TooManyAddresses"; readonly maximum: number }
  | { readonly _tag: "AdminRoleRequired" }
  | { readonly _tag: "CannotRemoveOwnAdminRole" }
  | { readonly _tag: "FileTooLarge"; readonly maximumBytes: number }
  | { readonly _tag: "UnsupportedFileType"; readonly accepted: ReadonlyArray<string> }
  | { readonly _tag: "ImageUnreadable" }
  | { readonly _tag: "StorageUnavailable"; readonly cause: unknown }
  | { readonly _tag: "AuthStoreUnavailable"; readonly cause: unknown }

const tooManyMessages: Record<string, string> = {
  otp_cooldown: "Un code vient d'être envoyé à ce numéro. Patientez avant d'en demander un autre.",
  otp_per_phone: "Trop de codes demandés pour ce numéro. Réessayez plus tard.",
  otp_per_ip: "Trop de demandes depuis cette connexion. Réessayez plus tard.",
  password_failures: "Trop d'essais de mot de passe pour ce numéro. Réessayez plus tard ou connectez-vous par SMS.",
  password_per_ip: "Trop d'essais de connexion depuis cette connexion. Réessayez plus tard.",
  pin_locked: "Code PIN bloqué après trop d'essais. Réessayez plus tard.",
  pin_busy: "Trop de vérifications de votre code PIN en même temps. Réessayez dans un instant."
}

/**
 * The HTTP face of the auth and users errors: status, stable code, French message. Unknown tags
 * cannot happen (the union is closed); a store outage is a 503 and is logged.
 */
export type AuthProblem =
  | ForbiddenProblem
  | PayloadTooLargeProblem
  | UnsupportedMediaTypeProblem
  | UnauthorizedProblem
  | NotFoundProblem
  | ConflictProblem
  | UnprocessableProblem
  | TooManyRequestsProblem
  | ServiceUnavailableProblem

export const authProblem = (request: HttpServerRequest.HttpServerRequest) => (error: AuthError): Effect.Effect<never, AuthProblem> => {
  switch (error._tag) {
    case "PhoneInvalid":
      return Effect.fail(new UnprocessableProblem({
        code: "phone_invalid",
        message: error.reason === "unknown_prefix"
          ? "Ce numéro n'est pas un numéro ivoirien valide (il doit commencer par 01, 05, 07, 21, 25 ou 27)."
          : "Numéro de téléphone illisible : écrivez-le comme 07 01 02 03 04 ou +225 07 01 02 03 04."
      }))
    case "PhoneCannotReceiveSms":
      return Effect.fail(new UnprocessableProblem({ code: "phone_cannot_receive_sms", message: "Ce numéro est une ligne fixe : il ne peut pas recevoir de SMS. Utilisez un numéro mobile." }))
    case "TooManyRequests": {
      const retryAfterSeconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000))
      setRetryAfter(request, retryAfterSeconds)
      return Effect.fail(new TooManyRequestsProblem({
        code: "too_many_requests",
        message: tooManyMessages[error.limit] ?? "Trop de demandes. Réessayez plus tard.",
        retryAfterSeconds
      }))
    }
    case "SmsUnavailable":
      return Effect.fail(new ServiceUnavailableProblem({ code: "sms_unavailable", message: "L'envoi de SMS est momentanément impossible. Réessayez dans quelques instants." }))
    case "OtpIncorrect":
      return Effect.fail(new UnprocessableProblem({
        code: "otp_incorrect",
        message: `Code incorrect. Il vous reste ${error.attemptsLeft} essai${error.attemptsLeft > 1 ? "s" : ""}.`
      }))
    case "OtpExpired":
      return Effect.fail(new UnprocessableProblem({ code: "otp_expired", message: "Ce code a expiré ou a déjà servi. Demandez un nouveau code." }))
    case "OtpAttemptsExhausted":
      return Effect.fail(new UnprocessableProblem({ code: "otp_attempts_exhausted", message: "Trop d'essais : ce code n'est plus valable. Demandez un nouveau code." }))
    case "VerificationTokenInvalid":
      return Effect.fail(new UnauthorizedProblem({ code: "verification_token_invalid", message: "La vérification du numéro a expiré ou a déjà servi. Recommencez la vérification par SMS." }))
    case "PhoneAlreadyRegistered":
      return Effect.fail(new ConflictProblem({ code: "phone_already_registered", message: "Ce numéro a déjà un compte NELO. Connectez-vous." }))
    case "AccountNotFound":
      return Effect.fail(new NotFoundProblem({ code: "account_not_found", message: "Aucun compte NELO pour ce numéro. Inscrivez-vous." }))
    case "InvalidCredentials":
      return Effect.fail(new UnauthorizedProblem({ code: "invalid_credentials", message: "Numéro ou mot de passe incorrect." }))
    case "PasswordTooWeak":
      return Effect.fail(new UnprocessableProblem({ code: "password_too_weak", message: `Le mot de passe doit compter au moins ${error.minimumLength} caractères.` }))
    case "ReferralCodeUnknown":
      return Effect.fail(new UnprocessableProblem({ code: "referral_code_unknown", message: "Ce code de parrainage n'existe pas." }))
    case "RefreshTokenInvalid":
      return Effect.fail(new UnauthorizedProblem({ code: "refresh_token_invalid", message: "Session expirée. Connectez-vous à nouveau." }))
    case "RefreshTokenReused":
      return Effect.fail(new UnauthorizedProblem({ code: "refresh_token_reused", message: "Par sécurité, cette session a été fermée. Connectez-vous à nouveau." }))
    case "SessionNotFound":
      return Effect.fail(new NotFoundProblem({ code: "not_found", message: "Cette session n'existe pas." }))
    case "PinTooSimple":
      return Effect.fail(new UnprocessableProblem({ code: "pin_too_simple", message: "Ce code PIN est trop facile à deviner (0000, 1234, 1212...). Choisissez-en un autre." }))
    case "PinNotSet":
      return Effect.fail(new UnprocessableProblem({ code: "pin_not_set", message: "Vous n'avez pas encore de code PIN. Créez-en un dans votre profil." }))
    case "CurrentPinRequired":
      return Effect.fail(new UnprocessableProblem({ code: "current_pin_required", message: "Pour changer votre code PIN, saisissez d'abord le code actuel." }))
    case "PinIncorrect":
      return Effect.fail(new UnprocessableProblem({
        code: "pin_incorrect",
        message: `Code PIN incorrect. Encore ${error.attemptsLeft} essai${error.attemptsLeft > 1 ? "s" : ""} avant blocage.`
      }))
    case "AddressNotFound":
      return Effect.fail(new NotFoundProblem({ code: "not_found", message: "Cette adresse n'existe pas." }))
    case "TooManyAddresses":
      return Effect.fail(new UnprocessableProblem({ code: "too_many_addresses", message: `Vous avez déjà ${error.maximum} adresses : supprimez-en une pour en ajouter une autre.` }))
    case "AdminRoleRequired":
      return Effect.fail(new ForbiddenProblem({ code: "forbidden", message: "Cette action est réservée aux administrateurs." }))
    case "CannotRemoveOwnAdminRole":
      return Effect.fail(new UnprocessableProblem({ code: "cannot_remove_own_admin_role", message: "Vous ne pouvez pas retirer votre propre rôle d'administrateur." }))
    case "FileTooLarge":
      return Effect.fail(new PayloadTooLargeProblem({ code: "file_too_large", message: `Fichier trop lourd : ${Math.round(error.maximumBytes / 1024 / 1024)} Mo au plus.` }))
    case "UnsupportedFileType":
      return Effect.fail(new UnsupportedMediaTypeProblem({
        code: "unsupported_file_type",
        message: `Type de fichier non accepté. Formats possibles : ${error.accepted.map((type) => type.split("/")[1]!.toUpperCase()).join(", ")}.`
      }))
    case "ImageUnreadable":
      return Effect.fail(new UnprocessableProblem({ code: "image_unreadable", message: "Cette image est illisible ou abîmée. Essayez une autre photo." }))
    case "ReferralCodeTaken":
    case "StorageUnavailable":
    case "AuthStoreUnavailable":
      return Effect.logError("auth store unavailable").pipe(
        Effect.annotateLogs({ cause: String("cause" in error ? error.cause : error._tag) }),
        Effect.andThen(Effect.fail(new ServiceUnavailableProblem({ code: "service_unavailable", message: "Service momentanément indisponible. Réessayez dans un instant." })))
      )
  }
}
