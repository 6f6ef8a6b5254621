import type { NewEventOf } from "../events/DomainEvent.ts"
import type { Actor, NewOrderChange, Order, OrderChange } from "./Order.ts"
import { orderEventType } from "./orderEvents.ts"
import type { OrderDecision } from "./orderStateMachine.ts"

/** The order after a decision, and the history row recording it. Pure: the caller writes both. */
export const applyDecision = (order: Order, decision: OrderDecision, actor: Actor, now: Date): { readonly order: Order; readonly change: NewOrderChange } => ({
  order: {
    ...order,
    status: decision.to,
    paymentStatus: decision.paid ? "paid" : decision.refunded ? "refunded" : order.paymentStatus,
    preparationMinutes: decision.preparationMinutes ?? order.preparationMinutes,
    cancellation: decision.cancellation ?? order.cancellation,
    updatedAt: now
  },
  change: { orderId: order.id, change: decision.change, from: decision.from, to: decision.to, actor, reason: decision.reason, at: now }
})

export type OrderEvent = NewEventOf<
  "order.created" | "order.paid" | "order.confirmed" | "order.preparing" | "order.ready" | "order.picked_up" | "order.delivering" | "order.delivered" | "order.cancelled" | "order.failed" | "order.refunded"
>

/** The event of a change, as written to the outbox with it. */
export const orderChangedEvent = (eventId: string, order: Order, change: OrderChange): OrderEvent => ({
  id: eventId,
  type: orderEventType(change.change),
  aggregateType: "order",
  aggregateId: order.id,
  occurredAt: change.at.toISOString(),
  payload: {
    orderId: order.id,
    reference: order.reference,
    customerId: order.customerId,
    providerId: order.providerId,
    changeId: change.id,
    change: change.change,
    from: change.from,
    status: change.to,
    paymentMethod: order.paymentMethod,
    paymentStatus: order.paymentStatus,
    totalXof: order.totals.totalXof,
    actor: change.actor,
    reason: change.reason,
    preparationMinutes: order.preparationMinutes
  }
}) as OrderEvent
