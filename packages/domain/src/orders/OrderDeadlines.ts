import { Context, type Effect, Schema } from "effect"

/**
 * The two clocks an order runs against: its provider must confirm it in time once it is payable
 * (`confirmation`), and a gateway order must be paid in time (`payment`).
 */
export const DeadlineKind = Schema.Literals(["confirmation", "payment"])
export type DeadlineKind = typeof DeadlineKind.Type

export interface Deadline {
  readonly orderId: string
  readonly kind: DeadlineKind
  readonly at: Date
}

export class DeadlinesUnavailable extends Schema.TaggedError<DeadlinesUnavailable>()("DeadlinesUnavailable", {
  cause: Schema.Defect()
}) {}

/**
 * Where deadlines wait to be enforced (BullMQ delayed jobs in production): a deadline scheduled
 * is enforced at its time, or soon after, even across restarts of the worker; the same deadline
 * (order and kind) scheduled twice is one.
 */
export class OrderDeadlines extends Context.Service<OrderDeadlines, {
  readonly schedule: (deadline: Deadline) => Effect.Effect<void, DeadlinesUnavailable>
  /** The deadlines still waiting for an order (for support, and the contract). */
  readonly pendingFor: (orderId: string) => Effect.Effect<ReadonlyArray<Deadline>, DeadlinesUnavailable>
}>()("nelo/orders/OrderDeadlines") {}
