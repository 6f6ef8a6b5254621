import { Effect, Schema } from "effect"
import type { DomainEvent } from "../events/DomainEvent.ts"
import { DeliveryLog } from "./DeliveryLog.ts"
import { NotificationRequested } from "./NotificationRequested.ts"
import { SmsSender } from "./SmsSender.ts"

export class NotificationMalformed extends Schema.TaggedError<NotificationMalformed>()("NotificationMalformed", {
  eventId: Schema.String,
  detail: Schema.String
}) {}

export type DeliveryOutcome = "sent" | "already-sent"

/**
 * Consumes one `notification.requested` event: sends it once. A redelivered event that was already
 * sent is acknowledged without sending again; a malformed one fails without retry value.
 */
export const deliverNotification = Effect.fn("deliverNotification")(function*(event: DomainEvent) {
  const log = yield* DeliveryLog
  if (yield* log.wasDelivered(event.id)) return "already-sent" as DeliveryOutcome
  const request = yield* Schema.decodeUnknownEffect(NotificationRequested)(event.payload).pipe(
    Effect.mapError((error) => new NotificationMalformed({ eventId: event.id, detail: error.message }))
  )
  const sms = yield* SmsSender
  yield* sms.send({ to: request.to, body: request.body })
  yield* log.recordDelivered({ eventId: event.id, channel: request.channel, recipient: request.to, body: request.body })
  return "sent" as DeliveryOutcome
})
