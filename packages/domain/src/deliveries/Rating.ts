import { Schema } from "effect"

/** Stars given: a whole number from 1 to 5. */
export const Stars = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 5 })))
export type Stars = typeof Stars.Type

/**
 * A customer's rating of a delivered order: the driver who carried it and the provider who made it,
 * each 1..5, with an optional comment. One per order, given within DispatchPolicy.ratingWindowMs of
 * the delivery; its stars are added to the driver's (the matching's rating factor) and to the
 * provider's (its public rating) as it is recorded.
 */
export const Rating = Schema.Struct({
  orderId: Schema.String,
  deliveryId: Schema.String,
  customerId: Schema.String,
  driverId: Schema.String,
  providerId: Schema.String,
  driverStars: Stars,
  providerStars: Stars,
  comment: Schema.NullOr(Schema.String),
  createdAt: Schema.Date
})
export type Rating = typeof Rating.Type

/** A mean of stars as people read it: one decimal, null before the first rating. */
export const averageStars = (sum: number, count: number): number | null =>
  count <= 0 ? null : Math.round((sum / count) * 10) / 10
