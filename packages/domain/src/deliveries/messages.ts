import { unavailableMessage } from "../auth/messages.ts"
import type { ErrorMessages } from "../shared/ErrorMessages.ts"
import type { CannotGoOnline, DeliveriesUnavailable, DriverAlreadyRegistered, DriverNotRegistered, DriverZoneNotFound } from "./errors.ts"

export type DeliveriesError = DeliveriesUnavailable | DriverNotRegistered | DriverAlreadyRegistered | DriverZoneNotFound | CannotGoOnline

const kycWords = { none: "aucune pièce envoyée", pending: "pièces en cours de vérification", approved: "validé", rejected: "pièces refusées" } as const

export const deliveriesMessages: ErrorMessages<DeliveriesError> = {
  DeliveriesUnavailable: () => unavailableMessage,
  DriverNotRegistered: () => "Vous n'êtes pas encore inscrit comme livreur : inscrivez-vous d'abord.",
  DriverAlreadyRegistered: () => "Vous êtes déjà inscrit comme livreur.",
  DriverZoneNotFound: () => "Zone introuvable : choisissez votre zone dans la liste des zones desservies.",
  CannotGoOnline: (error) => {
    switch (error.reason) {
      case "kyc_not_approved":
        return `Vous ne pouvez pas encore recevoir de courses : votre pièce d'identité et votre permis doivent être validés (${kycWords[error.kycStatus ?? "none"]}).`
      case "location_stale":
        return "Position inconnue ou trop ancienne : activez la localisation et attendez qu'elle soit envoyée, puis réessayez."
    }
  }
}
