/**
 * Which consumer queues receive which event types. A consumer that needs an event type lists it
 * here; the relay sends each event to every queue that asks for it, and drops none silently:
 * events nobody consumes are still marked relayed (they stay in the outbox table as history).
 */
export const notificationsQueue = "notifications"

export const eventRoutes: Readonly<Record<string, ReadonlyArray<string>>> = {
  "notification.requested": [notificationsQueue]
}

export const queuesFor = (eventType: string): ReadonlyArray<string> => eventRoutes[eventType] ?? []
