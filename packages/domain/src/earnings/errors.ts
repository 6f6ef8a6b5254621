import { Schema } from "effect"

/** The earnings' store could not be reached or failed: nothing was written. */
export class EarningsUnavailable extends Schema.TaggedError<EarningsUnavailable>()("EarningsUnavailable", {
  cause: Schema.Defect()
}) {}

/**
 * A delivered order that cannot be settled as it stands, written nowhere: an inconsistency for an
 * admin to look at, not something a retry mends. no_driver: its delivery (or the delivery's driver)
 * is missing, though only the handover of a delivery delivers an order. escrow_short: the
 * provider's escrow holds less than the order's total.
 */
export class SettlementRefused extends Schema.TaggedError<SettlementRefused>()("SettlementRefused", {
  orderId: Schema.String,
  reason: Schema.Literals(["no_driver", "escrow_short"])
}) {}

/** A commission rate takes effect from now on at the earliest: an override never re-prices orders already placed. */
export class RateNotRetroactive extends Schema.TaggedError<RateNotRetroactive>()("RateNotRetroactive", {
  effectiveFrom: Schema.Date,
  now: Schema.Date
}) {}

/** The provider or driver a rate is set for does not exist. */
export class RatePartyNotFound extends Schema.TaggedError<RatePartyNotFound>()("RatePartyNotFound", {
  kind: Schema.Literals(["provider", "driver"])
}) {}

/**
 * An order an admin cannot refund: not_paid (nothing was paid: a cash order before its delivery, an
 * unpaid one), already_refunded (its cancellation gave its total back), not_delivered (paid, still
 * in progress: cancelling it refunds it in full; a partial refund then would be counted twice).
 */
export class OrderNotRefundable extends Schema.TaggedError<OrderNotRefundable>()("OrderNotRefundable", {
  reason: Schema.Literals(["not_paid", "already_refunded", "not_delivered"])
}) {}

/** A refund over what is left of the order's total once its earlier refunds are counted: `refundableXof` is that. */
export class RefundExceedsPaid extends Schema.TaggedError<RefundExceedsPaid>()("RefundExceedsPaid", {
  refundableXof: Schema.Number
}) {}
