import { Option, Schema } from "effect"
import { GatewayRefused, GatewayUnavailable } from "@nelo/domain/payments/PaymentGateway"
import { excerpt, isUnavailableStatus, type PaymentHttpResponse } from "./paymentHttpRequest.ts"

const gateway = "wave"

const WaveError = Schema.Struct({ error_code: Schema.String, message: Schema.optional(Schema.String) })
const decodeError = Schema.decodeUnknownOption(Schema.fromJsonString(WaveError))

/**
 * A non-2xx answer of any Wave API: an outage when Wave is overloaded or broken (429, 5xx: try
 * later, or the other gateway), otherwise a refusal, named by Wave's error_code when it gives one.
 */
export const waveFailureOf = (response: PaymentHttpResponse) => {
  const error = decodeError(response.body)
  const detail = Option.match(error, {
    onNone: () => `HTTP ${response.status}: ${excerpt(response.body)}`,
    onSome: ({ error_code, message }) => `HTTP ${response.status} ${error_code}: ${message ?? ""}`.trim()
  })
  return isUnavailableStatus(response.status) ? new GatewayUnavailable({ gateway, detail }) : new GatewayRefused({ gateway, detail })
}

/**
 * A 2xx whose body is not what Wave documents (an HTML page from a proxy, a cut body, a
 * half-deployed API): an outage. Nothing is settled on it; a later read, or the same request again
 * under the same idempotency key, finds what Wave did.
 */
export const waveUnreadable = (response: PaymentHttpResponse) =>
  new GatewayUnavailable({ gateway, detail: `unreadable answer (HTTP ${response.status}): ${excerpt(response.body)}` })
