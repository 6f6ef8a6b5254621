import { Layer } from "effect"
import { Earnings } from "@nelo/domain/earnings/Earnings"
import { EarningsPolicyFromConfig } from "../earnings/EarningsPolicyFromConfig.ts"
import { IdGeneratorUuidV7 } from "../ids/IdGeneratorUuidV7.ts"
import { CommissionRateRepositoryPostgres } from "../postgres/CommissionRateRepositoryPostgres.ts"
import { DeliveryRepositoryPostgres } from "../postgres/DeliveryRepositoryPostgres.ts"
import { DriverRepositoryPostgres } from "../postgres/DriverRepositoryPostgres.ts"
import { OrderRepositoryPostgres } from "../postgres/OrderRepositoryPostgres.ts"
import { ProviderRepositoryPostgres } from "../postgres/ProviderRepositoryPostgres.ts"
import { UserRepositoryPostgres } from "../postgres/UserRepositoryPostgres.ts"
import { WalletPorts } from "./WalletLive.ts"

/** The earnings' own store and policy with their real adapters. */
export const EarningsPorts = Layer.mergeAll(CommissionRateRepositoryPostgres, EarningsPolicyFromConfig)

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
