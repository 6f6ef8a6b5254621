import { unavailableMessage } from "../auth/messages.ts"
import { francs } from "../shared/francs.ts"
import type { ErrorMessages } from "../shared/ErrorMessages.ts"
import type {
  CannotGoOnline,
  CashCollectedMismatch,
  DeliveriesUnavailable,
  DeliveryCodeWrong,
  DeliveryCompletionLocked,
  DeliveryNotFound,
  DeliveryStepRefused,
  DriverAlreadyRegistered,
  DriverBusy,
  DriverNotAssignable,
  DriverNotRegistered,
  DriverZoneNotFound,
  OfferClosed,
  OfferNotFound,
  AlreadyRated,
  RatingNotFound,
  RatingNotOpen,
  RatingWindowClosed
} from "./errors.ts"
import type { DriverFeedUnavailable } from "./DriverFeed.ts"

export type DeliveriesError =
  | DeliveriesUnavailable
  | DriverFeedUnavailable
  | DriverNotRegistered
  | DriverAlreadyRegistered
  | DriverZoneNotFound
  | CannotGoOnline
  | OfferNotFound
  | OfferClosed
  | DriverBusy
  | DeliveryNotFound
  | DeliveryStepRefused
  | DeliveryCodeWrong
  | DeliveryCompletionLocked
  | CashCollectedMismatch
  | DriverNotAssignable
  | RatingNotOpen
  | RatingWindowClosed
  | AlreadyRated
  | RatingNotFound

const offerClosedWords = {
  accepted: "vous l'avez déjà acceptée",
  rejected: "vous l'avez refusée",
  expired: "le temps pour répondre est écoulé",
  withdrawn: "un autre livreur l'a prise, ou la commande a été annulée",
  released: "vous l'avez rendue"
} as const

const stepWords: Readonly<Record<string, string>> = {
  searching: "elle cherche encore un livreur",
  unassigned: "elle n'a pas de livreur",
  assigned: "elle n'a pas encore été récupérée",
  picked_up: "elle a été récupérée mais vous n'êtes pas encore parti",
  delivering: "elle est en cours de livraison",
  delivered: "elle est déjà livrée",
  failed: "elle a échoué",
  cancelled: "elle est annulée"
}

const notAssignableWords = {
  not_registered: "cet utilisateur n'est pas livreur",
  offline: "le livreur est hors ligne",
  location_stale: "sa position est trop ancienne",
  on_delivery: "il a déjà une course",
  kyc_not_approved: "ses pièces ne sont pas validées",
  vehicle_unfit: "son véhicule ne peut pas transporter cette commande",
  cash_cap_exceeded: "il détient trop d'espèces pour une commande payée à la livraison"
} as const

const kycWords = { none: "aucune pièce envoyée", pending: "pièces en cours de vérification", approved: "validé", rejected: "pièces refusées" } as const

export const deliveriesMessages: ErrorMessages<DeliveriesError> = {
  DeliveriesUnavailable: () => unavailableMessage,
  DriverNotRegistered: () => "Vous n'êtes pas encore inscrit comme livreur : inscrivez-vous d'abord.",
  DriverFeedUnavailable: () => "Les offres en direct sont momentanément indisponibles : actualisez vos offres et votre course, elles reprendront dans un instant.",
  DriverAlreadyRegistered: () => "Vous êtes déjà inscrit comme livreur.",
  DriverZoneNotFound: () => "Zone introuvable : choisissez votre zone dans la liste des zones desservies.",
  OfferNotFound: () => "Offre introuvable.",
  OfferClosed: (error) => `Cette course n'est plus disponible : ${offerClosedWords[error.status]}.`,
  DriverBusy: () => "Vous avez déjà une course en cours : terminez-la avant d'en prendre une autre.",
  DeliveryNotFound: () => "Course introuvable.",
  DeliveryStepRefused: (error) => `Impossible pour cette course : ${stepWords[error.status] ?? error.status}.`,
  DeliveryCodeWrong: (error) =>
    error.attemptsLeft > 1
      ? `Code de livraison incorrect. Demandez au client le code affiché dans son application (encore ${error.attemptsLeft} essais).`
      : "Code de livraison incorrect. Dernier essai : au prochain code faux, la remise sera bloquée.",
  DeliveryCompletionLocked: () => "Trop de codes faux : la remise est bloquée. Un agent NELO va vous appeler.",
  CashCollectedMismatch: (error) =>
    error.notCash
      ? "Cette commande est déjà payée : n'encaissez rien."
      : `Encaissez exactement ${francs(error.expectedXof)} et indiquez ce montant (cashCollectedXof).`,
  DriverNotAssignable: (error) => `Impossible d'attribuer la course à ce livreur : ${notAssignableWords[error.reason]}.`,
  RatingNotOpen: () => "Seule une commande livrée se note : vous pourrez noter celle-ci une fois qu'elle vous aura été remise.",
  RatingWindowClosed: (error) =>
    `Le délai pour noter cette commande est passé : une commande se note ${error.windowDays <= 1 ? "le jour qui suit" : `dans les ${error.windowDays} jours qui suivent`} sa livraison.`,
  AlreadyRated: () => "Vous avez déjà noté cette commande : une note ne se donne qu'une fois.",
  RatingNotFound: () => "Vous n'avez pas encore noté cette commande.",
  CannotGoOnline: (error) => {
    switch (error.reason) {
      case "kyc_not_approved":
        return `Vous ne pouvez pas encore recevoir de courses : votre pièce d'identité et votre permis doivent être validés (${kycWords[error.kycStatus ?? "none"]}).`
      case "location_stale":
        return "Position inconnue ou trop ancienne : activez la localisation et attendez qu'elle soit envoyée, puis réessayez."
      case "cash_cap_reached":
        return `Vous détenez ${francs(error.cashHeldXof ?? 0)} d'espèces encaissées pour NELO (plafond ${francs(error.capXof ?? 0)}) : remettez-les avant de repasser en ligne.`
    }
  }
}
