import { Context, type Effect, Schema } from "effect"
import type { Phone } from "../shared/Phone.ts"

export class SmsDeliveryFailed extends Schema.TaggedError<SmsDeliveryFailed>()("SmsDeliveryFailed", {
  provider: Schema.String,
  /** Whether sending again later may succeed (network error, 5xx, rate limit). */
  retryable: Schema.Boolean,
  detail: Schema.String
}) {}

export interface SmsMessage {
  readonly to: Phone
  readonly body: string
}

/** Sends one text message. Adapters: console (development), Orange, Twilio. */
export class SmsSender extends Context.Service<SmsSender, {
  readonly send: (message: SmsMessage) => Effect.Effect<void, SmsDeliveryFailed>
}>()("nelo/notifications/SmsSender") {}
