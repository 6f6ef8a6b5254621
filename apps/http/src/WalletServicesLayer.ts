import { Layer } from "effect"
import { PaymentGatewaysFromConfig } from "@nelo/adapters/payments/PaymentGatewaysFromConfig"
import { LedgerPostgres } from "@nelo/adapters/postgres/LedgerPostgres"
import { OutboxStorePostgres } from "@nelo/adapters/postgres/OutboxStorePostgres"
import { PaymentIntentRepositoryPostgres } from "@nelo/adapters/postgres/PaymentIntentRepositoryPostgres"
import { WalletPolicyFromConfig } from "@nelo/adapters/wallet/WalletPolicyFromConfig"

/**
 * The real adapters of the wallet's and payments' own ports; needs Postgres. The ledger writes its
 * events through the same outbox, inside its own transactions.
 */
export const WalletServicesLayer = Layer.mergeAll(LedgerPostgres, PaymentIntentRepositoryPostgres, PaymentGatewaysFromConfig, WalletPolicyFromConfig).pipe(
  Layer.provideMerge(OutboxStorePostgres)
)
