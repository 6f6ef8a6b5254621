import { Context, type Effect, Schema } from "effect"

export class PushDeliveryFailed extends Schema.TaggedError<PushDeliveryFailed>()("PushDeliveryFailed", {
  provider: Schema.String,
  /** Whether sending again later may succeed (network error, timeout, 5xx, quota). */
  retryable: Schema.Boolean,
  /**
   * The token will never be reached again (the app was uninstalled, or the token expired or is not
   * a token at all): the device must be forgotten, or every later notification fails on it too.
   */
  tokenDead: Schema.Boolean,
  detail: Schema.String
}) {}

export interface PushMessage {
  /** The device's registration token, as the app registered it. */
  readonly token: string
  readonly title: string
  readonly body: string
  /** Small string pairs for the app (which screen to open), e.g. orderId, reference, kind. */
  readonly data: Readonly<Record<string, string>>
}

/** Sends one push notification to one device. Adapters: console (development), FCM. */
export class PushSender extends Context.Service<PushSender, {
  readonly send: (message: PushMessage) => Effect.Effect<void, PushDeliveryFailed>
}>()("nelo/notifications/PushSender") {}
