import { Schema } from "effect"

/**
 * open: waiting for the driver's answer until `expiresAt`. accepted: he got the delivery.
 * rejected: he declined. expired: he let it time out. withdrawn: another driver accepted first, or
 * the order was cancelled (not held against him). released: he accepted, then handed the delivery
 * back before pickup (held against him).
 */
export const OfferStatus = Schema.Literals(["open", "accepted", "rejected", "expired", "withdrawn", "released"])
export type OfferStatus = typeof OfferStatus.Type

/** The factors that made the driver's score, kept with the offer for admins asking why him. */
export const OfferFactors = Schema.Struct({
  proximity: Schema.Number,
  availability: Schema.Number,
  rating: Schema.Number,
  vehicle: Schema.Number,
  history: Schema.Number
})

/** An offer of one delivery to one driver, part of a batch sent at once to the best few. */
export const Offer = Schema.Struct({
  id: Schema.String,
  deliveryId: Schema.String,
  driverId: Schema.String,
  /** The batch it was sent in (1, 2, ...): its timer. */
  batch: Schema.Int,
  status: OfferStatus,
  /** The driver's own words when declining, if any. */
  rejectReason: Schema.NullOr(Schema.String),
  /** From the driver's position to the pickup when it was sent. */
  distanceToPickupM: Schema.Int,
  score: Schema.Number,
  factors: OfferFactors,
  createdAt: Schema.Date,
  expiresAt: Schema.Date,
  answeredAt: Schema.NullOr(Schema.Date)
})
export type Offer = typeof Offer.Type
