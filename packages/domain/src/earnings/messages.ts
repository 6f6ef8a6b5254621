import { unavailableMessage } from "../auth/messages.ts"
import type { ErrorMessages } from "../shared/ErrorMessages.ts"
import type { EarningsUnavailable, RateNotRetroactive, RatePartyNotFound, SettlementRefused } from "./errors.ts"

export type EarningsError = EarningsUnavailable | SettlementRefused | RateNotRetroactive | RatePartyNotFound

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
  RatePartyNotFound: (error) => error.kind === "provider" ? "Aucun commerce n'a cet identifiant." : "Ce compte n'est pas inscrit comme livreur."
}
