import { Schema } from "effect"
import { Phone } from "../shared/Phone.ts"
import { UserId } from "../users/User.ts"

// Four SMS at most; a push falling back to SMS sends this same body, so both share the bound.
const MessageBody = Schema.String.pipe(Schema.check(Schema.isNonEmpty(), Schema.isMaxLength(640)))

/** A text message to one phone. */
export const SmsRequested = Schema.Struct({
  channel: Schema.Literal("sms"),
  to: Phone,
  body: MessageBody
})
export type SmsRequested = typeof SmsRequested.Type

// FCM refuses keys it uses itself (from, notification, message_type, google…, gcm…) and a message
// above 4096 bytes: with a 100-character title and a 640-character body, 8 pairs of these sizes
// keep the whole message under it.
const PushDataKey = Schema.String.pipe(Schema.check(Schema.isPattern(/^(?!google|gcm)(?!(?:from|notification|message_type)$)[A-Za-z][A-Za-z0-9_]{0,39}$/iu, {
  expected: "a key of letters, digits and _ that FCM does not reserve"
})))
const PushDataValue = Schema.String.pipe(Schema.check(Schema.isMaxLength(200)))

/**
 * A notification to every phone a user registered for push. When the user has none, or none could
 * be reached, and `fallbackPhone` is given, the body goes by SMS to it instead.
 */
export const PushRequested = Schema.Struct({
  channel: Schema.Literal("push"),
  userId: UserId,
  title: Schema.String.pipe(Schema.check(Schema.isNonEmpty(), Schema.isMaxLength(100))),
  body: MessageBody,
  // Keys checked as a whole (isPropertyNames): a Record keyed by PushDataKey would drop a bad key silently.
  data: Schema.Record(Schema.String, PushDataValue).pipe(Schema.check(Schema.isMaxProperties(8), Schema.isPropertyNames(PushDataKey))),
  fallbackPhone: Schema.optionalKey(Phone)
})
export type PushRequested = typeof PushRequested.Type

/** Payload of the `notification.requested` event: a message some context wants sent to a person. */
export const NotificationRequested = Schema.Union([SmsRequested, PushRequested])
export type NotificationRequested = typeof NotificationRequested.Type
