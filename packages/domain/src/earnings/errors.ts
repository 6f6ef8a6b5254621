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

/** The payee has a payout still open (sent and not final, or exported and not marked): one at a time. */
export class PayoutAlreadyOpen extends Schema.TaggedError<PayoutAlreadyOpen>()("PayoutAlreadyOpen", {
  payeeId: Schema.String
}) {}

/** No payout run or batch has this id. */
export class PayoutRunNotFound extends Schema.TaggedError<PayoutRunNotFound>()("PayoutRunNotFound", {}) {}

/** A manual batch's payouts are all closed already (marked paid or failed): nothing left to mark. */
export class PayoutBatchClosed extends Schema.TaggedError<PayoutBatchClosed>()("PayoutBatchClosed", {}) {}

/** A period whose start is after its end, or longer than allowed. */
export class PayoutPeriodInvalid extends Schema.TaggedError<PayoutPeriodInvalid>()("PayoutPeriodInvalid", {
  reason: Schema.Literals(["start_after_end", "too_long", "in_the_future"])
}) {}

/** No number is waiting for its code on this payout account: none was asked, or it was confirmed already (an expired code answers OtpExpired). */
export class PayoutNumberNotPending extends Schema.TaggedError<PayoutNumberNotPending>()("PayoutNumberNotPending", {}) {}

/** A manual batch of this period was recorded meanwhile (two exports at once): the period keeps the first. */
export class PayoutBatchExists extends Schema.TaggedError<PayoutBatchExists>()("PayoutBatchExists", {}) {}
