import { Effect } from "effect"
import type { EventOf } from "../events/DomainEvent.ts"
import { DeliveryLog } from "./DeliveryLog.ts"
import { SmsSender } from "./SmsSender.ts"

export type DeliveryOutcome = "sent" | "already-sent"

/**
 * Consumes one `notification.requested` event (decoded by the consumer): sends it once. A redelivered
 * event that was already sent is acknowledged without sending again.
 */
export const deliverNotification = Effect.fn("deliverNotification")(function*(event: EventOf<"notification.requested">) {
  const log = yield* DeliveryLog
  if (yield* log.wasDelivered(event.id)) return "already-sent" as DeliveryOutcome
  const request = event.payload
  const sms = yield* SmsSender
  yield* sms.send({ to: request.to, body: request.body })
  yield* log.recordDelivered({ eventId: event.id, channel: request.channel, recipient: request.to, body: request.body })
  return "sent" as DeliveryOutcome
})
