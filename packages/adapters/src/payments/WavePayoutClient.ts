import { Effect, Option, Redacted, Schema } from "effect"
import type { PayoutClient, PayoutRequest, PayoutStatus } from "@nelo/domain/earnings/PayoutGateway"
import { GatewayRefused, GatewayUnavailable } from "@nelo/domain/payments/PaymentGateway"
import { isXof } from "@nelo/domain/shared/Xof"
import { paymentHttpRequest } from "./paymentHttpRequest.ts"
import { waveFailureOf, waveUnreadable } from "./waveAnswers.ts"
import { wholeFrancs } from "./wholeFrancs.ts"

const gateway = "wave"

export interface WavePayoutSettings {
  /** The key of the Payout API (Wave keys are per wallet and per API: not the checkout's). */
  readonly apiKey: Redacted.Redacted<string>
  readonly baseUrl: string
  readonly requestTimeoutMs: number
}

// Statuses are read as strings: a status Wave adds later reads as processing (see stateOf), which
// settles nothing, instead of failing every read of that payout.
const Payout = Schema.Struct({
  id: Schema.NonEmptyString,
  currency: Schema.String,
  receive_amount: Schema.String,
  mobile: Schema.optional(Schema.NullOr(Schema.String)),
  client_reference: Schema.optional(Schema.NullOr(Schema.String)),
  status: Schema.String,
  payout_error: Schema.optional(Schema.NullOr(Schema.Struct({
    error_code: Schema.optional(Schema.NullOr(Schema.String)),
    error_message: Schema.optional(Schema.NullOr(Schema.String))
  })))
})
type Payout = typeof Payout.Type
const SearchResult = Schema.Struct({ result: Schema.Array(Payout) })
const decodePayout = Schema.decodeUnknownEffect(Schema.fromJsonString(Payout))
const decodeSearch = Schema.decodeUnknownEffect(Schema.fromJsonString(SearchResult))

// A 4xx on POST /v1/payout means Wave made no payout: nothing is in flight. An unreadable 2xx after a
// send may hide a payout Wave made: the same send again (same idempotency key) or statusOf finds it.
const failureOf = waveFailureOf
const unreadable = waveUnreadable

/**
 * Wave's four documented statuses; anything else (a status added later) is processing: it moves no
 * money either way and is read again later.
 */
const stateOf = (payout: Payout): PayoutStatus["state"] => {
  switch (payout.status) {
    case "succeeded":
    case "failed":
    case "reversed":
      return payout.status
    default:
      return "processing"
  }
}

const detailOf = (payout: Payout) => {
  const error = payout.payout_error
  if (!error) return null
  const text = [error.error_code, error.error_message].filter((part) => part != null && part !== "").join(": ")
  return text === "" ? null : text
}

const statusOf = (payout: Payout): PayoutStatus => ({ state: stateOf(payout), gatewayReference: payout.id, detail: detailOf(payout) })

/** The payout answered must be the one asked: our reference, the amount, in XOF, to this number. */
const mismatch = (payout: Payout, request: PayoutRequest) => {
  const amount = Option.getOrUndefined(wholeFrancs(payout.receive_amount))
  return amount !== request.amountXof || payout.currency !== "XOF" || payout.client_reference !== request.payoutId ||
    (payout.mobile != null && payout.mobile !== request.mobile)
}

/**
 * Wave's Payout API: POST /v1/payout sends money to a mobile number; GET /v1/payout/:id reads one;
 * GET /v1/payouts/search?client_reference= finds ours when its id was never learnt (the answer to
 * the send was lost). Our payout's id is the idempotency key (a retry after a lost answer gets the
 * same payout, never a second) and the client_reference.
 */
export const makeWavePayoutClient = (settings: WavePayoutSettings): PayoutClient => {
  const headers = { authorization: `Bearer ${Redacted.value(settings.apiKey)}`, accept: "application/json" }

  const read = (url: string) =>
    Effect.gen(function*() {
      const response = yield* paymentHttpRequest(gateway, url, { method: "GET", headers }, settings.requestTimeoutMs)
      if (response.status < 200 || response.status > 299) return yield* failureOf(response)
      return response
    })

  return {
    gateway,
    send: (request) =>
      Effect.gen(function*() {
        if (!isXof(request.amountXof) || request.amountXof <= 0) {
          return yield* new GatewayRefused({ gateway, detail: `amount must be a whole number of francs above zero, got ${request.amountXof}` })
        }
        const response = yield* paymentHttpRequest(gateway, `${settings.baseUrl}/v1/payout`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json", "idempotency-key": request.payoutId },
          // The same request gives the same body, byte for byte: Wave sees a retry, not another payout.
          body: JSON.stringify({
            currency: "XOF",
            receive_amount: String(request.amountXof),
            mobile: request.mobile,
            name: request.name,
            client_reference: request.payoutId,
            payment_reason: request.reason
          })
        }, settings.requestTimeoutMs)
        if (response.status < 200 || response.status > 299) return yield* failureOf(response)
        const payout = yield* decodePayout(response.body).pipe(Effect.mapError(() => unreadable(response)))
        // The idempotency key returns the payout made the first time: if that one is not this
        // amount to this number under our reference, it is not ours to record as this payout.
        if (mismatch(payout, request)) {
          return yield* new GatewayRefused({
            gateway,
            detail: `payout ${payout.id} does not match the request: ${payout.receive_amount} ${payout.currency} to ${String(payout.mobile)} for ${String(payout.client_reference)}`
          })
        }
        return statusOf(payout)
      }),

    statusOf: ({ payoutId, gatewayReference }) =>
      Effect.gen(function*() {
        if (gatewayReference !== null) {
          const response = yield* read(`${settings.baseUrl}/v1/payout/${encodeURIComponent(gatewayReference)}`)
          const payout = yield* decodePayout(response.body).pipe(Effect.mapError(() => unreadable(response)))
          if (payout.id !== gatewayReference || payout.client_reference !== payoutId) {
            return yield* new GatewayRefused({ gateway, detail: `payout ${payout.id} is not payout ${payoutId}` })
          }
          return statusOf(payout)
        }
        const response = yield* read(`${settings.baseUrl}/v1/payouts/search?client_reference=${encodeURIComponent(payoutId)}`)
        const { result } = yield* decodeSearch(response.body).pipe(Effect.mapError(() => unreadable(response)))
        const ours = result.filter((payout) => payout.client_reference === payoutId)
        // None: the send never reached Wave, sending again with the same id is safe.
        if (ours.length === 0) return { state: "unknown", gatewayReference: null, detail: null } satisfies PayoutStatus
        // The idempotency key allows one payout per id: several means money went out more than once
        // (or a search that matches loosely); a person must look before anything else is sent.
        if (ours.length > 1) {
          return yield* new GatewayRefused({ gateway, detail: `${ours.length} payouts under reference ${payoutId}: ${ours.map((payout) => payout.id).join(", ")}` })
        }
        return statusOf(ours[0]!)
      })
  }
}
