import { Context, type Effect, Schema } from "effect"

export class DeliveryLogUnavailable extends Schema.TaggedError<DeliveryLogUnavailable>()("DeliveryLogUnavailable", {
  cause: Schema.Defect()
}) {}

export interface DeliveryRecord {
  readonly eventId: string
  /** How it went: by SMS (recipient a phone), or by push (recipient the user's id). */
  readonly channel: "sms" | "push"
  readonly recipient: string
  readonly body: string
}

/**
 * The notifications sent, one per event id. Queues deliver at least once; the log is how the
 * consumer turns a redelivered event into no second message.
 */
export class DeliveryLog extends Context.Service<DeliveryLog, {
  readonly wasDelivered: (eventId: string) => Effect.Effect<boolean, DeliveryLogUnavailable>
  readonly recordDelivered: (record: DeliveryRecord) => Effect.Effect<void, DeliveryLogUnavailable>
}>()("nelo/notifications/DeliveryLog") {}
