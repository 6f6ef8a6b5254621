import { Layer } from "effect"
import { Orders } from "@nelo/domain/orders/Orders"
import { OrderTimers } from "@nelo/domain/orders/OrderTimers"
import { OrderDeadlinesBullmq } from "../bullmq/OrderDeadlinesBullmq.ts"
import { IdGeneratorUuidV7 } from "../ids/IdGeneratorUuidV7.ts"
import { OrderPolicyFromConfig } from "../orders/OrderPolicyFromConfig.ts"
import { PaymentGatewaysFromConfig } from "../payments/PaymentGatewaysFromConfig.ts"
import { DeliveryFeeRepositoryPostgres } from "../postgres/DeliveryFeeRepositoryPostgres.ts"
import { OrderRepositoryPostgres } from "../postgres/OrderRepositoryPostgres.ts"
import { PromotionRepositoryPostgres } from "../postgres/PromotionRepositoryPostgres.ts"
import { OrderFeedRedis } from "../redis/OrderFeedRedis.ts"
import { AddressRepositoryPostgres } from "../postgres/AddressRepositoryPostgres.ts"
import { UserRepositoryPostgres } from "../postgres/UserRepositoryPostgres.ts"
import { PinCheckPorts } from "./AuthLive.ts"
import { CataloguePorts } from "./CatalogueLive.ts"
import { WalletPorts } from "./WalletLive.ts"

/** The orders' own stores, live feed and policy with their real adapters. */
export const OrdersPorts = Layer.mergeAll(OrderRepositoryPostgres, PromotionRepositoryPostgres, DeliveryFeeRepositoryPostgres, OrderFeedRedis, OrderPolicyFromConfig)

/**
 * The orders context as the apps use it, on the real adapters: its stores, and what it reads or
 * writes elsewhere (the catalogue's menus and stock, addresses, the ledger and the outbox, the PIN
 * check). The same layer values as the other contexts', so each adapter is built once. Needs
 * Postgres (SqlClient), Redis (RedisClient) and the wallet's WrongPinObserver (WalletLive).
 */
export const OrdersLive = Orders.layer.pipe(
  Layer.provide(Layer.mergeAll(OrdersPorts, CataloguePorts, AddressRepositoryPostgres, WalletPorts, PinCheckPorts, PaymentGatewaysFromConfig))
)

/**
 * The orders' timers as the worker runs them: deadlines as BullMQ delayed jobs, enforced through
 * the same state machine. Needs Postgres (SqlClient) and Redis (RedisClient: the menu cache a
 * cancellation invalidates).
 */
export const OrderTimersLive = OrderTimers.layer.pipe(
  Layer.provide(Layer.mergeAll(OrdersPorts, OrderDeadlinesBullmq, CataloguePorts, WalletPorts, IdGeneratorUuidV7, UserRepositoryPostgres, PaymentGatewaysFromConfig))
)
