import { Schema } from "effect"
import { Vehicle } from "./Vehicle.ts"

/** offline: not offered anything. online: offered deliveries while its position is fresh. */
export const DriverStatus = Schema.Literals(["offline", "online"])
export type DriverStatus = typeof DriverStatus.Type

/**
 * A driver: a user with the driver role, their vehicle and home zone. Their identity and licence
 * are KYC documents of the users context (approved by an admin before they may go online); their
 * live position is in LivePositions, not here.
 */
export const Driver = Schema.Struct({
  userId: Schema.String,
  vehicle: Vehicle,
  /** The registration plate, for a motorised vehicle (a bicycle has none). */
  plate: Schema.NullOr(Schema.String),
  zoneId: Schema.String,
  status: DriverStatus,
  statusChangedAt: Schema.Date,
  /** When they last handed an order over: the matching's fair share of work counts from it. */
  lastDeliveredAt: Schema.NullOr(Schema.Date),
  /** Ratings given by customers (1..5 each): their sum and count, for a Bayesian mean. */
  ratingSum: Schema.Number,
  ratingCount: Schema.Number,
  createdAt: Schema.Date
})
export type Driver = typeof Driver.Type
