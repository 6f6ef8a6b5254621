import { Effect, Layer, Option } from "effect"
import { DeliveriesUnavailable } from "@nelo/domain/deliveries/errors"
import type { Rating } from "@nelo/domain/deliveries/Rating"
import { RatingRepository, type RecordRatingOutcome } from "@nelo/domain/deliveries/RatingRepository"
import { isUuid } from "../postgres/isUuid.ts"
import { recordUndo } from "./memoryTransaction.ts"

/** What a uuid column holds for this text: lower case, or nothing for a malformed id. */
const uuidOf = (id: string) => isUuid(id) ? id.toLowerCase() : undefined

/**
 * Ratings in memory, for unit tests, behaving as the Postgres adapter does: one per order (the
 * primary key), ids in lower case, malformed ids never found (and refused in a rating). It knows
 * neither the orders nor the deliveries: those foreign keys are not checked here. Each record is
 * undone with its transaction.
 */
export const RatingRepositoryMemory = Layer.sync(RatingRepository, () => {
  const ratings = new Map<string, Rating>()
  return RatingRepository.of({
    record: (rating) =>
      Effect.suspend((): Effect.Effect<RecordRatingOutcome, DeliveriesUnavailable> => {
        const [key, deliveryId, customerId, driverId, providerId] = [rating.orderId, rating.deliveryId, rating.customerId, rating.driverId, rating.providerId].map(uuidOf)
        // What the uuid columns would refuse.
        if (key === undefined || deliveryId === undefined || customerId === undefined || driverId === undefined || providerId === undefined) {
          return Effect.fail(new DeliveriesUnavailable({ cause: new Error(`not a uuid among the ids of the rating of order ${rating.orderId}`) }))
        }
        const existing = ratings.get(key)
        if (existing !== undefined) return Effect.succeed({ _tag: "AlreadyRated", existing })
        const stored: Rating = { ...rating, orderId: key, deliveryId, customerId, driverId, providerId }
        ratings.set(key, stored)
        return Effect.as(recordUndo(() => ratings.delete(key)), { _tag: "Recorded", rating: stored })
      }),
    findByOrder: (orderId) =>
      Effect.sync(() => {
        const key = uuidOf(orderId)
        return Option.fromNullishOr(key === undefined ? undefined : ratings.get(key))
      })
  })
})
