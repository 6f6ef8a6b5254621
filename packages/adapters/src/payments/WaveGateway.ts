import { Effect, Option, Redacted, Schema } from "effect"
import { isXof } from "@nelo/domain/shared/Xof"
import {
  type CheckoutStatus,
  type GatewayClient,
  GatewayRefused,
  GatewayUnavailable,
  type VerifiedWebhook,
  WebhookRejected,
  type WebhookRequest
} from "@nelo/domain/payments/PaymentGateway"
import { hmacSha256Hex, sameHexDigest } from "./hmacSha256.ts"
import { paymentHttpRequest } from "./paymentHttpRequest.ts"
import { waveFailureOf, waveUnreadable } from "./waveAnswers.ts"
import { wholeFrancs } from "./wholeFrancs.ts"

const gateway = "wave"

/** How far a webhook's timestamp may be from its arrival, either way: Wave's own five minutes. */
export const waveSignatureToleranceSeconds = 300

export interface WaveGatewaySettings {
  readonly apiKey: Redacted.Redacted<string>
  readonly webhookSecrets: ReadonlyArray<Redacted.Redacted<string>>
  readonly baseUrl: string
  readonly successUrl: string
  readonly errorUrl: string
  readonly requestTimeoutMs: number
}

// Statuses are read as strings: a status Wave adds later reads as pending (see stateOf), which
// credits nothing and closes nothing, instead of failing every read of that session.
const Session = Schema.Struct({
  id: Schema.NonEmptyString,
  amount: Schema.String,
  currency: Schema.String,
  checkout_status: Schema.String,
  payment_status: Schema.String,
  client_reference: Schema.optional(Schema.NullOr(Schema.String)),
  transaction_id: Schema.optional(Schema.NullOr(Schema.String))
})
const CreatedSession = Schema.Struct({
  ...Session.fields,
  wave_launch_url: Schema.String.pipe(Schema.check(Schema.isPattern(/^https:\/\/\S+$/u, { expected: "an https URL" })))
})
const WaveEvent = Schema.Struct({ id: Schema.NonEmptyString, type: Schema.NonEmptyString, data: Schema.Unknown })

const decodeEvent = Schema.decodeUnknownOption(Schema.fromJsonString(WaveEvent))

/**
 * A session that decodes but says something we refuse to act on (an amount with decimals, another
 * reference) is GatewayRefused: asking again gets the same answer, a person must look. An unreadable
 * 2xx is an outage (waveUnreadable): startTopup falls back instead of failing the top-up.
 */
const failureOf = waveFailureOf
const unreadable = waveUnreadable
const decodeCreatedSession = Schema.decodeUnknownEffect(Schema.fromJsonString(CreatedSession))
const decodeSession = Schema.decodeUnknownEffect(Schema.fromJsonString(Session))

/**
 * paid wins over everything; an expired checkout can no longer be paid; anything else, a
 * cancelled or failed attempt included, is pending: the payer may try again on an open checkout.
 */
const stateOf = (session: typeof Session.Type): CheckoutStatus["state"] =>
  session.payment_status === "succeeded" ? "succeeded" : session.checkout_status === "expired" ? "expired" : "pending"

const reject = (reason: WebhookRejected["reason"]) => Effect.fail(new WebhookRejected({ reason }))

/** `t=<unix seconds>,v1=<hex>[,v1=<hex>...]`; other schemes are ignored; undefined when unusable. */
const parseSignatureHeader = (header: string) => {
  let timestamp: string | undefined
  const signatures: Array<string> = []
  for (const part of header.split(",")) {
    const separator = part.indexOf("=")
    if (separator < 0) continue
    const key = part.slice(0, separator).trim()
    const value = part.slice(separator + 1).trim()
    if (key === "t") {
      if (timestamp !== undefined) return undefined
      timestamp = value
    } else if (key === "v1") signatures.push(value)
  }
  if (timestamp === undefined || !/^\d{1,12}$/u.test(timestamp) || signatures.length === 0) return undefined
  return { timestamp, signatures }
}

const stringField = (data: unknown, key: string) => {
  if (typeof data !== "object" || data === null) return null
  const value = (data as Record<string, unknown>)[key]
  return typeof value === "string" && value !== "" ? value : null
}

/**
 * Checks a Wave webhook: `v1 = hex(HMAC-SHA256(secret, t + rawBody))`, accepted when any v1 matches
 * any of the secrets (several during a rotation), then the timestamp within five minutes of its
 * arrival either way (an old delivery replayed, or a clock far off), then the event's envelope.
 */
export const verifyWaveWebhook = (secrets: ReadonlyArray<Redacted.Redacted<string>>, request: WebhookRequest) =>
  Effect.gen(function*() {
    const header = request.headers["wave-signature"]
    if (header === undefined || header.trim() === "") return yield* reject("signature_missing")
    const signature = parseSignatureHeader(header)
    if (signature === undefined) return yield* reject("signature_invalid")
    const signed = signature.timestamp + request.rawBody
    const expected = secrets.map((secret) => hmacSha256Hex(Redacted.value(secret), signed))
    if (!expected.some((digest) => signature.signatures.some((received) => sameHexDigest(digest, received)))) {
      return yield* reject("signature_invalid")
    }
    if (Math.abs(request.receivedAtMs / 1000 - Number(signature.timestamp)) > waveSignatureToleranceSeconds) {
      return yield* reject("timestamp_stale")
    }
    const event = decodeEvent(request.rawBody)
    if (Option.isNone(event)) return yield* reject("body_malformed")
    const { id, type, data } = event.value
    return {
      eventId: id,
      type,
      intentId: stringField(data, "client_reference"),
      gatewayReference: type.startsWith("checkout.session.") ? stringField(data, "id") : null,
      payload: event.value
    } satisfies VerifiedWebhook
  })

/**
 * Wave's Checkout API: POST /v1/checkout/sessions opens a checkout (the payer is sent to its
 * wave_launch_url), GET /v1/checkout/sessions/:id says what became of it, POST .../:id/refund
 * gives a paid one back. The intent's id is both
 * the idempotency key (a retry after a lost answer gets the same session) and the client_reference.
 */
export const makeWaveGateway = (settings: WaveGatewaySettings): GatewayClient => {
  const headers = { authorization: `Bearer ${Redacted.value(settings.apiKey)}`, accept: "application/json" }
  const sessionsUrl = `${settings.baseUrl}/v1/checkout/sessions`

  return {
    gateway,
    createCheckout: (request) =>
      Effect.gen(function*() {
        if (!isXof(request.amountXof) || request.amountXof <= 0) {
          return yield* new GatewayRefused({ gateway, detail: `amount must be a whole number of francs above zero, got ${request.amountXof}` })
        }
        const response = yield* paymentHttpRequest(gateway, sessionsUrl, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json", "idempotency-key": request.intentId },
          body: JSON.stringify({
            amount: String(request.amountXof),
            currency: "XOF",
            error_url: settings.errorUrl,
            success_url: settings.successUrl,
            client_reference: request.intentId,
            restrict_payer_mobile: request.payerPhone
          })
        }, settings.requestTimeoutMs)
        if (response.status < 200 || response.status > 299) return yield* failureOf(response)
        const session = yield* decodeCreatedSession(response.body).pipe(Effect.mapError(() => unreadable(response)))
        // An idempotency key Wave already saw returns the session made then: if that one is not for
        // this amount and intent, the payer must not be sent to pay it.
        const amount = wholeFrancs(session.amount)
        if (Option.getOrUndefined(amount) !== request.amountXof || session.currency !== "XOF" || session.client_reference !== request.intentId) {
          return yield* new GatewayRefused({
            gateway,
            detail: `session ${session.id} does not match the request: ${session.amount} ${session.currency} for ${String(session.client_reference)}`
          })
        }
        return { gatewayReference: session.id, paymentUrl: session.wave_launch_url }
      }),

    checkoutStatus: ({ intentId, gatewayReference }) =>
      Effect.gen(function*() {
        const response = yield* paymentHttpRequest(gateway, `${sessionsUrl}/${encodeURIComponent(gatewayReference)}`, {
          method: "GET",
          headers
        }, settings.requestTimeoutMs)
        if (response.status < 200 || response.status > 299) return yield* failureOf(response)
        const session = yield* decodeSession(response.body).pipe(Effect.mapError(() => unreadable(response)))
        if (session.id !== gatewayReference || session.client_reference !== intentId) {
          return yield* new GatewayRefused({ gateway, detail: `session ${session.id} is not the checkout of intent ${intentId}` })
        }
        const amountXof = wholeFrancs(session.amount)
        if (Option.isNone(amountXof)) {
          return yield* new GatewayRefused({ gateway, detail: `malformed amount ${JSON.stringify(session.amount)} in session ${session.id}` })
        }
        return {
          state: stateOf(session),
          amountXof: amountXof.value,
          currency: session.currency,
          paymentId: session.transaction_id ? session.transaction_id : null
        } satisfies CheckoutStatus
      }),

    verifyWebhook: (request) => verifyWaveWebhook(settings.webhookSecrets, request),

    // POST /v1/checkout/sessions/:id/refund gives the whole amount back to the payer's Wave account.
    // The idempotency key is the intent's: a retry after a lost answer is the same refund, never a second.
    refundCheckout: ({ intentId, gatewayReference }) =>
      Effect.gen(function*() {
        const response = yield* paymentHttpRequest(gateway, `${sessionsUrl}/${encodeURIComponent(gatewayReference)}/refund`, {
          method: "POST",
          headers: { ...headers, "idempotency-key": `refund-${intentId}` }
        }, settings.requestTimeoutMs)
        if (response.status < 200 || response.status > 299) return yield* failureOf(response)
      })
  }
}
