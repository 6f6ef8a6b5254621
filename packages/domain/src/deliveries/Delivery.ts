import { Schema } from "effect"
import { Xof } from "../shared/Xof.ts"

/**
 * Where a delivery stands. searching: offers are out, or about to go (dispatch has not found its
 * driver yet). unassigned: every radius was tried without a driver accepting; admins and the
 * provider were told, and dispatch tries again every minute for a while. assigned: a driver
 * accepted; picked_up and delivering follow the order's own steps; delivered, failed and
 * cancelled (the order was) are final.
 */
export const DeliveryStatus = Schema.Literals(["searching", "unassigned", "assigned", "picked_up", "delivering", "delivered", "failed", "cancelled"])
export type DeliveryStatus = typeof DeliveryStatus.Type

/** A delivery a driver holds: he may hold one at a time. */
export const activeDeliveryStatuses: ReadonlyArray<DeliveryStatus> = ["assigned", "picked_up", "delivering"]

/** Deliveries dispatch still works on. */
export const dispatchingStatuses: ReadonlyArray<DeliveryStatus> = ["searching", "unassigned"]

export const finalDeliveryStatuses: ReadonlyArray<DeliveryStatus> = ["delivered", "failed", "cancelled"]

/** Why a driver could not hand an order over (`fail`): the order ends `failed` with it. */
export const FailureReason = Schema.Literals([
  "customer_absent",
  "customer_unreachable",
  "address_not_found",
  "refused",
  "order_damaged",
  "vehicle_problem",
  "unsafe",
  "other"
])
export type FailureReason = typeof FailureReason.Type

export const DeliveryFailure = Schema.Struct({
  reason: FailureReason,
  note: Schema.NullOr(Schema.String)
})
export type DeliveryFailure = typeof DeliveryFailure.Type

/**
 * Dispatch's progress through one search: which radius step it is at, how many batches of offers it
 * sent at that radius, and since when this round runs (drivers offered this delivery since then are
 * not offered it again in the round; a retry of an unassigned delivery starts a new round).
 */
export const DispatchProgress = Schema.Struct({
  radiusIndex: Schema.Int,
  batchesInRadius: Schema.Int,
  /** Batches sent for this delivery, all rounds together: numbers each batch (its timer's key). */
  batchCount: Schema.Int,
  roundStartedAt: Schema.NullOr(Schema.Date)
})
export type DispatchProgress = typeof DispatchProgress.Type

/**
 * The delivery of one order: the dispatch that finds it a driver, then the driver's steps to the
 * door. The order stays the source of what is carried, from where, to where and for how much; the
 * delivery keeps who carries it and how the handover went.
 */
export const Delivery = Schema.Struct({
  id: Schema.String,
  orderId: Schema.String,
  providerId: Schema.String,
  customerId: Schema.String,
  status: DeliveryStatus,
  driverId: Schema.NullOr(Schema.String),
  /** Offers go out no earlier: about when the food will be ready, less the ride to the pickup. */
  dispatchAt: Schema.Date,
  progress: DispatchProgress,
  /** When it first became unassigned (kept across retries): dispatch gives up some time after. */
  unassignedSince: Schema.NullOr(Schema.Date),
  /** When an unassigned delivery is tried again. */
  nextRetryAt: Schema.NullOr(Schema.Date),
  /** Wrong delivery codes typed by the driver; at the limit completion is locked and an admin called. */
  wrongCodeAttempts: Schema.Int,
  completionLockedAt: Schema.NullOr(Schema.Date),
  /** A cash order: what the driver collected at the door (the total). */
  cashCollectedXof: Schema.NullOr(Xof),
  failure: Schema.NullOr(DeliveryFailure),
  assignedAt: Schema.NullOr(Schema.Date),
  pickedUpAt: Schema.NullOr(Schema.Date),
  deliveredAt: Schema.NullOr(Schema.Date),
  createdAt: Schema.Date,
  updatedAt: Schema.Date
})
export type Delivery = typeof Delivery.Type
