import { Effect } from "effect"
import type { HttpServerRequest } from "effect/http"
import { ConflictProblem, InvalidRequest, ServiceUnavailableProblem, UnprocessableProblem } from "../api/problems.ts"
import { type AuthError, authProblem, type AuthProblem } from "./authProblem.ts"

export type WalletError =
  | AuthError
  | { readonly _tag: "WalletFrozen"; readonly side: "own" | "receiver" }
  | { readonly _tag: "LimitExceeded"; readonly period: "day" | "month"; readonly limitXof: number; readonly remainingXof: number }
  | { readonly _tag: "IdempotencyKeyReused" }
  | { readonly _tag: "ReceiverNotFound" }
  | { readonly _tag: "SelfTransfer" }
  | { readonly _tag: "TransferAmountInvalid" }
  | { readonly _tag: "InsufficientFunds"; readonly balanceXof: number; readonly missingXof: number }
  | { readonly _tag: "BalanceOutOfRange" }
  | { readonly _tag: "WalletAlreadyInState"; readonly status: "active" | "frozen" }
  | { readonly _tag: "FreezeReasonRequired" }
  | { readonly _tag: "TopupAmountInvalid"; readonly minimumXof: number; readonly maximumXof: number }
  | { readonly _tag: "PaymentsUnavailable" }
  | { readonly _tag: "LedgerUnavailable"; readonly cause: unknown }

export type WalletProblem = AuthProblem | InvalidRequest

const francs = (amountXof: number) => `${new Intl.NumberFormat("fr-FR").format(amountXof).replace(/\u202f|\u00a0/gu, " ")} F CFA`

const unprocessable = (code: string, message: string) => Effect.fail(new UnprocessableProblem({ code, message }))

const unavailable = (what: string, cause: unknown) =>
  Effect.logError(what).pipe(
    Effect.annotateLogs({ cause: String(cause) }),
    Effect.andThen(Effect.fail(new ServiceUnavailableProblem({ code: "service_unavailable", message: "Service momentanément indisponible. Réessayez dans un instant." })))
  )

/** The HTTP face of the wallet's and payments' errors; the others are the auth context's. */
export const walletProblem = (request: HttpServerRequest.HttpServerRequest) => (error: WalletError): Effect.Effect<never, WalletProblem> => {
  switch (error._tag) {
    case "WalletFrozen":
      return unprocessable("wallet_frozen", error.side === "own"
        ? "Votre portefeuille est gelé : aucun envoi ni recharge n'est possible. Contactez le support NELO."
        : "Le portefeuille du destinataire est gelé : il ne peut rien recevoir pour l'instant.")
    case "LimitExceeded":
      return unprocessable("limit_exceeded", `Plafond ${error.period === "day" ? "journalier" : "mensuel"} de ${francs(error.limitXof)} atteint : vous pouvez encore envoyer ${francs(error.remainingXof)} ${error.period === "day" ? "aujourd'hui" : "ce mois-ci"}.`)
    case "IdempotencyKeyReused":
      return Effect.fail(new ConflictProblem({ code: "idempotency_key_reused", message: "Cette clé d'idempotence a déjà servi pour une autre opération. Utilisez une nouvelle clé." }))
    case "ReceiverNotFound":
      return unprocessable("receiver_not_found", "Aucun compte NELO pour ce numéro : le destinataire doit d'abord s'inscrire.")
    case "TransferAmountInvalid":
      return unprocessable("transfer_amount_invalid", "Le montant doit être un nombre entier de francs supérieur à zéro.")
    case "SelfTransfer":
      return unprocessable("self_transfer", "Vous ne pouvez pas vous envoyer de l'argent à vous-même.")
    case "InsufficientFunds":
      return unprocessable("insufficient_funds", `Solde insuffisant : il vous manque ${francs(error.missingXof)} (solde ${francs(error.balanceXof)}).`)
    case "BalanceOutOfRange":
      return unprocessable("balance_out_of_range", "Montant impossible à enregistrer.")
    case "WalletAlreadyInState":
      return Effect.fail(new ConflictProblem(error.status === "frozen"
        ? { code: "wallet_already_frozen", message: "Ce portefeuille est déjà gelé." }
        : { code: "wallet_already_active", message: "Ce portefeuille n'est pas gelé." }))
    case "FreezeReasonRequired":
      return unprocessable("reason_required", "Indiquez le motif.")
    case "TopupAmountInvalid":
      return unprocessable("topup_amount_invalid", `Une recharge va de ${francs(error.minimumXof)} à ${francs(error.maximumXof)}, par multiples de 5 F.`)
    case "PaymentsUnavailable":
      return Effect.fail(new ServiceUnavailableProblem({ code: "payments_unavailable", message: "Le paiement par Wave ou CinetPay est indisponible pour le moment : rien n'a été débité. Réessayez plus tard." }))
    case "LedgerUnavailable":
      return unavailable("ledger unavailable", error.cause)
    default:
      return authProblem(request)(error)
  }
}
