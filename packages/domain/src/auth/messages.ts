import type { ErrorMessages } from "../shared/ErrorMessages.ts"
import type {
  AccessTokenInvalid,
  AccountNotFound,
  AuthStoreUnavailable,
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
  TooManyRequests,
  VerificationTokenInvalid
} from "./errors.ts"

export type AuthError =
  | AccessTokenInvalid
  | AccountNotFound
  | AuthStoreUnavailable
  | CurrentPinRequired
  | InvalidCredentials
  | OtpAttemptsExhausted
  | OtpExpired
  | OtpIncorrect
  | PasswordTooWeak
  | PhoneAlreadyRegistered
  | PhoneCannotReceiveSms
  | PhoneInvalid
  | PinIncorrect
  | PinNotSet
  | PinTooSimple
  | ReferralCodeUnknown
  | RefreshTokenInvalid
  | RefreshTokenReused
  | SessionNotFound
  | SmsUnavailable
  | TooManyRequests
  | VerificationTokenInvalid

const tooManyMessages: Record<TooManyRequests["limit"], string> = {
  otp_cooldown: "Un code vient d'être envoyé à ce numéro. Patientez avant d'en demander un autre.",
  otp_per_phone: "Trop de codes demandés pour ce numéro. Réessayez plus tard.",
  otp_per_ip: "Trop de demandes depuis cette connexion. Réessayez plus tard.",
  password_failures: "Trop d'essais de mot de passe pour ce numéro. Réessayez plus tard ou connectez-vous par SMS.",
  password_per_ip: "Trop d'essais de connexion depuis cette connexion. Réessayez plus tard.",
  pin_locked: "Code PIN bloqué après trop d'essais. Réessayez plus tard.",
  pin_busy: "Trop de vérifications de votre code PIN en même temps. Réessayez dans un instant."
}

const plural = (count: number, word: string) => `${count} ${word}${count > 1 ? "s" : ""}`

/** A store down: what people read says nothing of the cause, which only the operators' log holds. */
export const unavailableMessage = "Service momentanément indisponible. Réessayez dans un instant."

export const authMessages: ErrorMessages<AuthError> = {
  PhoneInvalid: (error) =>
    error.reason === "unknown_prefix"
      ? "Ce numéro n'est pas un numéro ivoirien valide (il doit commencer par 01, 05, 07, 21, 25 ou 27)."
      : "Numéro de téléphone illisible : écrivez-le comme 07 01 02 03 04 ou +225 07 01 02 03 04.",
  PhoneCannotReceiveSms: () => "Ce numéro est une ligne fixe : il ne peut pas recevoir de SMS. Utilisez un numéro mobile.",
  TooManyRequests: (error) => tooManyMessages[error.limit],
  SmsUnavailable: () => "L'envoi de SMS est momentanément impossible. Réessayez dans quelques instants.",
  OtpIncorrect: (error) => `Code incorrect. Il vous reste ${plural(error.attemptsLeft, "essai")}.`,
  OtpExpired: () => "Ce code a expiré ou a déjà servi. Demandez un nouveau code.",
  OtpAttemptsExhausted: () => "Trop d'essais : ce code n'est plus valable. Demandez un nouveau code.",
  VerificationTokenInvalid: () => "La vérification du numéro a expiré ou a déjà servi. Recommencez la vérification par SMS.",
  PhoneAlreadyRegistered: () => "Ce numéro a déjà un compte NELO. Connectez-vous.",
  AccountNotFound: () => "Aucun compte NELO pour ce numéro. Inscrivez-vous.",
  InvalidCredentials: () => "Numéro ou mot de passe incorrect.",
  PasswordTooWeak: (error) => `Le mot de passe doit compter au moins ${error.minimumLength} caractères.`,
  ReferralCodeUnknown: () => "Ce code de parrainage n'existe pas.",
  RefreshTokenInvalid: () => "Session expirée. Connectez-vous à nouveau.",
  RefreshTokenReused: () => "Par sécurité, cette session a été fermée. Connectez-vous à nouveau.",
  AccessTokenInvalid: (error) =>
    error.reason === "expired" ? "Votre session a expiré : rafraîchissez le jeton ou reconnectez-vous." : "Connectez-vous pour continuer.",
  SessionNotFound: () => "Cette session n'existe pas.",
  PinTooSimple: () => "Ce code PIN est trop facile à deviner (0000, 1234, 1212...). Choisissez-en un autre.",
  PinNotSet: () => "Vous n'avez pas encore de code PIN. Créez-en un dans votre profil.",
  CurrentPinRequired: () => "Pour changer votre code PIN, saisissez d'abord le code actuel.",
  PinIncorrect: (error) => `Code PIN incorrect. Encore ${plural(error.attemptsLeft, "essai")} avant blocage.`,
  AuthStoreUnavailable: () => unavailableMessage
}
