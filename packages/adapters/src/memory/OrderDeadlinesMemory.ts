import { Effect, Layer } from "effect"
import { type Deadline, OrderDeadlines } from "@nelo/domain/orders/OrderDeadlines"

/**
 * Deadlines kept in memory for unit tests: scheduled, listed, never fired by themselves (a test
 * enforces them when it has moved its clock). The same order and kind scheduled twice is one.
 */
export const OrderDeadlinesMemory = Layer.sync(OrderDeadlines, () => {
  const pending = new Map<string, Deadline>()
  return OrderDeadlines.of({
    schedule: (deadline) => Effect.sync(() => void (pending.has(`${deadline.kind}:${deadline.orderId}`) || pending.set(`${deadline.kind}:${deadline.orderId}`, deadline))),
    pendingFor: (orderId) => Effect.sync(() => [...pending.values()].filter((deadline) => deadline.orderId === orderId))
  })
})
