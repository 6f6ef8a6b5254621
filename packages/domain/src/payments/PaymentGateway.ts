import { Context, type Effect, Schema } from "effect"
import type { Gateway } from "../wallet/Account.ts"
import type { Xof } from "../shared/Xof.ts"

/** The gateway could not be reached, or answered 5xx or 429: worth trying the other one, or later. */
export class GatewayUnavailable extends Schema.TaggedError<GatewayUnavailable>()("GatewayUnavailable", {
  gateway: Schema.Literals(["wave", "cinetpay"]),
  detail: Schema.String
}) {}

/** The gateway answered but refused the request (4xx, an error code): retrying the same will not help. */
export class GatewayRefused extends Schema.TaggedError<GatewayRefused>()("GatewayRefused", {
  gateway: Schema.Literals(["wave", "cinetpay"]),
  detail: Schema.String
}) {}

/** A webhook whose signature is missing, wrong or too old, or whose body cannot be read. */
export class WebhookRejected extends Schema.TaggedError<WebhookRejected>()("WebhookRejected", {
  reason: Schema.Literals(["signature_missing", "signature_invalid", "timestamp_stale", "body_malformed"])
}) {}

/** A checkout to open for a top-up: the person pays on the gateway's page, then comes back. */
export interface CheckoutRequest {
  /** Our payment intent's id: Wave's client_reference, CinetPay's transaction_id. */
  readonly intentId: string
  readonly amountXof: Xof
  /** E.164, to restrict (Wave) or prefill (CinetPay) the payer. */
  readonly payerPhone: string
  readonly description: string
}

export interface Checkout {
  /** The gateway's id for it (Wave's checkout session id; CinetPay's is our transaction_id). */
  readonly gatewayReference: string
  /** Where the app sends the payer (Wave's wave_launch_url, CinetPay's payment_url). */
  readonly paymentUrl: string
}

/** What the gateway's API says about a checkout, read from it, never from a webhook. */
export interface CheckoutStatus {
  readonly state: "pending" | "succeeded" | "failed" | "expired"
  readonly amountXof: Xof
  readonly currency: string
  /** The gateway's payment id once paid (Wave's transaction_id, CinetPay's operator id). */
  readonly paymentId: string | null
}

/** A webhook whose signature was checked: the event's id (to deduplicate) and what it is about. */
export interface VerifiedWebhook {
  readonly eventId: string
  readonly type: string
  /** Our intent id, when the event carries it (client_reference, cpm_trans_id). */
  readonly intentId: string | null
  /** The gateway's checkout id, when the event carries it. */
  readonly gatewayReference: string | null
  readonly payload: unknown
}

export interface WebhookRequest {
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>
  /** The body exactly as received: signatures are over these bytes. */
  readonly rawBody: string
  readonly receivedAtMs: number
}

/** One gateway's client. */
export interface GatewayClient {
  readonly gateway: Gateway
  readonly createCheckout: (request: CheckoutRequest) => Effect.Effect<Checkout, GatewayUnavailable | GatewayRefused>
  readonly checkoutStatus: (checkout: { readonly intentId: string; readonly gatewayReference: string }) => Effect.Effect<CheckoutStatus, GatewayUnavailable | GatewayRefused>
  /** Checks the webhook's signature (and freshness) and reads it; nothing else. */
  readonly verifyWebhook: (request: WebhookRequest) => Effect.Effect<VerifiedWebhook, WebhookRejected>
  /**
   * Gives a paid checkout's whole amount back to its payer, through the gateway (asked again, it
   * refunds once). Succeeds only once the gateway has accepted the refund. Absent: this gateway's
   * API refunds nothing (CinetPay's), and refunds of its payments go to the wallet.
   */
  readonly refundCheckout: ((checkout: { readonly intentId: string; readonly gatewayReference: string }) => Effect.Effect<void, GatewayUnavailable | GatewayRefused>) | undefined
}

/**
 * The payment gateways this deployment can use. A gateway without credentials is absent: top-ups
 * through it are refused as unavailable, and its webhooks as unverifiable.
 */
export class PaymentGateways extends Context.Service<PaymentGateways, {
  readonly wave: GatewayClient | undefined
  readonly cinetpay: GatewayClient | undefined
}>()("nelo/payments/PaymentGateways") {}
