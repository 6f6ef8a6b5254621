import { Layer } from "effect"
import { Payments } from "@nelo/domain/payments/Payments"
import { Wallet } from "@nelo/domain/wallet/Wallet"
import { WalletWrongPinObserver } from "@nelo/domain/wallet/wrongPinWatch"
import { IdGeneratorUuidV7 } from "../ids/IdGeneratorUuidV7.ts"
import { PaymentGatewaysFromConfig } from "../payments/PaymentGatewaysFromConfig.ts"
import { LedgerPostgres } from "../postgres/LedgerPostgres.ts"
import { OutboxStorePostgres } from "../postgres/OutboxStorePostgres.ts"
import { PaymentIntentRepositoryPostgres } from "../postgres/PaymentIntentRepositoryPostgres.ts"
import { TransactionalPostgres } from "../postgres/TransactionalPostgres.ts"
import { UserRepositoryPostgres } from "../postgres/UserRepositoryPostgres.ts"
import { WalletPolicyFromConfig } from "../wallet/WalletPolicyFromConfig.ts"
import { PinCheckPorts } from "./AuthLive.ts"

/** The wallet's and payments' own stores and policy with their real adapters (no gateway: the wallet needs none). */
export const WalletPorts = Layer.mergeAll(LedgerPostgres, PaymentIntentRepositoryPostgres, WalletPolicyFromConfig, OutboxStorePostgres, TransactionalPostgres)

/** The payments context (top-ups, webhooks, re-checks) on the real adapters; needs Postgres. */
export const PaymentsLive = Payments.layer.pipe(
  Layer.provide([WalletPorts, PaymentGatewaysFromConfig]),
  Layer.provide([UserRepositoryPostgres, IdGeneratorUuidV7])
)

/**
 * The wallet context as the apps use it: its service, and its WrongPinObserver (auth's PIN checks
 * count toward the wallet's freeze), on the real adapters. Needs Postgres (SqlClient) and Redis
 * (RedisClient: the PIN attempts and the wrong PINs of the day).
 */
export const WalletLive = Wallet.layer.pipe(
  Layer.provideMerge(WalletWrongPinObserver),
  Layer.provide(WalletPorts),
  Layer.provide(PinCheckPorts)
)
