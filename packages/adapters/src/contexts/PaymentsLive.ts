import { Layer } from "effect"
import { Payments } from "@nelo/domain/payments/Payments"
import { IdGeneratorUuidV7 } from "../ids/IdGeneratorUuidV7.ts"
import { PaymentGatewaysFromConfig } from "../payments/PaymentGatewaysFromConfig.ts"
import { UserRepositoryPostgres } from "../postgres/UserRepositoryPostgres.ts"
import { CataloguePorts } from "./CatalogueLive.ts"
import { OrdersPorts } from "./OrdersLive.ts"
import { WalletPorts } from "./WalletLive.ts"

/**
 * The payments context (top-ups, orders' checkouts, webhooks, re-checks) on the real adapters: a
 * confirmed order payment moves the order on, so the orders' stores come too. Needs Postgres and
 * Redis (the menu cache an order's change may invalidate).
 */
export const PaymentsLive = Payments.layer.pipe(
  Layer.provide([WalletPorts, PaymentGatewaysFromConfig, OrdersPorts, CataloguePorts]),
  Layer.provide([UserRepositoryPostgres, IdGeneratorUuidV7])
)
