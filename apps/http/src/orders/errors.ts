import { Schema } from "effect"
import {
  CartRefused,
  OrderActionForbidden,
  OrderAwaitingPayment,
  OrderCursorInvalid,
  OrderKeyReused,
  OrderNotCancellable,
  OrderNotFound,
  OrderTransitionRefused,
  PinRequired,
  PreparationMinutesInvalid,
  PromotionCodeTaken,
  PromotionNotFound,
  PromotionTermsInvalid,
  ProviderNotFoundForOrders,
  RefundToOriginalUnavailable
} from "@nelo/domain/orders/errors"
import { ordersMessages } from "@nelo/domain/orders/messages"
import { OrderNotRefundable, RefundExceedsPaid } from "@nelo/domain/earnings/errors"
import { earningsMessages } from "@nelo/domain/earnings/messages"
import { OrderFeedUnavailable } from "@nelo/domain/orders/OrderFeed"
import { OrderStatus } from "@nelo/domain/orders/Order"
import { IntBetween, Text } from "../shared/bounded.ts"
import { problem } from "../shared/problem.ts"
import { FieldProblem } from "../shared/problems.ts"
import { cartProblemFromView, CartProblemView, cartProblemView } from "./views.ts"

// The orders' errors as the API answers them: status, stable code, French message.

export const OrderNotFoundProblem = problem(OrderNotFound, { status: 404, codes: ["order_not_found"], message: ordersMessages.OrderNotFound })

/** The payment cannot go back the way it came (not paid through Wave): the wallet is the way back. */
export const RefundToOriginalUnavailableProblem = problem(RefundToOriginalUnavailable, {
  status: 409,
  codes: ["refund_to_original_unavailable"],
  members: { gateway: Schema.NullOr(Text(20)) },
  message: ordersMessages.RefundToOriginalUnavailable
})

/** The live streams cannot be followed now: the app polls the tracking meanwhile. */
export const LiveUpdatesUnavailableProblem = problem(OrderFeedUnavailable, {
  status: 503,
  codes: ["live_updates_unavailable"],
  message: ordersMessages.OrderFeedUnavailable,
  logAs: "live feed unavailable",
  fromBody: () => new OrderFeedUnavailable({ cause: "reported by the server" })
})

/** Every reason at once, each with its code and line: the app fixes the cart in one go. */
export const CartRefusedProblem = problem(CartRefused, {
  status: 422,
  codes: ["cart_refused"],
  members: { problems: Schema.Array(CartProblemView).pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(100))) },
  toMembers: (error) => ({ problems: error.problems.map(cartProblemView) }),
  fromBody: (body) => new CartRefused({ problems: body.problems.map(cartProblemFromView) }),
  message: ordersMessages.CartRefused
})

// `status` is the problem's HTTP status (RFC 9457): the order's own is `orderStatus`.
export const OrderTransitionRefusedProblem = problem(OrderTransitionRefused, {
  status: 409,
  codes: ["order_transition_refused"],
  members: { action: Text(40), orderStatus: OrderStatus },
  toMembers: (error) => ({ action: error.action, orderStatus: error.status }),
  fromBody: (body) => new OrderTransitionRefused({ action: body.action, status: body.orderStatus }),
  message: ordersMessages.OrderTransitionRefused
})

export const OrderActionForbiddenProblem = problem(OrderActionForbidden, {
  status: 403,
  codes: ["order_action_forbidden"],
  members: { action: Text(40) },
  message: ordersMessages.OrderActionForbidden
})

export const OrderNotCancellableProblem = problem(OrderNotCancellable, {
  status: 409,
  codes: ["order_not_cancellable"],
  members: { orderStatus: OrderStatus },
  toMembers: (error) => ({ orderStatus: error.status }),
  fromBody: (body) => new OrderNotCancellable({ status: body.orderStatus }),
  message: ordersMessages.OrderNotCancellable
})

export const OrderAwaitingPaymentProblem = problem(OrderAwaitingPayment, { status: 409, codes: ["order_awaiting_payment"], message: ordersMessages.OrderAwaitingPayment })

export const PreparationMinutesInvalidProblem = problem(PreparationMinutesInvalid, {
  status: 422,
  codes: ["preparation_minutes_invalid"],
  members: { maximum: IntBetween(1, 1440) },
  message: ordersMessages.PreparationMinutesInvalid
})

export const OrderKeyReusedProblem = problem(OrderKeyReused, {
  status: 409,
  codes: ["idempotency_key_reused"],
  members: { reference: Text(16) },
  message: ordersMessages.OrderKeyReused
})

export const PinRequiredProblem = problem(PinRequired, { status: 422, codes: ["pin_required"], message: ordersMessages.PinRequired })

export const ProviderNotFoundForOrdersProblem = problem(ProviderNotFoundForOrders, { status: 404, codes: ["provider_not_found"], message: ordersMessages.ProviderNotFoundForOrders })

export const PromotionNotFoundProblem = problem(PromotionNotFound, { status: 404, codes: ["promotion_not_found"], message: ordersMessages.PromotionNotFound })

export const PromotionCodeTakenProblem = problem(PromotionCodeTaken, {
  status: 409,
  codes: ["promotion_code_taken"],
  members: { code: Text(40) },
  message: ordersMessages.PromotionCodeTaken
})

const termsCodes = {
  ends_before_start: "promotion_ends_before_start",
  provider_not_found: "promotion_provider_not_found",
  maximum_uses_below_used: "promotion_maximum_uses_below_used",
  budget_below_spent: "promotion_budget_below_spent"
} as const

export const PromotionTermsInvalidProblem = problem(PromotionTermsInvalid, {
  status: 422,
  codes: ["promotion_ends_before_start", "promotion_provider_not_found", "promotion_maximum_uses_below_used", "promotion_budget_below_spent"],
  code: (error) => termsCodes[error.reason],
  message: ordersMessages.PromotionTermsInvalid,
  fromBody: (body) => new PromotionTermsInvalid({ reason: (Object.keys(termsCodes) as Array<keyof typeof termsCodes>).find((reason) => termsCodes[reason] === body.code)! })
})

/** A cursor this API did not give out: a 400 naming the parameter, so the app starts again from the top. */
export const OrderCursorInvalidProblem = problem(OrderCursorInvalid, {
  status: 400,
  codes: ["invalid_request"],
  members: { errors: Schema.Array(FieldProblem).pipe(Schema.check(Schema.isMaxLength(1))) },
  toMembers: (error) => ({ errors: [{ path: ["query", "cursor"], message: ordersMessages.OrderCursorInvalid(error) }] }),
  message: ordersMessages.OrderCursorInvalid,
  fromBody: () => new OrderCursorInvalid()
})

/** An admin refund of an order that has nothing to refund, or is not delivered yet (cancel it instead). */
export const OrderNotRefundableProblem = problem(OrderNotRefundable, {
  status: 409,
  codes: ["order_not_refundable"],
  members: { reason: OrderNotRefundable.fields.reason },
  message: earningsMessages.OrderNotRefundable
})

/** An admin refund over what is left of the order's total: `refundableXof` is that. */
export const RefundExceedsPaidProblem = problem(RefundExceedsPaid, {
  status: 409,
  codes: ["refund_exceeds_paid"],
  members: { refundableXof: IntBetween(0, Number.MAX_SAFE_INTEGER) },
  message: earningsMessages.RefundExceedsPaid
})
