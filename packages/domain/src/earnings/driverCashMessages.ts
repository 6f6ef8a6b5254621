import type { ErrorMessages } from "../shared/ErrorMessages.ts"
import { francs } from "../shared/francs.ts"
import type { RemittanceAmountInvalid, RemittanceExceedsHeld, RemittanceReferenceInvalid, RemittanceReferenceReused } from "./driverCashErrors.ts"

export type DriverCashError = RemittanceAmountInvalid | RemittanceExceedsHeld | RemittanceReferenceInvalid | RemittanceReferenceReused

const viaWords = { office: "au bureau", wave: "par Wave" } as const

/** The French sentences of the drivers' cash refusals, shared by the API and the CLI. */
export const driverCashMessages: ErrorMessages<DriverCashError> = {
  RemittanceAmountInvalid: () => "Le montant remis doit être un nombre entier de francs supérieur à 0.",
  RemittanceExceedsHeld: (error) =>
    error.heldXof <= 0
      ? "Ce livreur ne détient aucune espèce pour NELO : il n'y a rien à remettre."
      : `Ce livreur ne détient que ${francs(error.heldXof)} pour NELO : une remise ne peut pas dépasser ce qu'il doit.`,
  RemittanceReferenceInvalid: () => "La référence d'une remise (numéro du reçu, identifiant de la transaction Wave) compte de 1 à 64 caractères : lettres, chiffres, _ . : / -, sans espace.",
  RemittanceReferenceReused: (error) =>
    `La référence « ${error.reference} » a déjà servi pour une remise de ce livreur (${francs(error.recordedXof)}, ${viaWords[error.recordedVia]}) : ` +
    "une autre remise prend une autre référence."
}
