import { Context, Effect, Layer, Redacted } from "effect"
import {
  type Checkout,
  type CheckoutStatus,
  type GatewayClient,
  GatewayRefused,
  GatewayUnavailable,
  PaymentGateways,
  type WebhookRequest
} from "@nelo/domain/payments/PaymentGateway"
import type { Gateway } from "@nelo/domain/wallet/Account"
import { hmacSha256Hex } from "../payments/hmacSha256.ts"
import { verifyWaveWebhook } from "../payments/WaveGateway.ts"
import { isXof, type Xof, xof } from "@nelo/domain/shared/Xof"

export interface GatewayCall {
  readonly method: "createCheckout" | "checkoutStatus" | "verifyWebhook" | "refundCheckout"
  readonly argument: unknown
}

/** What a test does in the payer's and the gateway's place. */
export interface GatewayMemoryControls {
  /** The payer pays the intent's checkout: with its amount, or with another one to test a mismatch. */
  readonly pay: (intentId: string, overrides?: { readonly amountXof?: number; readonly currency?: string }) => void
  readonly refuse: (intentId: string) => void
  /** From now on the gateway refuses to refund this intent's checkout (as Wave does when it cannot). */
  readonly refuseRefund: (intentId: string) => void
  /** The intents whose checkout was refunded, each once. */
  readonly refunded: () => ReadonlyArray<string>
  readonly expire: (intentId: string) => void
  /** While true, every API call fails as an unreachable gateway would (webhooks still verify). */
  readonly setUnavailable: (unavailable: boolean) => void
  /** A checkout.session.completed webhook about the intent, signed as Wave signs, sent at `atMs`. */
  readonly signedWebhook: (eventId: string, intentId: string, atMs: number) => WebhookRequest
  readonly calls: ReadonlyArray<GatewayCall>
}

export type GatewayMemory = GatewayClient & GatewayMemoryControls

interface MemoryCheckout {
  readonly intentId: string
  readonly reference: string
  readonly amountXof: Xof
  state: CheckoutStatus["state"]
  refunded: boolean
  refundRefused: boolean
  reportedAmountXof: Xof
  reportedCurrency: string
  paymentId: string | null
}

/**
 * A gateway in memory, for the domain's tests and the HTTP tests: checkouts opened once per intent
 * (a retry gets the same, as Wave's idempotency key gives), settled by the controls, and webhooks in
 * Wave's format checked by Wave's own verification with `webhookSecret`. As CinetPay does, the
 * "cinetpay" one uses the intent's id as its reference and takes multiples of 5 francs from 100.
 */
export const makeGatewayMemory = (gateway: Gateway, options: { readonly webhookSecret: string }): GatewayMemory => {
  const byIntent = new Map<string, MemoryCheckout>()
  const byReference = new Map<string, MemoryCheckout>()
  const calls: Array<GatewayCall> = []
  const secrets = [Redacted.make(options.webhookSecret)]
  let unavailable = false
  let sequence = 0

  const checkoutOf = (intentId: string) => {
    const checkout = byIntent.get(intentId)
    if (!checkout) throw new Error(`${gateway} (memory): no checkout was opened for intent ${intentId}`)
    return checkout
  }
  const outage = () => new GatewayUnavailable({ gateway, detail: "simulated outage" })

  return {
    gateway,
    createCheckout: (request) =>
      Effect.suspend((): Effect.Effect<Checkout, GatewayUnavailable | GatewayRefused> => {
        calls.push({ method: "createCheckout", argument: request })
        if (unavailable) return Effect.fail(outage())
        if (!isXof(request.amountXof) || request.amountXof <= 0) {
          return Effect.fail(new GatewayRefused({ gateway, detail: `amount must be a whole number of francs above zero, got ${request.amountXof}` }))
        }
        if (gateway === "cinetpay" && (request.amountXof < 100 || request.amountXof % 5 !== 0)) {
          return Effect.fail(new GatewayRefused({ gateway, detail: "code 608 MINIMUM_REQUIRED_FIELDS: amount must be a multiple of 5, at least 100" }))
        }
        const existing = byIntent.get(request.intentId)
        if (existing && existing.amountXof !== request.amountXof) {
          return Effect.fail(new GatewayRefused({ gateway, detail: `intent ${request.intentId} already has a checkout for ${existing.amountXof} XOF` }))
        }
        const checkout = existing ?? {
          intentId: request.intentId,
          reference: gateway === "wave" ? `cos-memory-${++sequence}` : request.intentId,
          amountXof: request.amountXof,
          state: "pending",
          refunded: false,
          refundRefused: false,
          reportedAmountXof: request.amountXof,
          reportedCurrency: "XOF",
          paymentId: null
        }
        byIntent.set(checkout.intentId, checkout)
        byReference.set(checkout.reference, checkout)
        return Effect.succeed({ gatewayReference: checkout.reference, paymentUrl: `https://checkout.memory.invalid/${gateway}/${checkout.reference}` })
      }),

    checkoutStatus: (checkout) =>
      Effect.suspend((): Effect.Effect<CheckoutStatus, GatewayUnavailable | GatewayRefused> => {
        calls.push({ method: "checkoutStatus", argument: checkout })
        if (unavailable) return Effect.fail(outage())
        const found = byReference.get(checkout.gatewayReference)
        if (!found || found.intentId !== checkout.intentId) {
          return Effect.fail(new GatewayRefused({ gateway, detail: `no checkout ${checkout.gatewayReference} for intent ${checkout.intentId}` }))
        }
        return Effect.succeed({ state: found.state, amountXof: found.reportedAmountXof, currency: found.reportedCurrency, paymentId: found.paymentId })
      }),

    verifyWebhook: (request) =>
      Effect.suspend(() => {
        calls.push({ method: "verifyWebhook", argument: request })
        return verifyWaveWebhook(secrets, request)
      }),

    // As Wave: a paid checkout is refunded whole, once (asked again, the same refund); CinetPay's API has none.
    refundCheckout: gateway === "cinetpay" ? undefined : (checkout) =>
      Effect.suspend((): Effect.Effect<void, GatewayUnavailable | GatewayRefused> => {
        calls.push({ method: "refundCheckout", argument: checkout })
        if (unavailable) return Effect.fail(outage())
        const found = byReference.get(checkout.gatewayReference)
        if (!found || found.intentId !== checkout.intentId) return Effect.fail(new GatewayRefused({ gateway, detail: `no checkout ${checkout.gatewayReference} for intent ${checkout.intentId}` }))
        if (found.state !== "succeeded") return Effect.fail(new GatewayRefused({ gateway, detail: `checkout ${found.reference} is not paid: nothing to refund` }))
        if (found.refundRefused) return Effect.fail(new GatewayRefused({ gateway, detail: "refund-failed: the payer's account cannot receive it" }))
        found.refunded = true
        return Effect.void
      }),

    pay: (intentId, overrides = {}) => {
      const checkout = checkoutOf(intentId)
      checkout.state = "succeeded"
      // A gateway reporting another amount (the mismatch case) reports whole francs too.
      checkout.reportedAmountXof = overrides.amountXof === undefined ? checkout.amountXof : xof(overrides.amountXof)
      checkout.reportedCurrency = overrides.currency ?? "XOF"
      checkout.paymentId = `${gateway}-memory-payment-${++sequence}`
    },
    refuse: (intentId) => {
      checkoutOf(intentId).state = "failed"
    },
    refuseRefund: (intentId) => {
      checkoutOf(intentId).refundRefused = true
    },
    refunded: () => [...byIntent.values()].filter((checkout) => checkout.refunded).map((checkout) => checkout.intentId),
    expire: (intentId) => {
      checkoutOf(intentId).state = "expired"
    },
    setUnavailable: (value) => {
      unavailable = value
    },
    signedWebhook: (eventId, intentId, atMs) => {
      const rawBody = JSON.stringify({
        id: eventId,
        type: "checkout.session.completed",
        data: { id: byIntent.get(intentId)?.reference ?? null, client_reference: intentId }
      })
      const timestamp = String(Math.floor(atMs / 1000))
      return {
        headers: { "content-type": "application/json", "wave-signature": `t=${timestamp},v1=${hmacSha256Hex(options.webhookSecret, timestamp + rawBody)}` },
        rawBody,
        receivedAtMs: atMs
      }
    },
    calls
  }
}

/** The memory gateways' controls, for the tests that run with PaymentGatewaysMemory. */
export class GatewayControls extends Context.Service<GatewayControls, {
  readonly wave: GatewayMemoryControls
  readonly cinetpay: GatewayMemoryControls
}>()("nelo/adapters/GatewayControls") {}

/**
 * PaymentGateways with both gateways in memory (or only those asked for: an absent one is
 * undefined, as without credentials), and GatewayControls to drive them.
 */
export const paymentGatewaysMemory = (enabled: { readonly wave?: boolean; readonly cinetpay?: boolean } = {}) =>
  Layer.effectContext(Effect.sync(() => {
    const wave = makeGatewayMemory("wave", { webhookSecret: "memory-wave-webhook-secret" })
    const cinetpay = makeGatewayMemory("cinetpay", { webhookSecret: "memory-cinetpay-webhook-secret" })
    return Context.make(PaymentGateways, PaymentGateways.of({
      wave: enabled.wave === false ? undefined : wave,
      cinetpay: enabled.cinetpay === false ? undefined : cinetpay
    })).pipe(Context.add(GatewayControls, GatewayControls.of({ wave, cinetpay })))
  }))

export const PaymentGatewaysMemory = paymentGatewaysMemory()
