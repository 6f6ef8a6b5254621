import type { EventType } from "./DomainEvent.ts"

/**
 * Which consumer queues receive which event types. Every type of the union is listed (the compiler
 * checks it): the relay sends each event to every queue that asks for it, and drops none silently;
 * events nobody consumes yet are still marked relayed (they stay in the outbox table as history).
 */
export const notificationsQueue = "notifications"

/** The orders' deadlines: scheduled from the changes that start a clock (see OrderTimers). */
export const orderTimersQueue = "order-timers"

/** Cancelled orders whose payment goes back through its gateway: the refund asked of it, then settled. */
export const refundsQueue = "refunds"

/**
 * Dispatch: an order confirmed gets its delivery (and its offers in time); a declined or released
 * delivery is offered again; a cancelled order's delivery is called off.
 */
export const dispatchQueue = "dispatch"

/** Earnings: a delivered order's escrow settled to its provider's and driver's earnings and the platform's revenue. */
export const settlementsQueue = "settlements"

export type QueueName = typeof notificationsQueue | typeof orderTimersQueue | typeof refundsQueue | typeof dispatchQueue | typeof settlementsQueue

export const eventRoutes: { readonly [Type in EventType]: ReadonlyArray<QueueName> } = {
  "notification.requested": [notificationsQueue],
  // For the admins' feed, when it exists; the SMS to the alert phones are their own events.
  "wallet.frozen": [],
  "wallet.unfrozen": [],
  "payment.mismatch": [],
  // Notifications and dispatch subscribe to these as they come (orders and deliveries issues).
  "order.created": [orderTimersQueue],
  "order.paid": [orderTimersQueue],
  "order.confirmed": [dispatchQueue],
  "order.preparing": [],
  // The driver who holds its delivery is told (his live stream): he can go and pick it up.
  "order.ready": [dispatchQueue],
  "order.picked_up": [],
  "order.delivering": [],
  "order.delivered": [settlementsQueue],
  "order.cancelled": [refundsQueue, dispatchQueue],
  "order.failed": [],
  "order.refunded": [],
  "delivery.assigned": [],
  "delivery.offer_rejected": [dispatchQueue],
  "delivery.released": [dispatchQueue],
  // Its notices (admins, the provider) are their own notification events, written with it.
  "delivery.unassigned": [],
  "delivery.picked_up": [],
  "delivery.delivering": [],
  "delivery.completed": [],
  "delivery.failed": [],
  "delivery.cancelled": [],
  "delivery.code_locked": []
}

const routes: Readonly<Record<string, ReadonlyArray<QueueName>>> = eventRoutes

/** The queues of a stored event (its type as written; an unknown type goes nowhere). */
export const queuesFor = (eventType: string): ReadonlyArray<QueueName> => routes[eventType] ?? []
