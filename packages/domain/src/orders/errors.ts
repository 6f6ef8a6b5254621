import { Schema } from "effect"
import { CartProblem } from "./CartProblem.ts"
import { OrderStatus } from "./Order.ts"

/** The orders' store could not be reached or failed: nothing was written. */
export class OrdersUnavailable extends Schema.TaggedError<OrdersUnavailable>()("OrdersUnavailable", {
  cause: Schema.Defect()
}) {}

/** No such order for this person: another customer's, or another provider's, is not found either. */
export class OrderNotFound extends Schema.TaggedError<OrderNotFound>()("OrderNotFound", {}) {}

/** The cart cannot be ordered as it is: every reason, each naming its line. */
export class CartRefused extends Schema.TaggedError<CartRefused>()("CartRefused", {
  problems: Schema.Array(CartProblem)
}) {}

/** What was asked of an order does not follow from its status (confirming a delivered order). */
export class OrderTransitionRefused extends Schema.TaggedError<OrderTransitionRefused>()("OrderTransitionRefused", {
  action: Schema.String,
  status: OrderStatus
}) {}

/** This party may not do this to an order at all (a customer confirming it). */
export class OrderActionForbidden extends Schema.TaggedError<OrderActionForbidden>()("OrderActionForbidden", {
  action: Schema.String
}) {}

/** Too late to cancel for this party: the order is past the point the policy allows. */
export class OrderNotCancellable extends Schema.TaggedError<OrderNotCancellable>()("OrderNotCancellable", {
  status: OrderStatus
}) {}

/**
 * The payment cannot go back the way it came: the order was not paid through a gateway, or through
 * one whose API makes no refunds (CinetPay). The wallet is the way back then.
 */
export class RefundToOriginalUnavailable extends Schema.TaggedError<RefundToOriginalUnavailable>()("RefundToOriginalUnavailable", {
  gateway: Schema.NullOr(Schema.String)
}) {}

/** A gateway order is confirmed by its provider only once the payment arrived. */
export class OrderAwaitingPayment extends Schema.TaggedError<OrderAwaitingPayment>()("OrderAwaitingPayment", {}) {}

export class PreparationMinutesInvalid extends Schema.TaggedError<PreparationMinutesInvalid>()("PreparationMinutesInvalid", {
  maximum: Schema.Int
}) {}

/** The same idempotency key was sent with another cart: the first order stands. */
export class OrderKeyReused extends Schema.TaggedError<OrderKeyReused>()("OrderKeyReused", {
  reference: Schema.String
}) {}

/** A wallet order without its PIN. */
export class PinRequired extends Schema.TaggedError<PinRequired>()("PinRequired", {}) {}

/** Only the provider's owner (or an admin) sees and handles its orders. */
export class ProviderNotFoundForOrders extends Schema.TaggedError<ProviderNotFoundForOrders>()("ProviderNotFoundForOrders", {}) {}

export class PromotionNotFound extends Schema.TaggedError<PromotionNotFound>()("PromotionNotFound", {}) {}

export class PromotionCodeTaken extends Schema.TaggedError<PromotionCodeTaken>()("PromotionCodeTaken", {
  code: Schema.String
}) {}

/** A promotion's terms that contradict each other (it ends before it starts). */
export class PromotionTermsInvalid extends Schema.TaggedError<PromotionTermsInvalid>()("PromotionTermsInvalid", {
  reason: Schema.Literals(["ends_before_start", "provider_not_found", "maximum_uses_below_used", "budget_below_spent"])
}) {}

export class OrderCursorInvalid extends Schema.TaggedError<OrderCursorInvalid>()("OrderCursorInvalid", {}) {}
