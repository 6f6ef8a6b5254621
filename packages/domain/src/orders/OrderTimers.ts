import { Clock, Context, Effect, Layer, Option } from "effect"
import type { EventOf } from "../events/DomainEvent.ts"
import { makeSystemChange } from "./changeOrder.ts"
import { OrderDeadlines, type DeadlineKind } from "./OrderDeadlines.ts"
import { deadlineAfter, judgeDeadline } from "./orderDeadlineRules.ts"
import { OrderPolicy } from "./OrderPolicy.ts"
import { OrderRepository } from "./OrderRepository.ts"

export type DeadlineOutcome = "cancelled" | "moved_on" | { readonly notDueUntil: Date }

/**
 * The orders' timers, run by the worker: each `order.created` and `order.paid` event schedules the
 * deadline it starts (deadlineAfter), and a deadline come due cancels the order as the system, if it
 * still waits: not confirmed in time (the provider responsible: refunded, its stock back), or not
 * paid in time (expired, its stock back). Enforced twice, or after the order moved on, it does nothing.
 */
const makeOrderTimers = Effect.gen(function*() {
  const deadlines = yield* OrderDeadlines
  const orders = yield* OrderRepository
  const policy = yield* OrderPolicy
  const systemChange = yield* makeSystemChange

  const scheduleFor = Effect.fn("Orders.scheduleDeadline")(function*(event: EventOf<"order.created" | "order.paid">) {
    const deadline = deadlineAfter(event.payload, new Date(event.occurredAt), policy)
    if (deadline !== null) yield* deadlines.schedule(deadline)
  })

  const enforce = Effect.fn("Orders.enforceDeadline")(function*(orderId: string, kind: DeadlineKind) {
    const found = yield* orders.findById(orderId)
    if (Option.isNone(found)) return "moved_on" satisfies DeadlineOutcome as DeadlineOutcome
    const verdict = judgeDeadline(found.value, kind, yield* Clock.currentTimeMillis, policy)
    if (verdict._tag === "MovedOn") return "moved_on"
    if (verdict._tag === "NotDue") return { notDueUntil: verdict.at }
    return yield* systemChange(orderId, { _tag: "Cancel", reason: verdict.reason, responsible: verdict.responsible }, `${kind}_deadline`).pipe(
      Effect.as<DeadlineOutcome>("cancelled"),
      // Confirmed or cancelled by someone else between the read and the lock: they won.
      Effect.catchTags({
        OrderNotCancellable: () => Effect.succeed<DeadlineOutcome>("moved_on"),
        OrderTransitionRefused: () => Effect.succeed<DeadlineOutcome>("moved_on")
      })
    )
  })

  return { scheduleFor, enforce }
})

/** The orders' timers as the worker uses them (the API never schedules: the events do). */
export class OrderTimers extends Context.Service<OrderTimers>()("nelo/orders/OrderTimers", { make: makeOrderTimers }) {
  static readonly layer = Layer.effect(OrderTimers, OrderTimers.make)
}
