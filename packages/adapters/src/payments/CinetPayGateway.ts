import { Effect, Option, Redacted, Schema } from "effect"
import { isXof } from "@nelo/domain/shared/Xof"
import {
  type CheckoutStatus,
  type GatewayClient,
  GatewayRefused,
  type VerifiedWebhook,
  WebhookRejected
} from "@nelo/domain/payments/PaymentGateway"
import { hmacSha256Hex, sameHexDigest } from "./hmacSha256.ts"
import { CinetPayEnvelope, cinetpayUnreadable, readCinetPayEnvelope, StringOrNumber } from "./cinetpayAnswers.ts"
import { type PaymentHttpResponse, paymentHttpRequest } from "./paymentHttpRequest.ts"
import { wholeFrancs } from "./wholeFrancs.ts"

const gateway = "cinetpay"

/** Where CinetPay posts its payment notifications, under PUBLIC_API_URL. */
export const cinetpayNotifyPath = "/api/v1/payments/webhooks/cinetpay"

export interface CinetPayGatewaySettings {
  readonly apiKey: Redacted.Redacted<string>
  readonly siteId: string
  readonly secretKey: Redacted.Redacted<string>
  readonly baseUrl: string
  /** PUBLIC_API_URL + cinetpayNotifyPath. */
  readonly notifyUrl: string
  /** CinetPay has one return URL, whatever the outcome. */
  readonly returnUrl: string
  readonly requestTimeoutMs: number
}

/**
 * The form fields of a notification, in the order CinetPay concatenates them for the x-token
 * (docs.cinetpay.com, "HMAC"): a field absent from the body counts as empty.
 */
const signedNotificationFields = [
  "cpm_site_id", "cpm_trans_id", "cpm_trans_date", "cpm_amount", "cpm_currency", "signature", "payment_method",
  "cel_phone_num", "cpm_phone_prefixe", "cpm_language", "cpm_version", "cpm_payment_config", "cpm_page_action",
  "cpm_custom", "cpm_designation", "cpm_error_message"
] as const

/**
 * Codes of a payment still under way: created, waiting for the payer to confirm, to pay or to type
 * an OTP. A first WAITING answer is normal: the payment is re-checked later.
 */
const pendingCodes = new Set(["201", "623", "662", "663"])

const Envelope = CinetPayEnvelope
const PaymentLink = Schema.Struct({
  payment_url: Schema.String.pipe(Schema.check(Schema.isPattern(/^https:\/\/\S+$/u, { expected: "an https URL" })))
})
const Payment = Schema.Struct({
  amount: StringOrNumber,
  currency: Schema.String,
  status: Schema.String,
  operator_id: Schema.optional(Schema.NullOr(StringOrNumber))
})

const decodePaymentLink = Schema.decodeUnknownOption(PaymentLink)
const decodePayment = Schema.decodeUnknownOption(Payment)

const unreadable = cinetpayUnreadable

const refusal = (envelope: typeof Envelope.Type) =>
  new GatewayRefused({ gateway, detail: `code ${envelope.code} ${envelope.message ?? ""}${envelope.description ? `: ${envelope.description}` : ""}`.trim() })

const readEnvelope = readCinetPayEnvelope

/** The payer's number as CinetPay's form wants it: the 10 national digits, for an Ivorian number. */
const nationalNumber = (phone: string) => /^\+225\d{10}$/u.test(phone) ? phone.slice(4) : undefined

/** CinetPay asks for descriptions without #, /, $, _ or & (they break its payment page). */
const plainDescription = (description: string) => description.replace(/[#/$_&]/gu, " ").replace(/\s+/gu, " ").trim()

/**
 * What a check answer says. Paid only when the code (00) and the status (ACCEPTED) agree: one
 * without the other is an answer nobody should credit or close on, so it is refused (retried
 * later, logged). REFUSED is final. Anything else that is not a known pending code is a refusal of
 * the request itself (bad credentials, unknown transaction).
 */
const statusOf = (envelope: typeof Envelope.Type, response: PaymentHttpResponse) =>
  Effect.gen(function*() {
    const code = String(envelope.code)
    const payment = decodePayment(envelope.data)
    const status = Option.getOrUndefined(payment)?.status
    let state: CheckoutStatus["state"]
    if (code === "00" && status === "ACCEPTED") state = "succeeded"
    else if (code === "00" || status === "ACCEPTED") {
      return yield* new GatewayRefused({ gateway, detail: `inconsistent answer: code ${code} with status ${String(status)}` })
    } else if (status === "REFUSED") state = "failed"
    else if (pendingCodes.has(code) || status?.startsWith("WAITING")) state = "pending"
    else return yield* refusal(envelope)
    if (Option.isNone(payment)) return yield* unreadable(response)
    const amountXof = wholeFrancs(payment.value.amount)
    if (Option.isNone(amountXof)) {
      return yield* new GatewayRefused({ gateway, detail: `malformed amount ${JSON.stringify(payment.value.amount)}` })
    }
    const operatorId = String(payment.value.operator_id ?? "").trim()
    return { state, amountXof: amountXof.value, currency: payment.value.currency, paymentId: operatorId === "" ? null : operatorId } satisfies CheckoutStatus
  })

const reject = (reason: WebhookRejected["reason"]) => Effect.fail(new WebhookRejected({ reason }))

/**
 * CinetPay's checkout: POST /v2/payment opens a payment page for our transaction id (the intent's
 * id, so it is also the gateway's reference), POST /v2/payment/check says what became of it, and
 * the notification (IPN) posted to notify_url is signed with the secret key (x-token).
 */
export const makeCinetPayGateway = (settings: CinetPayGatewaySettings): GatewayClient => {
  const headers = { "content-type": "application/json", accept: "application/json" }
  const credentials = () => ({ apikey: Redacted.value(settings.apiKey), site_id: settings.siteId })

  return {
    gateway,
    // CinetPay's API makes no refunds: its payments are refunded to the wallet.
    refundCheckout: undefined,
    createCheckout: (request) =>
      Effect.gen(function*() {
        if (!isXof(request.amountXof) || request.amountXof <= 0) {
          return yield* new GatewayRefused({ gateway, detail: `amount must be a whole number of francs above zero, got ${request.amountXof}` })
        }
        const phone = nationalNumber(request.payerPhone)
        const response = yield* paymentHttpRequest(gateway, `${settings.baseUrl}/v2/payment`, {
          method: "POST",
          headers,
          body: JSON.stringify({
            ...credentials(),
            transaction_id: request.intentId,
            amount: request.amountXof,
            currency: "XOF",
            description: plainDescription(request.description),
            notify_url: settings.notifyUrl,
            return_url: settings.returnUrl,
            channels: "ALL",
            lang: "fr",
            ...(phone ? { customer_phone_number: phone } : {})
          })
        }, settings.requestTimeoutMs)
        const envelope = yield* readEnvelope(response)
        if (String(envelope.code) !== "201") return yield* refusal(envelope)
        const link = decodePaymentLink(envelope.data)
        if (Option.isNone(link)) return yield* unreadable(response)
        return { gatewayReference: request.intentId, paymentUrl: link.value.payment_url }
      }),

    checkoutStatus: ({ intentId, gatewayReference }) =>
      Effect.gen(function*() {
        // CinetPay knows a payment by our transaction id: a different reference is a mix-up.
        if (gatewayReference !== intentId) {
          return yield* new GatewayRefused({ gateway, detail: `reference ${gatewayReference} is not intent ${intentId}` })
        }
        const response = yield* paymentHttpRequest(gateway, `${settings.baseUrl}/v2/payment/check`, {
          method: "POST",
          headers,
          body: JSON.stringify({ ...credentials(), transaction_id: intentId })
        }, settings.requestTimeoutMs)
        return yield* statusOf(yield* readEnvelope(response), response)
      }),

    verifyWebhook: (request) =>
      Effect.gen(function*() {
        const token = request.headers["x-token"]
        if (token === undefined || token.trim() === "") return yield* reject("signature_missing")
        const form = new URLSearchParams(request.rawBody)
        const signed = signedNotificationFields.map((field) => form.get(field) ?? "").join("")
        if (!sameHexDigest(hmacSha256Hex(Redacted.value(settings.secretKey), signed), token)) return yield* reject("signature_invalid")
        // Signed, but for another service of the same merchant: not ours to act on.
        if (form.get("cpm_site_id") !== settings.siteId) return yield* reject("signature_invalid")
        // A signed field given twice could be read one way here and another way elsewhere.
        if (signedNotificationFields.some((field) => form.getAll(field).length > 1)) return yield* reject("body_malformed")
        const transactionId = form.get("cpm_trans_id")?.trim()
        if (!transactionId) return yield* reject("body_malformed")
        // No event id in a notification: the token stands for one. An identical replay has the same
        // token; a later notification about the same payment (another status, date) has another.
        return {
          eventId: token.trim().toLowerCase(),
          type: "payment.notification",
          intentId: transactionId,
          gatewayReference: transactionId,
          payload: Object.fromEntries(form)
        } satisfies VerifiedWebhook
      })
  }
}
