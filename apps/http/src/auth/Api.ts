import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { SignInOtpPurpose } from "@nelo/domain/auth/OtpPurpose"
import { FullName, Language, ReferralCode } from "@nelo/domain/users/User"
import { Authentication } from "../shared/Authentication.ts"
import { ServiceUnavailable, TooManyRequestsProblem } from "../shared/problems.ts"
import {
  AccountNotFoundProblem,
  InvalidCredentialsProblem,
  OtpAttemptsExhaustedProblem,
  OtpExpiredProblem,
  OtpIncorrectProblem,
  PasswordTooWeakProblem,
  PhoneAlreadyRegisteredProblem,
  PhoneCannotReceiveSmsProblem,
  PhoneInvalidProblem,
  ReferralCodeUnknownProblem,
  RefreshTokenInvalidProblem,
  RefreshTokenReusedProblem,
  SessionNotFoundProblem,
  SmsUnavailableProblem,
  VerificationTokenInvalidProblem
} from "./errors.ts"
import { OtpSentView, SessionView, SignedInView, VerifiedView } from "./views.ts"

// Phones arrive as people type them; the domain reads them (parsePhone). Bounded here so that a
// hostile body cannot make us parse megabytes.
export const PhoneInput = Schema.String.pipe(Schema.check(Schema.isMinLength(8), Schema.isMaxLength(32)))
export const Pin = Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{4}$/u, { expected: "un code PIN de 4 chiffres" })))
const OtpCode = Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{6}$/u, { expected: "un code de 6 chiffres" })))
const Token = Schema.String.pipe(Schema.check(Schema.isMinLength(16), Schema.isMaxLength(4096)))
const Password = Schema.String.pipe(Schema.check(Schema.isMaxLength(128)))

export class AuthApi extends HttpApiGroup.make("auth")
  .add(
    HttpApiEndpoint.post("sendOtp", "/send-otp", {
      payload: Schema.Struct({ phone: PhoneInput, purpose: SignInOtpPurpose }),
      success: OtpSentView.pipe(HttpApiSchema.status(202)),
      error: [PhoneInvalidProblem, PhoneCannotReceiveSmsProblem, TooManyRequestsProblem, SmsUnavailableProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Envoie un code à 6 chiffres par SMS (le même 202 que le numéro ait un compte ou non). Une ligne fixe ne reçoit pas de SMS ; trop de demandes : 429 avec Retry-After."),
    HttpApiEndpoint.post("verifyOtp", "/verify-otp", {
      payload: Schema.Struct({ phone: PhoneInput, code: OtpCode, purpose: SignInOtpPurpose }),
      success: VerifiedView,
      error: [PhoneInvalidProblem, OtpIncorrectProblem, OtpExpiredProblem, OtpAttemptsExhaustedProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Vérifie le code ; 3 essais par code (attemptsLeft dit combien il en reste)."),
    HttpApiEndpoint.post("register", "/register", {
      payload: Schema.Struct({
        verificationToken: Token,
        fullName: FullName,
        password: Schema.optionalKey(Password),
        referralCode: Schema.optionalKey(ReferralCode),
        language: Schema.optionalKey(Language)
      }),
      success: SignedInView.pipe(HttpApiSchema.status(201)),
      error: [VerificationTokenInvalidProblem, PhoneAlreadyRegisteredProblem, ReferralCodeUnknownProblem, PasswordTooWeakProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Crée le compte du numéro vérifié (jeton `register`)."),
    HttpApiEndpoint.post("login", "/login", {
      payload: Schema.Union([
        Schema.Struct({ phone: PhoneInput, password: Password }),
        Schema.Struct({ verificationToken: Token })
      ]),
      success: SignedInView,
      error: [InvalidCredentialsProblem, VerificationTokenInvalidProblem, AccountNotFoundProblem, TooManyRequestsProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Connexion par mot de passe, ou par jeton de vérification `login`."),
    HttpApiEndpoint.post("refresh", "/refresh", {
      payload: Schema.Struct({ refreshToken: Token }),
      success: SignedInView,
      error: [RefreshTokenInvalidProblem, RefreshTokenReusedProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Échange le jeton de rafraîchissement contre une nouvelle paire (rotation). Un jeton déjà utilisé révoque la session : refresh_token_reused."),
    HttpApiEndpoint.post("logout", "/logout", { success: HttpApiSchema.NoContent, error: ServiceUnavailable })
      .middleware(Authentication)
      .annotate(OpenApi.Description, "Déconnecte cet appareil : la session est révoquée et le jeton d'accès refusé dès maintenant."),
    HttpApiEndpoint.get("sessions", "/sessions", {
      success: Schema.Array(SessionView).pipe(Schema.check(Schema.isMaxLength(1000))),
      error: ServiceUnavailable
    })
      .middleware(Authentication)
      .annotate(OpenApi.Description, "Les appareils connectés de l'utilisateur."),
    HttpApiEndpoint.delete("revokeSession", "/sessions/:id", {
      params: { id: Schema.String.pipe(Schema.check(Schema.isMaxLength(64))) },
      success: HttpApiSchema.NoContent,
      error: [SessionNotFoundProblem, ServiceUnavailable]
    })
      .middleware(Authentication)
      .annotate(OpenApi.Description, "Déconnecte un de ses appareils. La session d'un autre utilisateur : 404.")
  )
  .prefix("/api/v1/auth")
  .annotateMerge(OpenApi.annotations({ title: "Authentification" }))
{}
