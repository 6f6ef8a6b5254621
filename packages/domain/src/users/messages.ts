import { unavailableMessage } from "../auth/messages.ts"
import type { ErrorMessages } from "../shared/ErrorMessages.ts"
import type { StorageUnavailable } from "../storage/ObjectStorage.ts"
import type { AddressNotFound, TooManyAddresses } from "./addresses.ts"
import type { DeviceNotFound } from "./devices.ts"
import type { ImageUnreadable } from "./ImageProcessor.ts"
import type { KycNotPending, RejectionReasonRequired } from "./kycReview.ts"
import type { AdminRoleRequired, CannotRemoveOwnAdminRole } from "./setUserRoles.ts"
import type { FileTooLarge, UnsupportedFileType } from "./uploadErrors.ts"
import type { ReferralCodeTaken } from "./UserRepository.ts"

export type UsersError =
  | AddressNotFound
  | DeviceNotFound
  | AdminRoleRequired
  | CannotRemoveOwnAdminRole
  | FileTooLarge
  | ImageUnreadable
  | KycNotPending
  | ReferralCodeTaken
  | RejectionReasonRequired
  | StorageUnavailable
  | TooManyAddresses
  | UnsupportedFileType

export const usersMessages: ErrorMessages<UsersError> = {
  AddressNotFound: () => "Cette adresse n'existe pas.",
  DeviceNotFound: () => "Cet appareil n'est pas enregistré sur votre compte.",
  TooManyAddresses: (error) => `Vous avez déjà ${error.maximum} adresses : supprimez-en une pour en ajouter une autre.`,
  AdminRoleRequired: () => "Cette action est réservée aux administrateurs.",
  CannotRemoveOwnAdminRole: () => "Vous ne pouvez pas retirer votre propre rôle d'administrateur.",
  FileTooLarge: (error) => `Fichier trop lourd : ${Math.round(error.maximumBytes / 1024 / 1024)} Mo au plus.`,
  UnsupportedFileType: (error) =>
    `Type de fichier non accepté. Formats possibles : ${error.accepted.map((type) => type.split("/")[1]!.toUpperCase()).join(", ")}.`,
  ImageUnreadable: () => "Cette image est illisible ou abîmée. Essayez une autre photo.",
  KycNotPending: () => "Ce compte n'a pas de KYC en attente : rien à décider.",
  RejectionReasonRequired: () => "Un refus doit dire pourquoi : indiquez le motif.",
  // Only a run of collisions on random codes: a store-side failure to the person.
  ReferralCodeTaken: () => unavailableMessage,
  StorageUnavailable: () => unavailableMessage
}
