import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Option, Schema } from "effect"
import { DeliveriesUnavailable } from "@nelo/domain/deliveries/errors"
import { Rating } from "@nelo/domain/deliveries/Rating"
import { RatingRepository, type RecordRatingOutcome } from "@nelo/domain/deliveries/RatingRepository"
import { isUuid } from "./isUuid.ts"

const columns = `order_id, delivery_id, customer_id, driver_id, provider_id, driver_stars, provider_stars, comment, created_at`

const unavailable = (cause: unknown) => new DeliveriesUnavailable({ cause })
const orUnavailable = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, DeliveriesUnavailable, R> =>
  Effect.mapError(effect, (failure) => failure instanceof DeliveriesUnavailable ? failure : unavailable(failure))

// A row the model refuses is a store that cannot be read as it stands.
const firstRating = (rows: ReadonlyArray<unknown>) =>
  Schema.decodeUnknownEffect(Schema.Array(Rating))(rows.slice(0, 1)).pipe(Effect.map((ratings) => Option.fromNullishOr(ratings[0])), Effect.mapError(unavailable))

export const RatingRepositoryPostgres = Layer.effect(RatingRepository, Effect.gen(function*() {
  const sql = yield* PgClient.PgClient
  const cols = sql.literal(columns)

  const findByOrder = (orderId: string) =>
    !isUuid(orderId) ? Effect.succeed(Option.none<Rating>()) : sql`
      SELECT ${cols} FROM deliveries.ratings WHERE order_id = ${orderId}`.pipe(Effect.flatMap(firstRating), orUnavailable)

  return RatingRepository.of({
    record: (rating) =>
      Effect.gen(function*() {
        // A concurrent uncommitted rating of the order is waited for: committed, it is found below
        // (AlreadyRated); rolled back, this one is inserted.
        const inserted = yield* sql`
          INSERT INTO deliveries.ratings ${sql.insert({
            orderId: rating.orderId,
            deliveryId: rating.deliveryId,
            customerId: rating.customerId,
            driverId: rating.driverId,
            providerId: rating.providerId,
            driverStars: rating.driverStars,
            providerStars: rating.providerStars,
            comment: rating.comment,
            createdAt: rating.createdAt
          })} ON CONFLICT (order_id) DO NOTHING RETURNING ${cols}`
        const recorded = yield* firstRating(inserted)
        if (Option.isSome(recorded)) return { _tag: "Recorded", rating: recorded.value } satisfies RecordRatingOutcome
        const existing = yield* findByOrder(rating.orderId)
        if (Option.isNone(existing)) return yield* Effect.fail(unavailable(new Error(`rating of order ${rating.orderId} neither inserted nor found`)))
        return { _tag: "AlreadyRated", existing: existing.value } satisfies RecordRatingOutcome
      }).pipe(orUnavailable),

    findByOrder
  })
}))
