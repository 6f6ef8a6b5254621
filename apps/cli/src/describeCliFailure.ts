import { Redacted } from "effect"
import { describeFailure } from "@nelo/adapters/logging/describeFailure"
import { authMessages } from "@nelo/domain/auth/messages"
import { catalogueMessages } from "@nelo/domain/catalogue/messages"
import { deliveriesMessages } from "@nelo/domain/deliveries/messages"
import { earningsMessages } from "@nelo/domain/earnings/messages"
import { payoutsMessages } from "@nelo/domain/earnings/payoutErrorMessages"
import { ordersMessages } from "@nelo/domain/orders/messages"
import { paymentsMessages } from "@nelo/domain/payments/messages"
import { messageFrom } from "@nelo/domain/shared/ErrorMessages"
import { usersMessages } from "@nelo/domain/users/messages"
import { walletMessages } from "@nelo/domain/wallet/messages"

// The French sentences the API answers with, for the domain's refusals the CLI does not word for
// its own options (those stay here: they name the flag to fix).
const messageTables = [authMessages, usersMessages, catalogueMessages, walletMessages, paymentsMessages, ordersMessages, deliveriesMessages, earningsMessages, payoutsMessages]

/** Where the database is, without the password, for error sentences. */
export const databaseLocation = (url: Redacted.Redacted<string>): string => {
  try {
    const parsed = new URL(Redacted.value(url))
    return `${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`
  } catch {
    return "DATABASE_URL"
  }
}

/** One French sentence for an administrator, from whatever stopped a command. */
export const describeCliFailure = (error: unknown, databaseAt: string): string => {
  const tagged = error as { readonly _tag?: string; readonly reason?: { readonly _tag?: string; readonly cause?: unknown }; readonly cause?: unknown }
  if (tagged?._tag === "SqlError" || tagged?._tag === "GeoStoreUnavailable") {
    const sqlError = tagged._tag === "SqlError" ? tagged : (tagged.cause as typeof tagged)
    const reason = sqlError?.reason?._tag
    if (reason === "ConnectionError" || reason === "AuthenticationError") {
      return `La base de données est injoignable (${databaseAt}) : vérifiez que Postgres tourne et que DATABASE_URL est juste.`
    }
    const detail = describeFailure(sqlError?.reason?.cause ?? sqlError)
    if (/database ".*" does not exist/u.test(detail)) {
      return `La base de données n'existe pas encore (${databaseAt}) : lancez « nelo-admin db migrate », qui la crée.`
    }
    if (/relation ".*" does not exist/u.test(detail)) {
      return `La base de données n'est pas à jour (${databaseAt}) : lancez « nelo-admin db migrate ».`
    }
    return `La base de données a refusé l'opération (${databaseAt}) : ${describeFailure(sqlError?.reason?.cause ?? sqlError)}`
  }
  if (tagged?._tag === "AccountNotFound") return "Aucun compte pour ce numéro."
  if (tagged?._tag === "RejectionReasonRequired") return "Un refus doit dire pourquoi : ajoutez --reason."
  // A store down: the operator needs the cause, which the API keeps for its log.
  if (tagged?._tag === "AuthStoreUnavailable" || tagged?._tag === "LedgerUnavailable" || tagged?._tag === "OrdersUnavailable" || tagged?._tag === "DeliveriesUnavailable" || tagged?._tag === "EarningsUnavailable") return describeCliFailure(tagged.cause, databaseAt)
  if (tagged?._tag === "MigrationError") return `Les migrations ont échoué : ${describeFailure(error)}`
  return messageFrom(messageTables, error) ?? describeFailure(error)
}
