import { unavailableMessage } from "../auth/messages.ts"
import type { ErrorMessages } from "../shared/ErrorMessages.ts"
import { francs } from "../shared/francs.ts"
import type {
  FreezeReasonRequired,
  IdempotencyKeyReused,
  LedgerUnavailable,
  LimitExceeded,
  ReceiverNotFound,
  ReversalRefused,
  SelfTransfer,
  TransactionNotFound,
  TransferAmountInvalid,
  WalletAlreadyInState,
  WalletFrozen
} from "./errors.ts"
import type { BalanceOutOfRange, InsufficientFunds } from "./ledgerRules.ts"

export type WalletError =
  | BalanceOutOfRange
  | FreezeReasonRequired
  | IdempotencyKeyReused
  | InsufficientFunds
  | LedgerUnavailable
  | LimitExceeded
  | ReceiverNotFound
  | ReversalRefused
  | SelfTransfer
  | TransactionNotFound
  | TransferAmountInvalid
  | WalletAlreadyInState
  | WalletFrozen

export const walletMessages: ErrorMessages<WalletError> = {
  WalletFrozen: (error) =>
    error.side === "own"
      ? "Votre portefeuille est gelé : aucun envoi ni recharge n'est possible. Contactez le support NELO."
      : "Le portefeuille du destinataire est gelé : il ne peut rien recevoir pour l'instant.",
  LimitExceeded: (error) =>
    `Plafond ${error.period === "day" ? "journalier" : "mensuel"} de ${francs(error.limitXof)} atteint : vous pouvez encore envoyer ${francs(error.remainingXof)} ${error.period === "day" ? "aujourd'hui" : "ce mois-ci"}.`,
  IdempotencyKeyReused: () => "Cette clé d'idempotence a déjà servi pour une autre opération. Utilisez une nouvelle clé.",
  ReceiverNotFound: () => "Aucun compte NELO pour ce numéro : le destinataire doit d'abord s'inscrire.",
  TransferAmountInvalid: () => "Le montant doit être un nombre entier de francs supérieur à zéro.",
  SelfTransfer: () => "Vous ne pouvez pas vous envoyer de l'argent à vous-même.",
  InsufficientFunds: (error) => `Solde insuffisant : il vous manque ${francs(error.missingXof)} (solde ${francs(error.balanceXof)}).`,
  BalanceOutOfRange: () => "Montant impossible à enregistrer.",
  WalletAlreadyInState: (error) => error.status === "frozen" ? "Ce portefeuille est déjà gelé." : "Ce portefeuille n'est pas gelé.",
  FreezeReasonRequired: () => "Indiquez le motif.",
  TransactionNotFound: () => "Cette transaction n'existe pas.",
  ReversalRefused: () => "Une annulation ne s'annule pas : corrigez-la par une nouvelle opération.",
  LedgerUnavailable: () => unavailableMessage
}
