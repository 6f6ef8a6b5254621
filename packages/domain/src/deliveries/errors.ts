import { Schema } from "effect"
import { KycStatus } from "../users/Kyc.ts"

/** The drivers' store (Postgres) or the live positions (Redis) could not be reached: nothing was changed. */
export class DeliveriesUnavailable extends Schema.TaggedError<DeliveriesUnavailable>()("DeliveriesUnavailable", {
  cause: Schema.Defect()
}) {}

/** The caller is not a driver (yet): they register first. */
export class DriverNotRegistered extends Schema.TaggedError<DriverNotRegistered>()("DriverNotRegistered", {}) {}

/** Registered already: a second registration changes nothing. */
export class DriverAlreadyRegistered extends Schema.TaggedError<DriverAlreadyRegistered>()("DriverAlreadyRegistered", {}) {}

/** The home zone named does not exist. */
export class DriverZoneNotFound extends Schema.TaggedError<DriverZoneNotFound>()("DriverZoneNotFound", {}) {}

/**
 * Why a driver may not go online now: each reason says what to do. cash_cap_reached: the cash he
 * holds for NELO reached the cap; he hands it in first.
 */
export class CannotGoOnline extends Schema.TaggedError<CannotGoOnline>()("CannotGoOnline", {
  reason: Schema.Literals(["kyc_not_approved", "location_stale", "cash_cap_reached"]),
  kycStatus: Schema.optionalKey(KycStatus),
  cashHeldXof: Schema.optionalKey(Schema.Number),
  capXof: Schema.optionalKey(Schema.Number)
}) {}

/** No such offer for this driver: another driver's is not found either. */
export class OfferNotFound extends Schema.TaggedError<OfferNotFound>()("OfferNotFound", {}) {}

/** The offer cannot be answered any more: it timed out, was withdrawn (someone else was faster), or was answered. */
export class OfferClosed extends Schema.TaggedError<OfferClosed>()("OfferClosed", {
  status: Schema.Literals(["accepted", "rejected", "expired", "withdrawn", "released"])
}) {}

/** The driver holds a delivery already: one at a time. */
export class DriverBusy extends Schema.TaggedError<DriverBusy>()("DriverBusy", {
  deliveryId: Schema.String
}) {}

/** No such delivery for this person (another driver's is not found either). */
export class DeliveryNotFound extends Schema.TaggedError<DeliveryNotFound>()("DeliveryNotFound", {}) {}

/** What was asked does not follow from where the delivery stands (completing one not yet picked up). */
export class DeliveryStepRefused extends Schema.TaggedError<DeliveryStepRefused>()("DeliveryStepRefused", {
  action: Schema.String,
  status: Schema.String
}) {}

/** The delivery code typed is not the customer's. */
export class DeliveryCodeWrong extends Schema.TaggedError<DeliveryCodeWrong>()("DeliveryCodeWrong", {
  attemptsLeft: Schema.Int
}) {}

/** Too many wrong codes: completion is locked until an admin steps in. */
export class DeliveryCompletionLocked extends Schema.TaggedError<DeliveryCompletionLocked>()("DeliveryCompletionLocked", {}) {}

/** A cash order is completed with the cash collected, which must be the order's total. */
export class CashCollectedMismatch extends Schema.TaggedError<CashCollectedMismatch>()("CashCollectedMismatch", {
  expectedXof: Schema.Number,
  /** Cash named for an order paid in advance: nothing is to be collected. */
  notCash: Schema.Boolean
}) {}

/** An admin's assignment to a driver who may not take it now, and why. */
export class DriverNotAssignable extends Schema.TaggedError<DriverNotAssignable>()("DriverNotAssignable", {
  reason: Schema.Literals(["not_registered", "offline", "location_stale", "on_delivery", "kyc_not_approved", "vehicle_unfit", "cash_cap_exceeded"])
}) {}

/** The order cannot be rated (yet): only a delivered order, handed over by a driver, is. */
export class RatingNotOpen extends Schema.TaggedError<RatingNotOpen>()("RatingNotOpen", {}) {}

/** Too late: an order is rated within `windowDays` of its delivery. */
export class RatingWindowClosed extends Schema.TaggedError<RatingWindowClosed>()("RatingWindowClosed", {
  windowDays: Schema.Number
}) {}

/** The order was rated already: a rating is given once. */
export class AlreadyRated extends Schema.TaggedError<AlreadyRated>()("AlreadyRated", {}) {}

/** The order has no rating (yet). */
export class RatingNotFound extends Schema.TaggedError<RatingNotFound>()("RatingNotFound", {}) {}
