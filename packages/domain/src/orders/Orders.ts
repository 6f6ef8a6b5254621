import { Clock, Context, Effect, Layer } from "effect"
import type { UserId } from "../users/User.ts"
import { makeAdministerPromotions } from "./administerPromotions.ts"
import { makeChangeOrder } from "./changeOrder.ts"
import { DeliveryFeeRepository } from "./DeliveryFeeRepository.ts"
import type { DeliveryFeeSchedule } from "./DeliveryFeeSchedule.ts"
import { makeOrderActions } from "./orderActions.ts"
import { makePlaceOrder } from "./placeOrder.ts"
import { makeQuoteCart } from "./quoteCart.ts"
import { makeReadOrders } from "./readOrders.ts"

/**
 * The orders' use cases, built once with their ports (orders, promotions, fees, the catalogue, the
 * ledger, the outbox): what the apps call. Each one is in the file named after it.
 */
export class Orders extends Context.Service<Orders>()("nelo/orders/Orders", {
  make: Effect.gen(function*() {
    const fees = yield* DeliveryFeeRepository
    const read = yield* makeReadOrders
    const actions = yield* makeOrderActions
    return {
      quote: yield* makeQuoteCart,
      place: yield* makePlaceOrder,
      ...read,
      ...actions,
      /** The state machine for the other contexts (payments, deliveries, the worker's timers). */
      change: yield* makeChangeOrder,
      promotions: yield* makeAdministerPromotions,
      deliveryFees: {
        current: fees.current,
        replace: (adminId: UserId, schedule: DeliveryFeeSchedule) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) => fees.replace(schedule, adminId, new Date(now)))
      }
    }
  })
}) {
  static readonly layer = Layer.effect(Orders, Orders.make)
}
