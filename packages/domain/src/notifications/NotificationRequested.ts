import { Schema } from "effect"
import { Phone } from "../shared/Phone.ts"

/** Payload of the `notification.requested` event: a message some context wants sent to a person. */
export const NotificationRequested = Schema.Struct({
  channel: Schema.Literal("sms"),
  to: Phone,
  body: Schema.String.pipe(Schema.check(Schema.isNonEmpty(), Schema.isMaxLength(640)))
})
export type NotificationRequested = typeof NotificationRequested.Type
