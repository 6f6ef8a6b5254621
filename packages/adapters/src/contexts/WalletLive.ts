import { Layer } from "effect"
import { Wallet } from "@nelo/domain/wallet/Wallet"
import { WalletWrongPinObserver } from "@nelo/domain/wallet/wrongPinWatch"
import { LedgerPostgres } from "../postgres/LedgerPostgres.ts"
import { OutboxStorePostgres } from "../postgres/OutboxStorePostgres.ts"
import { PaymentIntentRepositoryPostgres } from "../postgres/PaymentIntentRepositoryPostgres.ts"
import { TransactionalPostgres } from "../postgres/TransactionalPostgres.ts"
import { UserRepositoryPostgres } from "../postgres/UserRepositoryPostgres.ts"
import { WalletPolicyFromConfig } from "../wallet/WalletPolicyFromConfig.ts"
import { PinCheckPorts } from "./AuthLive.ts"

/** The wallet's and payments' own stores and policy with their real adapters (no gateway: the wallet needs none). */
export const WalletPorts = Layer.mergeAll(LedgerPostgres, PaymentIntentRepositoryPostgres, WalletPolicyFromConfig, OutboxStorePostgres, TransactionalPostgres)

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
