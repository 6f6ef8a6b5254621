import { RefundRequestStorePostgres } from "../postgres/RefundRequestStorePostgres.ts"
import { PayoutAccounts } from "@nelo/domain/earnings/PayoutAccounts"
import { Payouts } from "@nelo/domain/earnings/Payouts"
import { PayoutPolicyFromConfig } from "../earnings/PayoutPolicyFromConfig.ts"
import { PayoutGatewaysFromConfig } from "../payments/PayoutGatewaysFromConfig.ts"
import { PayoutAccountRepositoryPostgres } from "../postgres/PayoutAccountRepositoryPostgres.ts"
import { PayoutRepositoryPostgres } from "../postgres/PayoutRepositoryPostgres.ts"
import { AuthPorts } from "./AuthLive.ts"
import { Layer } from "effect"
import { Earnings } from "@nelo/domain/earnings/Earnings"
import { Statements } from "@nelo/domain/earnings/Statements"
import { EarningsPolicyFromConfig } from "../earnings/EarningsPolicyFromConfig.ts"
import { DriverCash } from "@nelo/domain/earnings/DriverCash"
import { DriverPolicyFromConfig } from "../deliveries/DriverPolicyFromConfig.ts"
import { DriverCashPolicyFromConfig } from "../earnings/DriverCashPolicyFromConfig.ts"
import { CashAlertLogPostgres } from "../postgres/CashAlertLogPostgres.ts"
import { IdGeneratorUuidV7 } from "../ids/IdGeneratorUuidV7.ts"
import { CommissionRateRepositoryPostgres } from "../postgres/CommissionRateRepositoryPostgres.ts"
import { DeliveryRepositoryPostgres } from "../postgres/DeliveryRepositoryPostgres.ts"
import { DriverRepositoryPostgres } from "../postgres/DriverRepositoryPostgres.ts"
import { OrderRepositoryPostgres } from "../postgres/OrderRepositoryPostgres.ts"
import { ProviderRepositoryPostgres } from "../postgres/ProviderRepositoryPostgres.ts"
import { SettlementRecordStorePostgres } from "../postgres/SettlementRecordStorePostgres.ts"
import { UserRepositoryPostgres } from "../postgres/UserRepositoryPostgres.ts"
import { WalletPorts } from "./WalletLive.ts"

/** The earnings' own store and policy with their real adapters. */
export const EarningsPorts = Layer.mergeAll(CommissionRateRepositoryPostgres, EarningsPolicyFromConfig, SettlementRecordStorePostgres, RefundRequestStorePostgres)

/**
 * The earnings context as the apps use it, on the real adapters: settlement reads the orders, their
 * deliveries and the rates, and posts to the ledger; an admin's rate names a provider or a driver;
 * an admin's refund tells the customer (the users' store, the outbox).
 * Needs Postgres (SqlClient) only: nothing of it reaches Redis.
 */
export const EarningsLive = Earnings.layer.pipe(
  Layer.provide(Layer.mergeAll(
    EarningsPorts,
    OrderRepositoryPostgres,
    DeliveryRepositoryPostgres,
    DriverRepositoryPostgres,
    ProviderRepositoryPostgres,
    UserRepositoryPostgres,
    WalletPorts,
    IdGeneratorUuidV7
  ))
)

/**
 * The drivers' cash (remittances, the report, the daily alert) on the real adapters: the ledger and
 * the outbox, the drivers and their cap (DriverPolicy, DRIVERS_CASH_IN_HAND_CAP_XOF), the users the
 * report names, the days the alert ran. Needs Postgres (SqlClient) only.
 */
export const DriverCashLive = DriverCash.layer.pipe(
  Layer.provide(Layer.mergeAll(
    DriverCashPolicyFromConfig,
    CashAlertLogPostgres,
    DriverPolicyFromConfig,
    DriverRepositoryPostgres,
    UserRepositoryPostgres,
    WalletPorts,
    IdGeneratorUuidV7
  ))
)

/**
 * Statements (issue 13): the earnings accounts' entries read from the ledger, the settlements'
 * records, who manages a provider, who is a driver. Needs Postgres (SqlClient) only.
 */
export const StatementsLive = Statements.layer.pipe(
  Layer.provide(Layer.mergeAll(SettlementRecordStorePostgres, DriverRepositoryPostgres, ProviderRepositoryPostgres, WalletPorts))
)

/** The payouts' own stores, policy and gateways with their real adapters. */
export const PayoutPorts = Layer.mergeAll(PayoutRepositoryPostgres, PayoutAccountRepositoryPostgres, PayoutPolicyFromConfig, PayoutGatewaysFromConfig)

/**
 * Payout runs and manual batches (issue 13) on the real adapters: the ledger and the outbox (the
 * payees' SMS), the providers and users they are told through. Needs Postgres (SqlClient) only; the
 * gateways are those PAYOUT variables configure (none: manual batches only).
 */
export const PayoutsLive = Payouts.layer.pipe(
  Layer.provide(Layer.mergeAll(PayoutPorts, ProviderRepositoryPostgres, UserRepositoryPostgres, WalletPorts, IdGeneratorUuidV7))
)

/**
 * The payees' payout numbers, confirmed by a code texted to them: the sign-in codes' store and
 * limits (Redis) and an SmsSender chosen by the app, besides Postgres.
 */
export const PayoutAccountsLive = PayoutAccounts.layer.pipe(
  Layer.provide(Layer.mergeAll(PayoutAccountRepositoryPostgres, PayoutPolicyFromConfig, AuthPorts, DriverRepositoryPostgres, ProviderRepositoryPostgres, UserRepositoryPostgres, WalletPorts, IdGeneratorUuidV7))
)
