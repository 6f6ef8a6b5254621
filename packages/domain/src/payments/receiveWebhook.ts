import { Clock, Effect } from "effect"
import type { Gateway } from "../wallet/Account.ts"
import type { ConfirmTopup } from "./confirmTopup.ts"
import { GatewayNotConfigured } from "./errors.ts"
import { PaymentGateways, type WebhookRequest } from "./PaymentGateway.ts"
import { PaymentIntentRepository, type StoredWebhookEvent } from "./PaymentIntentRepository.ts"

const confirmationFailed = (event: StoredWebhookEvent) => (error: { readonly detail: string }) =>
  Effect.as(
    Effect.logWarning("webhook confirmation failed; the intent's re-check will ask again").pipe(Effect.annotateLogs({ eventId: event.eventId, error: error.detail })),
    "confirmation_failed" as const
  )

/** The webhooks' two steps, built with their ports and the top-up confirmation they lead to. */
export const makeWebhooks = (confirmTopup: ConfirmTopup) =>
  Effect.gen(function*() {
    const gateways = yield* PaymentGateways
    const intents = yield* PaymentIntentRepository

    /**
     * Checks a webhook's signature and stores it, deduplicated on the gateway's event id. Returns
     * whether it is new: only a new event needs processing (processWebhook), which the caller runs
     * after answering the gateway, so that the gateway gets its 2xx fast.
     */
    const receiveWebhook = Effect.fn("Payments.receiveWebhook")(function*(gateway: Gateway, request: WebhookRequest) {
      const client = gateways[gateway]
      if (client === undefined) return yield* new GatewayNotConfigured({ gateway })
      const verified = yield* client.verifyWebhook(request)
      const event: StoredWebhookEvent = {
        gateway,
        eventId: verified.eventId,
        type: verified.type,
        intentId: verified.intentId,
        payload: verified.payload,
        receivedAt: new Date(request.receivedAtMs)
      }
      const fresh = yield* intents.recordWebhook(event)
      return { event, fresh }
    })

    /**
     * What a stored webhook leads to: a confirmation with the gateway's API (never the webhook's
     * word), then the event is marked processed, whatever came of it. An event about no intent of
     * ours is kept and marked, nothing more. A confirmation that fails (the gateway down) is logged
     * and not retried from the webhook: the intent's own re-check asks the gateway again, so one
     * failing event can never hold up the others.
     */
    const processWebhook = Effect.fn("Payments.processWebhook")(function*(event: StoredWebhookEvent) {
      const outcome = event.intentId === null
        ? "not_found" as const
        : yield* confirmTopup(event.intentId, { kind: "webhook", id: `${event.gateway}:${event.eventId}` }).pipe(
          Effect.catchTags({ GatewayUnavailable: confirmationFailed(event), GatewayRefused: confirmationFailed(event) })
        )
      yield* intents.markWebhookProcessed(event.gateway, event.eventId, new Date(yield* Clock.currentTimeMillis))
      return outcome
    })

    return { receiveWebhook, processWebhook }
  })

export type ProcessWebhook = Effect.Success<ReturnType<typeof makeWebhooks>>["processWebhook"]
