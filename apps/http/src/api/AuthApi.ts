import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { OtpPurpose } from "@nelo/domain/auth/OtpPurpose"
import { Multipart } from "effect/http"
import { GeoPoint } from "@nelo/domain/geo/GeoPoint"
import { AddressLabel, Landmark } from "@nelo/domain/users/Address"
import { KycDocumentType, KycStatus } from "@nelo/domain/users/Kyc"
import { Email, FullName, Language, ReferralCode, Role, UserId } from "@nelo/domain/users/User"
import { Authentication } from "../shared/Authentication.ts"
import { ConflictProblem, ForbiddenProblem, NotFoundProblem, PayloadTooLargeProblem, UnsupportedMediaTypeProblem, ServiceUnavailableProblem, TooManyRequestsProblem, UnauthorizedProblem, UnprocessableProblem } from "./problems.ts"

// Phones arrive as people type them; the domain reads them (parsePhone). Bounded here so that a
// hostile body cannot make us parse megabytes.
export const PhoneInput = Schema.String.pipe(Schema.check(Schema.isMinLength(8), Schema.isMaxLength(32)))
const OtpCode = Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{6}$/u, { expected: "un code de 6 chiffres" })))
const Token = Schema.String.pipe(Schema.check(Schema.isMinLength(16), Schema.isMaxLength(4096)))
const Password = Schema.String.pipe(Schema.check(Schema.isMaxLength(128)))

export const UserView = Schema.Struct({
  id: Schema.String,
  phone: Schema.String,
  fullName: Schema.String,
  email: Schema.NullOr(Schema.String),
  language: Language,
  roles: Schema.Array(Role),
  referralCode: Schema.String,
  hasPassword: Schema.Boolean,
  hasPin: Schema.Boolean,
  avatarUrl: Schema.NullOr(Schema.String),
  createdAt: Schema.String
})

export const SignedInView = Schema.Struct({
  accessToken: Schema.String,
  accessTokenExpiresAt: Schema.String,
  refreshToken: Schema.String,
  refreshTokenExpiresAt: Schema.String,
  user: UserView
})

export const SessionView = Schema.Struct({
  id: Schema.String,
  deviceLabel: Schema.String,
  createdAt: Schema.String,
  lastUsedAt: Schema.String,
  expiresAt: Schema.String,
  current: Schema.Boolean
})

// Every auth endpoint may answer any of these; each endpoint's description lists its codes.
export const authErrors = [UnauthorizedProblem, ForbiddenProblem, NotFoundProblem, ConflictProblem, PayloadTooLargeProblem, UnsupportedMediaTypeProblem, UnprocessableProblem, TooManyRequestsProblem, ServiceUnavailableProblem] as const

export class AuthApi extends HttpApiGroup.make("auth")
  .add(
    HttpApiEndpoint.post("sendOtp", "/send-otp", {
      payload: Schema.Struct({ phone: PhoneInput, purpose: OtpPurpose }),
      success: Schema.Struct({ expiresInSeconds: Schema.Number, resendAfterSeconds: Schema.Number }).pipe(HttpApiSchema.status(202)),
      error: authErrors
    }).annotate(OpenApi.Description, "Envoie un code à 6 chiffres par SMS (le même 202 que le numéro ait un compte ou non). Codes d'erreur : phone_invalid, phone_cannot_receive_sms (ligne fixe), too_many_requests (avec Retry-After), sms_unavailable."),
    HttpApiEndpoint.post("verifyOtp", "/verify-otp", {
      payload: Schema.Struct({ phone: PhoneInput, code: OtpCode, purpose: OtpPurpose }),
      success: Schema.Struct({ verificationToken: Schema.String, expiresAt: Schema.String }),
      error: authErrors
    }).annotate(OpenApi.Description, "Vérifie le code; 3 essais par code. Codes : otp_incorrect (avec attemptsLeft dans le message), otp_expired, otp_attempts_exhausted."),
    HttpApiEndpoint.post("register", "/register", {
      payload: Schema.Struct({
        verificationToken: Token,
        fullName: FullName,
        password: Schema.optionalKey(Password),
        referralCode: Schema.optionalKey(ReferralCode),
        language: Schema.optionalKey(Language)
      }),
      success: SignedInView.pipe(HttpApiSchema.status(201)),
      error: authErrors
    }).annotate(OpenApi.Description, "Crée le compte du numéro vérifié (jeton `register`). Codes : verification_token_invalid, phone_already_registered, referral_code_unknown, password_too_weak."),
    HttpApiEndpoint.post("login", "/login", {
      payload: Schema.Union([
        Schema.Struct({ phone: PhoneInput, password: Password }),
        Schema.Struct({ verificationToken: Token })
      ]),
      success: SignedInView,
      error: authErrors
    }).annotate(OpenApi.Description, "Connexion par mot de passe, ou par jeton de vérification `login`. Codes : invalid_credentials, verification_token_invalid, account_not_found, too_many_requests."),
    HttpApiEndpoint.post("refresh", "/refresh", {
      payload: Schema.Struct({ refreshToken: Token }),
      success: SignedInView,
      error: authErrors
    }).annotate(OpenApi.Description, "Échange le jeton de rafraîchissement contre une nouvelle paire (rotation). Un jeton déjà utilisé révoque la session : refresh_token_reused."),
    HttpApiEndpoint.post("logout", "/logout", { success: HttpApiSchema.NoContent, error: authErrors })
      .middleware(Authentication)
      .annotate(OpenApi.Description, "Déconnecte cet appareil : la session est révoquée et le jeton d'accès refusé dès maintenant."),
    HttpApiEndpoint.get("sessions", "/sessions", { success: Schema.Array(SessionView), error: authErrors })
      .middleware(Authentication)
      .annotate(OpenApi.Description, "Les appareils connectés de l'utilisateur."),
    HttpApiEndpoint.delete("revokeSession", "/sessions/:id", {
      params: { id: Schema.String.pipe(Schema.check(Schema.isMaxLength(64))) },
      success: HttpApiSchema.NoContent,
      error: authErrors
    })
      .middleware(Authentication)
      .annotate(OpenApi.Description, "Déconnecte un de ses appareils. La session d'un autre utilisateur : 404.")
  )
  .prefix("/api/v1/auth")
  .annotateMerge(OpenApi.annotations({ title: "Authentification" }))
{}

const Location = GeoPoint
export const Pin = Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{4}$/u, { expected: "un code PIN de 4 chiffres" })))
const AddressId = Schema.String.pipe(Schema.check(Schema.isMaxLength(64)))

export const AddressView = Schema.Struct({
  id: Schema.String,
  label: Schema.String,
  location: Location,
  landmark: Schema.String,
  isDefault: Schema.Boolean,
  zone: Schema.NullOr(Schema.Struct({ id: Schema.String, slug: Schema.String, name: Schema.String })),
  createdAt: Schema.String,
  updatedAt: Schema.String
})

// The transport accepts a little more than the 5 MB rule so that the rule, not the parser, answers
// an oversized photo (with a clear message); far larger bodies are cut by the parser.
const uploadLimits = { maxParts: 4, maxFileSize: "6 MB" } as const
const Upload = Multipart.SingleFileSchema

export const KycDocumentView = Schema.Struct({
  id: Schema.String,
  type: KycDocumentType,
  contentType: Schema.String,
  sizeBytes: Schema.Number,
  uploadedAt: Schema.String
})

export const KycView = Schema.Struct({
  status: KycStatus,
  rejectionReason: Schema.NullOr(Schema.String),
  reviewedAt: Schema.NullOr(Schema.String),
  documents: Schema.Array(Schema.Struct({ ...KycDocumentView.fields, url: Schema.String }))
})

export class UsersApi extends HttpApiGroup.make("users")
  .add(
    HttpApiEndpoint.get("me", "/me", { success: UserView, error: authErrors }),
    HttpApiEndpoint.put("updateMe", "/me", {
      payload: Schema.Struct({
        fullName: Schema.optionalKey(FullName),
        email: Schema.optionalKey(Schema.NullOr(Email)),
        language: Schema.optionalKey(Language)
      }),
      success: UserView,
      error: authErrors
    }),
    HttpApiEndpoint.put("setPin", "/me/pin", {
      payload: Schema.Struct({ pin: Pin, currentPin: Schema.optionalKey(Pin) }),
      success: HttpApiSchema.NoContent,
      error: authErrors
    }).annotate(OpenApi.Description, "Définit le code PIN (4 chiffres, pas 0000, 1234, 1212...) ; pour le changer, currentPin est exigé. 5 erreurs bloquent le PIN 30 minutes. Codes : pin_too_simple, current_pin_required, pin_incorrect, too_many_requests."),
    HttpApiEndpoint.post("changeAvatar", "/me/avatar", {
      payload: Schema.Struct({ file: Upload }).pipe(HttpApiSchema.asMultipart(uploadLimits)),
      success: Schema.Struct({ avatarUrl: Schema.String }),
      error: authErrors
    }).annotate(OpenApi.Description, "Photo de profil (multipart, champ `file`) : JPEG, PNG ou WebP reconnus à leurs octets, 5 Mo au plus ; recadrée en carré, convertie en WebP, sans métadonnées. Codes : file_too_large, unsupported_file_type, image_unreadable."),
    HttpApiEndpoint.post("submitKycDocument", "/me/kyc/documents", {
      payload: Schema.Struct({ type: KycDocumentType, file: Upload }).pipe(HttpApiSchema.asMultipart(uploadLimits)),
      success: KycDocumentView.pipe(HttpApiSchema.status(201)),
      error: authErrors
    }).annotate(OpenApi.Description, "Pièce d'identité (multipart : `type` et `file`) : JPEG, PNG, WebP ou PDF, 5 Mo au plus, stockée en privé. Le KYC repasse « pending » jusqu'à la décision d'un administrateur."),
    HttpApiEndpoint.get("kyc", "/me/kyc", { success: KycView, error: authErrors })
      .annotate(OpenApi.Description, "Statut KYC (none, pending, approved, rejected avec la raison) et documents, chacun avec un lien signé valable 5 minutes."),
    HttpApiEndpoint.get("addresses", "/me/addresses", { success: Schema.Array(AddressView), error: authErrors }),
    HttpApiEndpoint.post("addAddress", "/me/addresses", {
      payload: Schema.Struct({ label: AddressLabel, location: Location, landmark: Landmark, isDefault: Schema.optionalKey(Schema.Boolean) }),
      success: AddressView.pipe(HttpApiSchema.status(201)),
      error: authErrors
    }).annotate(OpenApi.Description, "Ajoute une adresse (point + repère). La zone de livraison est déduite du point (null hors zone). La première adresse est celle par défaut. Codes : too_many_addresses."),
    HttpApiEndpoint.put("changeAddress", "/me/addresses/:id", {
      params: { id: AddressId },
      payload: Schema.Struct({ label: Schema.optionalKey(AddressLabel), location: Schema.optionalKey(Location), landmark: Schema.optionalKey(Landmark), isDefault: Schema.optionalKey(Schema.Literal(true)) }),
      success: AddressView,
      error: authErrors
    }).annotate(OpenApi.Description, "Modifie une de ses adresses ; isDefault: true en fait l'adresse par défaut. L'adresse d'un autre : 404."),
    HttpApiEndpoint.delete("removeAddress", "/me/addresses/:id", { params: { id: AddressId }, success: HttpApiSchema.NoContent, error: authErrors })
      .annotate(OpenApi.Description, "Supprime une de ses adresses ; si c'était celle par défaut, la plus récente devient celle par défaut.")
  )
  .middleware(Authentication)
  .prefix("/api/v1/users")
  .annotateMerge(OpenApi.annotations({ title: "Utilisateurs" }))
{}

export class AdminApi extends HttpApiGroup.make("admin")
  .add(
    HttpApiEndpoint.put("setRoles", "/users/:id/roles", {
      params: { id: UserId.pipe(Schema.check(Schema.isUUID())) },
      payload: Schema.Struct({ roles: Schema.Array(Role).pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(4))) }),
      success: UserView,
      error: authErrors
    }).annotate(OpenApi.Description, "Remplace les rôles d'un utilisateur (administrateurs seulement). Effectif au prochain rafraîchissement de ses jetons. Codes : forbidden, account_not_found, cannot_remove_own_admin_role.")
  )
  .middleware(Authentication)
  .prefix("/api/v1/admin")
  .annotateMerge(OpenApi.annotations({ title: "Administration" }))
{}
