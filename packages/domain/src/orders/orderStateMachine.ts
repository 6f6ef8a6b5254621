import { Result } from "effect"
import { OrderActionForbidden, OrderAwaitingPayment, OrderNotCancellable, OrderTransitionRefused } from "./errors.ts"
import type { Actor, ActorKind, Cancellation, Order, OrderChangeKind, OrderStatus, RefundDestination } from "./Order.ts"
import type { OrderPolicyNumbers } from "./OrderPolicy.ts"

export type Responsible = Cancellation["responsible"]

/** What can be asked of an order. */
export type OrderCommand =
  | { readonly _tag: "MarkPaid" }
  | { readonly _tag: "Confirm"; readonly preparationMinutes: number }
  | { readonly _tag: "Reject"; readonly reason: string }
  | { readonly _tag: "StartPreparing" }
  | { readonly _tag: "MarkReady" }
  | { readonly _tag: "PickUp" }
  | { readonly _tag: "StartDelivering" }
  | { readonly _tag: "Deliver" }
  /** `refund`: the paid order goes back to the customer's wallet (the dispatch policy decides, by reason). */
  | { readonly _tag: "Fail"; readonly reason: string; readonly refund?: boolean }
  /**
   * `responsible` is chosen by an admin or the system; a customer or provider is responsible for
   * their own. `refundTo` (a paid order): the wallet by default, or the gateway it was paid by.
   */
  | { readonly _tag: "Cancel"; readonly reason: string; readonly responsible?: Responsible; readonly refundTo?: RefundDestination }
  /** The gateway refund of a cancelled order is settled (`reason`: how, when it went to the wallet instead). */
  | { readonly _tag: "MarkRefunded"; readonly reason: string | null }

export type OrderAction = OrderCommand["_tag"]

/** What a command does to an order: the change recorded, the new status, and what comes with it. */
export interface OrderDecision {
  readonly change: OrderChangeKind
  readonly from: OrderStatus
  readonly to: OrderStatus
  readonly reason: string | null
  readonly cancellation: Cancellation | null
  readonly preparationMinutes: number | null
  /** The payment moves from awaiting to paid (MarkPaid), or from on_delivery to paid (Deliver: the driver collected it). */
  readonly paid: boolean
  /** The payment moves from refunding to refunded (MarkRefunded). */
  readonly refunded: boolean
}

interface Step {
  readonly from: ReadonlyArray<OrderStatus>
  readonly to: OrderStatus
  readonly change: OrderChangeKind
  readonly by: ReadonlyArray<ActorKind>
}

/** The plan's table: each forward step, from where, and who makes it (an admin can stand in for anyone). */
const steps: { readonly [Tag in Exclude<OrderAction, "Cancel" | "Reject">]: Step } = {
  MarkPaid: { from: ["pending"], to: "pending", change: "paid", by: ["system"] },
  Confirm: { from: ["pending"], to: "confirmed", change: "confirmed", by: ["provider", "admin"] },
  StartPreparing: { from: ["confirmed"], to: "preparing", change: "preparing", by: ["provider", "admin"] },
  MarkReady: { from: ["preparing"], to: "ready", change: "ready", by: ["provider", "admin"] },
  PickUp: { from: ["ready"], to: "picked_up", change: "picked_up", by: ["driver", "admin"] },
  StartDelivering: { from: ["picked_up"], to: "delivering", change: "delivering", by: ["driver", "admin"] },
  Deliver: { from: ["delivering"], to: "delivered", change: "delivered", by: ["driver", "admin"] },
  Fail: { from: ["delivering"], to: "failed", change: "failed", by: ["driver", "admin"] },
  MarkRefunded: { from: ["cancelled"], to: "cancelled", change: "refunded", by: ["system"] }
}

const beforePickup: ReadonlyArray<OrderStatus> = ["pending", "confirmed", "preparing", "ready"]

/**
 * Where each party may cancel: a customer while pending (free) and as far as the policy allows; a
 * provider before pickup; the system before pickup (unpaid or unconfirmed in time, or no driver
 * found for it: each rule checks its own case); an admin at any point before the order ends. A driver never cancels: he fails a delivery or releases it.
 */
export const cancellableIn = (actor: ActorKind, policy: Pick<OrderPolicyNumbers, "customerMayCancelIn">): ReadonlyArray<OrderStatus> => {
  switch (actor) {
    case "customer":
      return ["pending", ...policy.customerMayCancelIn.filter((status) => status !== "pending" && beforePickup.includes(status))]
    case "provider":
    case "system":
      return beforePickup
    case "admin":
      return [...beforePickup, "picked_up", "delivering"]
    case "driver":
      return []
  }
}

const responsibleFor = (actor: Actor, asked: Responsible | undefined): Responsible => {
  switch (actor.kind) {
    case "customer":
      return "customer"
    case "provider":
      return "provider"
    case "driver":
      return "driver"
    case "admin":
      return asked ?? "platform"
    case "system":
      return asked ?? "system"
  }
}

const actionName: { readonly [Tag in OrderAction]: string } = {
  MarkPaid: "mark_paid",
  Confirm: "confirm",
  Reject: "reject",
  StartPreparing: "start_preparing",
  MarkReady: "mark_ready",
  PickUp: "pick_up",
  StartDelivering: "start_delivering",
  Deliver: "deliver",
  Fail: "fail",
  Cancel: "cancel",
  MarkRefunded: "mark_refunded"
}

export type DecideError = OrderTransitionRefused | OrderActionForbidden | OrderNotCancellable | OrderAwaitingPayment

/**
 * The state machine, pure: what a command by an actor does to an order, or why it is refused. The
 * caller checks who the actor is to this order (its customer, its provider's owner, its driver);
 * this decides what that kind of party may do from the order's status.
 */
export const decide = (
  order: Pick<Order, "status" | "paymentStatus">,
  command: OrderCommand,
  actor: Actor,
  policy: Pick<OrderPolicyNumbers, "customerMayCancelIn">
): Result.Result<OrderDecision, DecideError> => {
  const action = actionName[command._tag]
  const plain = { reason: null, cancellation: null, preparationMinutes: null, paid: false, refunded: false }
  if (command._tag === "Cancel" || command._tag === "Reject") {
    if (command._tag === "Reject" && actor.kind !== "provider" && actor.kind !== "admin") return Result.fail(new OrderActionForbidden({ action }))
    const allowed = command._tag === "Reject" ? ["pending" as const] : cancellableIn(actor.kind, policy)
    if (allowed.length === 0) return Result.fail(new OrderActionForbidden({ action }))
    if (!allowed.includes(order.status)) {
      return Result.fail(command._tag === "Reject" ? new OrderTransitionRefused({ action, status: order.status }) : new OrderNotCancellable({ status: order.status }))
    }
    return Result.succeed({
      ...plain,
      change: "cancelled",
      from: order.status,
      to: "cancelled",
      reason: command.reason,
      cancellation: { by: actor, responsible: responsibleFor(actor, command._tag === "Cancel" ? command.responsible : undefined), reason: command.reason }
    })
  }
  const step = steps[command._tag]
  if (!step.by.includes(actor.kind)) return Result.fail(new OrderActionForbidden({ action }))
  if (!step.from.includes(order.status)) return Result.fail(new OrderTransitionRefused({ action, status: order.status }))
  if (command._tag === "MarkPaid" && order.paymentStatus !== "awaiting") return Result.fail(new OrderTransitionRefused({ action, status: order.status }))
  if (command._tag === "MarkRefunded" && order.paymentStatus !== "refunding") return Result.fail(new OrderTransitionRefused({ action, status: order.status }))
  if (command._tag === "Confirm" && order.paymentStatus === "awaiting") return Result.fail(new OrderAwaitingPayment())
  return Result.succeed({
    ...plain,
    change: step.change,
    from: order.status,
    to: step.to,
    reason: command._tag === "Fail" || command._tag === "MarkRefunded" ? command.reason : null,
    preparationMinutes: command._tag === "Confirm" ? command.preparationMinutes : null,
    paid: command._tag === "MarkPaid" || (command._tag === "Deliver" && order.paymentStatus === "on_delivery"),
    refunded: command._tag === "MarkRefunded"
  })
}

/** The status an order's history leads to, replayed from its first change: the store's must equal it. */
export const replayStatus = (changes: ReadonlyArray<{ readonly to: OrderStatus }>): OrderStatus | undefined => changes.at(-1)?.to
