import { Effect, Option, Schema } from "effect"
import { GatewayRefused, GatewayUnavailable } from "@nelo/domain/payments/PaymentGateway"
import { excerpt, isUnavailableStatus, type PaymentHttpResponse } from "./paymentHttpRequest.ts"

const gateway = "cinetpay"

// CinetPay documents its codes, amounts and ids as strings; a number is read the same, so that a
// change of JSON type on their side does not turn every answer into an outage.
export const StringOrNumber = Schema.Union([Schema.String, Schema.Number])

/** The envelope of every CinetPay answer, checkout and transfers alike: a code, words, the data. */
export const CinetPayEnvelope = Schema.Struct({
  code: StringOrNumber,
  message: Schema.optional(Schema.NullOr(Schema.String)),
  description: Schema.optional(Schema.NullOr(Schema.String)),
  data: Schema.optional(Schema.Unknown)
})
export type CinetPayEnvelope = typeof CinetPayEnvelope.Type

const decodeEnvelope = Schema.decodeUnknownOption(Schema.fromJsonString(CinetPayEnvelope))

/** "code 602 INSUFFICIENT_BALANCE: ..." for a failure's detail. */
export const describeCinetPayEnvelope = (envelope: CinetPayEnvelope) =>
  `code ${String(envelope.code).trim()} ${envelope.message ?? ""}${envelope.description ? `: ${envelope.description}` : ""}`.trim()

/** A 2xx that is not the documented envelope (a proxy's page, a cut body): an outage, nothing is settled on it. */
export const cinetpayUnreadable = (response: PaymentHttpResponse) =>
  new GatewayUnavailable({ gateway, detail: `unreadable answer (HTTP ${response.status}): ${excerpt(response.body)}` })

/**
 * CinetPay answers with a code in the body, under HTTP 200 as often as under a 4xx: the body is
 * what counts. 429 and 5xx are outages whatever the body; a 2xx without the documented envelope is
 * one too; a 4xx without it is a refusal.
 */
export const readCinetPayEnvelope = (response: PaymentHttpResponse) => {
  if (isUnavailableStatus(response.status)) {
    return Effect.fail(new GatewayUnavailable({ gateway, detail: `HTTP ${response.status}: ${excerpt(response.body)}` }))
  }
  const envelope = decodeEnvelope(response.body)
  if (Option.isSome(envelope)) return Effect.succeed(envelope.value)
  return Effect.fail(
    response.status >= 200 && response.status <= 299
      ? cinetpayUnreadable(response)
      : new GatewayRefused({ gateway, detail: `HTTP ${response.status}: ${excerpt(response.body)}` })
  )
}
