import { Context, Effect, Layer, Option } from "effect"
import { ProviderRepository } from "../catalogue/ProviderRepository.ts"
import { OrderNotFound } from "../orders/errors.ts"
import { OrderRepository } from "../orders/OrderRepository.ts"
import { currentDate } from "../shared/currentDate.ts"
import { Transactional } from "../shared/Transactional.ts"
import { DeliveryRepository } from "./DeliveryRepository.ts"
import { DispatchPolicy } from "./DispatchPolicy.ts"
import { DriverRepository } from "./DriverRepository.ts"
import { AlreadyRated, RatingNotFound, RatingNotOpen, RatingWindowClosed } from "./errors.ts"
import type { Rating } from "./Rating.ts"
import { RatingRepository } from "./RatingRepository.ts"

/** What the customer gives: stars for the driver and for the provider (1..5, decoded by the caller), and a comment. */
export interface RatingInput {
  readonly driverStars: number
  readonly providerStars: number
  readonly comment: string | null
}

const dayMs = 24 * 3_600_000

/**
 * Customers rate their delivered orders: the driver who carried it (his stars feed the matching's
 * rating factor) and the provider who made it (its public rating). Once per order, within
 * DispatchPolicy.ratingWindowMs of the handover. Another customer's order is not found (404, its
 * existence is not told).
 */
export class Ratings extends Context.Service<Ratings>()("nelo/deliveries/Ratings", {
  make: Effect.gen(function*() {
    const orders = yield* OrderRepository
    const deliveries = yield* DeliveryRepository
    const ratings = yield* RatingRepository
    const drivers = yield* DriverRepository
    const providers = yield* ProviderRepository
    const transactional = yield* Transactional
    const policy = yield* DispatchPolicy

    /** The customer's own order; anyone else's is not found. */
    const ownOrder = (customerId: string, orderId: string) =>
      Effect.flatMap(orders.findById(orderId), (found) =>
        Option.isSome(found) && found.value.customerId === customerId ? Effect.succeed(found.value) : Effect.fail(new OrderNotFound()))

    const windowDays = Math.max(1, Math.round(policy.ratingWindowMs / dayMs))

    return {
      /**
       * Records the customer's rating of the order and adds its stars to the driver's and the
       * provider's, all in one transaction. Refused: not the caller's order (OrderNotFound), not
       * delivered by a driver (RatingNotOpen), delivered longer ago than the window
       * (RatingWindowClosed), rated already (AlreadyRated, also for the second of two sent at once:
       * the store's one rating per order decides).
       */
      rate: Effect.fn("Ratings.rate")(function*(customerId: string, orderId: string, input: RatingInput) {
        return yield* transactional.run(Effect.gen(function*() {
          const order = yield* ownOrder(customerId, orderId)
          if (order.status !== "delivered") return yield* new RatingNotOpen()
          const found = yield* deliveries.findByOrder(order.id)
          if (Option.isNone(found)) return yield* new RatingNotOpen()
          const delivery = found.value
          if (delivery.status !== "delivered" || delivery.driverId === null || delivery.deliveredAt === null) return yield* new RatingNotOpen()
          // Rated already says more than a closed window to whoever tries again later.
          if (Option.isSome(yield* ratings.findByOrder(order.id))) return yield* new AlreadyRated()
          const at = yield* currentDate
          if (at.getTime() - delivery.deliveredAt.getTime() > policy.ratingWindowMs) return yield* new RatingWindowClosed({ windowDays })
          const rating: Rating = {
            orderId: order.id,
            deliveryId: delivery.id,
            customerId: order.customerId,
            driverId: delivery.driverId,
            providerId: order.providerId,
            driverStars: input.driverStars,
            providerStars: input.providerStars,
            comment: input.comment,
            createdAt: at
          }
          const recorded = yield* ratings.record(rating)
          if (recorded._tag === "AlreadyRated") return yield* new AlreadyRated()
          yield* drivers.addRating(delivery.driverId, input.driverStars)
          yield* providers.addRating(order.providerId, input.providerStars)
          return recorded.rating
        }))
      }),

      /** The customer's rating of their order, as given. */
      ratingOf: Effect.fn("Ratings.ratingOf")(function*(customerId: string, orderId: string) {
        const order = yield* ownOrder(customerId, orderId)
        const found = yield* ratings.findByOrder(order.id)
        if (Option.isNone(found)) return yield* new RatingNotFound()
        return found.value
      })
    }
  })
}) {
  static readonly layer = Layer.effect(Ratings, Ratings.make)
}
