import type { ErrorMessages } from "../shared/ErrorMessages.ts"
import type { PayoutAlreadyOpen, PayoutBatchClosed, PayoutBatchExists, PayoutNumberNotPending, PayoutPeriodInvalid, PayoutRunNotFound } from "./errors.ts"

export type PayoutError = PayoutAlreadyOpen | PayoutRunNotFound | PayoutBatchClosed | PayoutBatchExists | PayoutPeriodInvalid | PayoutNumberNotPending

const periodWords = {
  start_after_end: "La période commence après sa fin : donnez --from avant --to.",
  too_long: "La période est trop longue : un lot couvre au plus deux mois (EARNINGS_PAYOUT_MAX_PERIOD_DAYS).",
  in_the_future: "La période n'est pas terminée : un lot ne couvre que des jours passés (jusqu'à hier au plus tard), sinon il oublierait ce qui sera gagné d'ici la fin du jour."
} as const

/** The payouts' refusals in French, for the API's problems and the CLI's sentences. */
export const payoutsMessages: ErrorMessages<PayoutError> = {
  PayoutAlreadyOpen: () => "Un versement à ce bénéficiaire est déjà en cours : il faut qu'il aboutisse ou échoue avant un autre.",
  PayoutRunNotFound: () => "Aucun lot de versements n'a cet identifiant.",
  PayoutBatchExists: () => "Un lot de cette période vient d'être exporté par ailleurs : exportez de nouveau pour le recevoir.",
  PayoutBatchClosed: () => "Tous les versements de ce lot sont déjà marqués payés ou échoués : il n'y a plus rien à marquer.",
  PayoutPeriodInvalid: (error) => periodWords[error.reason],
  PayoutNumberNotPending: () => "Aucun code n'attend pour ce numéro de paiement : demandez d'abord un code (le numéro à enregistrer), puis confirmez-le avec le code reçu par SMS."
}
