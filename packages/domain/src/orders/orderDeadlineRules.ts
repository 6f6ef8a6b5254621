import type { Order } from "./Order.ts"
import type { OrderChanged } from "./orderEvents.ts"
import type { Deadline, DeadlineKind } from "./OrderDeadlines.ts"
import type { OrderPolicyNumbers } from "./OrderPolicy.ts"
import type { Responsible } from "./orderStateMachine.ts"

/**
 * The deadline an order's change starts: a new order that can be confirmed (paid, or cash) gives
 * its provider `confirmWithinMs`; a gateway order waiting for its payment gives the customer
 * `unpaidExpireAfterMs`; the payment arriving starts the provider's clock. Anything else: none.
 */
export const deadlineAfter = (change: Pick<OrderChanged, "orderId" | "change" | "paymentStatus">, occurredAt: Date, policy: Pick<OrderPolicyNumbers, "confirmWithinMs" | "unpaidExpireAfterMs">): Deadline | null => {
  if (change.change === "created" && change.paymentStatus === "awaiting") {
    return { orderId: change.orderId, kind: "payment", at: new Date(occurredAt.getTime() + policy.unpaidExpireAfterMs) }
  }
  if (change.change === "created" || change.change === "paid") {
    return { orderId: change.orderId, kind: "confirmation", at: new Date(occurredAt.getTime() + policy.confirmWithinMs) }
  }
  return null
}

export type DeadlineVerdict =
  /** The order still waits for what the deadline is about, and its time has come. */
  | { readonly _tag: "Due"; readonly reason: string; readonly responsible: Responsible }
  /** Its time has not come yet (the job ran early). */
  | { readonly _tag: "NotDue"; readonly at: Date }
  /** The order moved on (confirmed, paid, cancelled): nothing to do. */
  | { readonly _tag: "MovedOn" }

/**
 * What a deadline means for an order as it is now. The clocks count from the order's last change
 * while it waits (its creation, or its payment), so a deadline enforced twice, or late, decides the same.
 */
export const judgeDeadline = (order: Pick<Order, "status" | "paymentStatus" | "createdAt" | "updatedAt">, kind: DeadlineKind, nowMs: number, policy: Pick<OrderPolicyNumbers, "confirmWithinMs" | "unpaidExpireAfterMs">): DeadlineVerdict => {
  if (order.status !== "pending") return { _tag: "MovedOn" }
  if (kind === "confirmation") {
    if (order.paymentStatus === "awaiting" || order.paymentStatus === "refunded") return { _tag: "MovedOn" }
    const dueMs = order.updatedAt.getTime() + policy.confirmWithinMs
    return nowMs < dueMs
      ? { _tag: "NotDue", at: new Date(dueMs) }
      : { _tag: "Due", reason: "Le commerce n'a pas confirmé la commande à temps.", responsible: "provider" }
  }
  if (order.paymentStatus !== "awaiting") return { _tag: "MovedOn" }
  const dueMs = order.createdAt.getTime() + policy.unpaidExpireAfterMs
  return nowMs < dueMs
    ? { _tag: "NotDue", at: new Date(dueMs) }
    : { _tag: "Due", reason: "Le paiement n'est pas arrivé à temps.", responsible: "customer" }
}
