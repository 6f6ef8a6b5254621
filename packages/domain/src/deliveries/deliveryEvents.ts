import { Schema } from "effect"
import { DeliveryStatus } from "./Delivery.ts"

/** What happened to a delivery: each is an event `delivery.<change>`. */
export const DeliveryChangeKind = Schema.Literals([
  /** A driver accepted an offer (or an admin assigned one). */
  "assigned",
  /** A driver declined an offer: dispatch moves on when none of the batch is left open. */
  "offer_rejected",
  /** The driver handed it back before pickup: dispatched again. */
  "released",
  /** Every radius tried, nobody took it: admins and the provider are told. */
  "unassigned",
  "picked_up",
  "delivering",
  "completed",
  "failed",
  /** Its order was cancelled: offers withdrawn, the driver told. */
  "cancelled",
  /** Too many wrong delivery codes: completion locked, an admin must step in. */
  "code_locked"
])
export type DeliveryChangeKind = typeof DeliveryChangeKind.Type

/** Payload of every `delivery.*` event: enough for a consumer to act without reading the delivery back. */
export const DeliveryChanged = Schema.Struct({
  deliveryId: Schema.String,
  orderId: Schema.String,
  orderReference: Schema.String,
  providerId: Schema.String,
  customerId: Schema.String,
  driverId: Schema.NullOr(Schema.String),
  change: DeliveryChangeKind,
  status: DeliveryStatus,
  reason: Schema.NullOr(Schema.String)
})
export type DeliveryChanged = typeof DeliveryChanged.Type
