import { Clock, Context, Effect, Layer } from "effect"
import { requireAdmin } from "../users/setUserRoles.ts"
import type { Viewer } from "./orderAccess.ts"
import { makeAdministerPromotions } from "./administerPromotions.ts"
import { makeChangeOrder } from "./changeOrder.ts"
import { DeliveryFeeRepository } from "./DeliveryFeeRepository.ts"
import type { DeliveryFeeSchedule } from "./DeliveryFeeSchedule.ts"
import { makeOrderActions } from "./orderActions.ts"
import { makePlaceOrder } from "./placeOrder.ts"
import { makeQuoteCart } from "./quoteCart.ts"
import { makeReadOrders } from "./readOrders.ts"
import { makeFollowOrders } from "./followOrders.ts"

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
      ...(yield* makeFollowOrders),
      ...actions,
      /** The state machine for the other contexts (payments, deliveries, the worker's timers). */
      change: yield* makeChangeOrder,
      promotions: yield* makeAdministerPromotions,
      deliveryFees: {
        current: (viewer: Viewer) => Effect.andThen(requireAdmin(viewer), fees.current),
        replace: (viewer: Viewer, schedule: DeliveryFeeSchedule) =>
          requireAdmin(viewer).pipe(
            Effect.andThen(Clock.currentTimeMillis),
            Effect.flatMap((now) => fees.replace(schedule, viewer.userId, new Date(now))),
            Effect.andThen(fees.current)
          )
      }
    }
  })
}) {
  static readonly layer = Layer.effect(Orders, Orders.make)
}
