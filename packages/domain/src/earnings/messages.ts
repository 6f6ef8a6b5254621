import { unavailableMessage } from "../auth/messages.ts"
import type { ErrorMessages } from "../shared/ErrorMessages.ts"
import { francs } from "../shared/francs.ts"
import type { EarningsUnavailable, OrderNotRefundable, RateNotRetroactive, RatePartyNotFound, RefundExceedsPaid, SettlementRefused } from "./errors.ts"

export type EarningsError = EarningsUnavailable | SettlementRefused | RateNotRetroactive | RatePartyNotFound | OrderNotRefundable | RefundExceedsPaid

const notRefundableWords = {
  not_paid: "Cette commande n'a pas été payée (une commande en espèces l'est à sa livraison) : il n'y a rien à rembourser.",
  already_refunded: "Cette commande a déjà été remboursée en totalité à son annulation : il ne reste rien à rembourser.",
  not_delivered: "Cette commande n'est pas encore livrée : annulez-la plutôt, son annulation la rembourse en totalité."
} as const

const settlementRefusedWords = {
  no_driver: "elle est livrée mais n'a pas de livreur enregistré (données incohérentes, à vérifier)",
  escrow_short: "le séquestre du commerce contient moins que son total (argent manquant, à vérifier)"
} as const

/** Abidjan's time is UTC all year: "2026-12-10 08:00". */
const when = (date: Date) => date.toISOString().slice(0, 16).replace("T", " ")

export const earningsMessages: ErrorMessages<EarningsError> = {
  EarningsUnavailable: () => unavailableMessage,
  SettlementRefused: (error) => `La commande ${error.orderId} ne peut pas être réglée : ${settlementRefusedWords[error.reason]}.`,
  RateNotRetroactive: (error) =>
    `Un taux de commission ne s'applique jamais au passé (${when(error.effectiveFrom)} est avant maintenant, ${when(error.now)}) : donnez une date à venir, ou aucune pour tout de suite.`,
  RatePartyNotFound: (error) => error.kind === "provider" ? "Aucun commerce n'a cet identifiant." : "Ce compte n'est pas inscrit comme livreur.",
  OrderNotRefundable: (error) => notRefundableWords[error.reason],
  RefundExceedsPaid: (error) =>
    error.refundableXof === 0
      ? "Cette commande a déjà été remboursée en totalité : il ne reste rien à rembourser."
      : `Le remboursement dépasse ce qui a été payé : il reste au plus ${francs(error.refundableXof)} à rembourser sur cette commande.`
}
