import { Schema } from "effect"
import { Multipart } from "effect/http"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { AddressLabel, Landmark } from "@nelo/domain/users/Address"
import { KycDocumentType } from "@nelo/domain/users/Kyc"
import { DevicePlatform, PushToken } from "@nelo/domain/users/Device"
import { Email, FullName, Language, Role, UserId } from "@nelo/domain/users/User"
import { Pin } from "../auth/Api.ts"
import { AccountNotFoundProblem, CurrentPinRequiredProblem, PinIncorrectProblem, PinTooSimpleProblem } from "../auth/errors.ts"
import { AdminAuthentication, Authentication } from "../shared/Authentication.ts"
import { Point } from "../shared/bounded.ts"
import { ServiceUnavailable, TooManyRequestsProblem } from "../shared/problems.ts"
import {
  AddressNotFoundProblem,
  DeviceNotFoundProblem,
  AdminRoleRequiredProblem,
  CannotRemoveOwnAdminRoleProblem,
  FileTooLargeProblem,
  ImageUnreadableProblem,
  TooManyAddressesProblem,
  UnsupportedFileTypeProblem
} from "./errors.ts"
import { AddressView, AvatarView, DeviceView, KycDocumentView, KycView, UserView } from "./views.ts"

const AddressId = Schema.String.pipe(Schema.check(Schema.isMaxLength(64)))

// The transport accepts a little more than the 5 MB rule so that the rule, not the parser, answers
// an oversized photo (with a clear message); far larger bodies are cut by the parser.
const uploadLimits = { maxParts: 4, maxFileSize: "6 MB" } as const
const Upload = Multipart.SingleFileSchema

export class UsersApi extends HttpApiGroup.make("users")
  .add(
    HttpApiEndpoint.get("me", "/me", { success: UserView, error: [AccountNotFoundProblem, ServiceUnavailable] }),
    HttpApiEndpoint.put("updateMe", "/me", {
      payload: Schema.Struct({
        fullName: Schema.optionalKey(FullName),
        email: Schema.optionalKey(Schema.NullOr(Email)),
        language: Schema.optionalKey(Language)
      }),
      success: UserView,
      error: [AccountNotFoundProblem, ServiceUnavailable]
    }),
    HttpApiEndpoint.put("setPin", "/me/pin", {
      payload: Schema.Struct({ pin: Pin, currentPin: Schema.optionalKey(Pin) }),
      success: HttpApiSchema.NoContent,
      error: [PinTooSimpleProblem, CurrentPinRequiredProblem, PinIncorrectProblem, TooManyRequestsProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Définit le code PIN (4 chiffres, pas 0000, 1234, 1212...) ; pour le changer, currentPin est exigé. 5 erreurs bloquent le PIN 30 minutes (429 avec Retry-After)."),
    HttpApiEndpoint.post("changeAvatar", "/me/avatar", {
      payload: Schema.Struct({ file: Upload }).pipe(HttpApiSchema.asMultipart(uploadLimits)),
      success: AvatarView,
      error: [FileTooLargeProblem, UnsupportedFileTypeProblem, ImageUnreadableProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Photo de profil (multipart, champ `file`) : JPEG, PNG ou WebP reconnus à leurs octets, 5 Mo au plus ; recadrée en carré, convertie en WebP, sans métadonnées."),
    HttpApiEndpoint.post("submitKycDocument", "/me/kyc/documents", {
      payload: Schema.Struct({ type: KycDocumentType, file: Upload }).pipe(HttpApiSchema.asMultipart(uploadLimits)),
      success: KycDocumentView.pipe(HttpApiSchema.status(201)),
      error: [FileTooLargeProblem, UnsupportedFileTypeProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Pièce d'identité (multipart : `type` et `file`) : JPEG, PNG, WebP ou PDF, 5 Mo au plus, stockée en privé. Le KYC repasse « pending » jusqu'à la décision d'un administrateur."),
    HttpApiEndpoint.get("kyc", "/me/kyc", { success: KycView, error: ServiceUnavailable })
      .annotate(OpenApi.Description, "Statut KYC (none, pending, approved, rejected avec la raison) et documents, chacun avec un lien signé valable 5 minutes."),
    HttpApiEndpoint.get("addresses", "/me/addresses", { success: Schema.Array(AddressView).pipe(Schema.check(Schema.isMaxLength(100))), error: ServiceUnavailable }),
    HttpApiEndpoint.post("addAddress", "/me/addresses", {
      payload: Schema.Struct({ label: AddressLabel, location: Point, landmark: Landmark, isDefault: Schema.optionalKey(Schema.Boolean) }),
      success: AddressView.pipe(HttpApiSchema.status(201)),
      error: [TooManyAddressesProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Ajoute une adresse (point + repère). La zone de livraison est déduite du point (null hors zone). La première adresse est celle par défaut."),
    HttpApiEndpoint.put("changeAddress", "/me/addresses/:id", {
      params: { id: AddressId },
      payload: Schema.Struct({ label: Schema.optionalKey(AddressLabel), location: Schema.optionalKey(Point), landmark: Schema.optionalKey(Landmark), isDefault: Schema.optionalKey(Schema.Literal(true)) }),
      success: AddressView,
      error: [AddressNotFoundProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Modifie une de ses adresses ; isDefault: true en fait l'adresse par défaut. L'adresse d'un autre : 404."),
    HttpApiEndpoint.delete("removeAddress", "/me/addresses/:id", { params: { id: AddressId }, success: HttpApiSchema.NoContent, error: [AddressNotFoundProblem, ServiceUnavailable] })
      .annotate(OpenApi.Description, "Supprime une de ses adresses ; si c'était celle par défaut, la plus récente devient celle par défaut."),
    HttpApiEndpoint.post("registerDevice", "/me/devices", {
      payload: Schema.Struct({ token: PushToken, platform: DevicePlatform }),
      success: DeviceView.pipe(HttpApiSchema.status(201)),
      error: ServiceUnavailable
    }).annotate(OpenApi.Description, "Enregistre le jeton FCM du téléphone pour les notifications push (à chaque démarrage de l'app : le même jeton ne fait que se rafraîchir). Un jeton passe au dernier compte qui l'enregistre ; 10 appareils au plus, les plus anciens sont oubliés."),
    HttpApiEndpoint.get("devices", "/me/devices", { success: Schema.Array(DeviceView).pipe(Schema.check(Schema.isMaxLength(10))), error: ServiceUnavailable })
      .annotate(OpenApi.Description, "Mes appareils qui reçoivent les notifications, le plus récemment vu d'abord."),
    HttpApiEndpoint.delete("removeDevice", "/me/devices/:id", { params: { id: AddressId }, success: HttpApiSchema.NoContent, error: [DeviceNotFoundProblem, ServiceUnavailable] })
      .annotate(OpenApi.Description, "Retire un appareil (à la déconnexion de l'app) : il ne reçoit plus de notifications.")
  )
  .middleware(Authentication)
  .prefix("/api/v1/users")
  .annotateMerge(OpenApi.annotations({ title: "Utilisateurs" }))
{}

export class UsersAdminApi extends HttpApiGroup.make("admin")
  .add(
    HttpApiEndpoint.put("setRoles", "/users/:id/roles", {
      params: { id: UserId.pipe(Schema.check(Schema.isUUID())) },
      payload: Schema.Struct({ roles: Schema.Array(Role).pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(4))) }),
      success: UserView,
      error: [AdminRoleRequiredProblem, AccountNotFoundProblem, CannotRemoveOwnAdminRoleProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Remplace les rôles d'un utilisateur (administrateurs seulement). Effectif au prochain rafraîchissement de ses jetons.")
  )
  .middleware(AdminAuthentication)
  .prefix("/api/v1/admin")
  .annotateMerge(OpenApi.annotations({ title: "Administration" }))
{}
