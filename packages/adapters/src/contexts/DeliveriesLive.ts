import { Layer } from "effect"
import { Deliveries } from "@nelo/domain/deliveries/Deliveries"
import { Dispatch } from "@nelo/domain/deliveries/Dispatch"
import { Drivers } from "@nelo/domain/deliveries/Drivers"
import { Ratings } from "@nelo/domain/deliveries/Ratings"
import { DispatchTimersBullmq } from "../bullmq/DispatchTimersBullmq.ts"
import { DispatchPolicyFromConfig } from "../deliveries/DispatchPolicyFromConfig.ts"
import { DriverPolicyFromConfig } from "../deliveries/DriverPolicyFromConfig.ts"
import { IdGeneratorUuidV7 } from "../ids/IdGeneratorUuidV7.ts"
import { PaymentGatewaysFromConfig } from "../payments/PaymentGatewaysFromConfig.ts"
import { DeliveryRepositoryPostgres } from "../postgres/DeliveryRepositoryPostgres.ts"
import { DriverRepositoryPostgres } from "../postgres/DriverRepositoryPostgres.ts"
import { RatingRepositoryPostgres } from "../postgres/RatingRepositoryPostgres.ts"
import { KycRepositoryPostgres } from "../postgres/KycRepositoryPostgres.ts"
import { UserRepositoryPostgres } from "../postgres/UserRepositoryPostgres.ts"
import { ZoneRepositoryPostgres } from "../postgres/ZoneRepositoryPostgres.ts"
import { LivePositionsRedis } from "../redis/LivePositionsRedis.ts"
import { DriverFeedRedis } from "../redis/DriverFeedRedis.ts"
import { CataloguePorts } from "./CatalogueLive.ts"
import { OrdersPorts } from "./OrdersLive.ts"
import { WalletPorts } from "./WalletLive.ts"

/** The deliveries' own stores, timers and policies with their real adapters. */
export const DeliveriesPorts = Layer.mergeAll(DriverRepositoryPostgres, DeliveryRepositoryPostgres, RatingRepositoryPostgres, LivePositionsRedis, DriverFeedRedis, DispatchTimersBullmq, DriverPolicyFromConfig, DispatchPolicyFromConfig)

/**
 * The deliveries context as the apps use it, on the real adapters: the drivers, dispatch and the
 * drivers' steps, with what they read or write elsewhere (zones, users and their roles, KYC
 * reviews, the orders they move through the state machine, the ledger for cash collected, the
 * outbox). The same layer values as the other contexts', so each adapter is built once. Needs
 * Postgres (SqlClient) and Redis (RedisClient).
 */
export const DeliveriesLive = Layer.mergeAll(Drivers.layer, Deliveries.layer, Dispatch.layer, Ratings.layer).pipe(
  Layer.provide(Layer.mergeAll(
    DeliveriesPorts,
    OrdersPorts,
    CataloguePorts,
    WalletPorts,
    PaymentGatewaysFromConfig,
    ZoneRepositoryPostgres,
    UserRepositoryPostgres,
    KycRepositoryPostgres,
    IdGeneratorUuidV7
  ))
)
