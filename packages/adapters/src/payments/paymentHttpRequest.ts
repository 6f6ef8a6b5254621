import { Effect } from "effect"
import { GatewayUnavailable } from "@nelo/domain/payments/PaymentGateway"
import type { Gateway } from "@nelo/domain/wallet/Account"

export interface PaymentHttpResponse {
  readonly status: number
  readonly body: string
}

/**
 * One HTTP request to a payment gateway, bounded in time (the body's download included). A network
 * error or a timeout is GatewayUnavailable; the caller decides what the status means. Redirects
 * are refused: a gateway's API does not redirect, and following one would send the API key (a
 * header for Wave, the body for CinetPay) to wherever it points.
 */
export const paymentHttpRequest = (gateway: Gateway, url: string, init: RequestInit, timeoutMs: number) =>
  Effect.tryPromise({
    try: async (signal): Promise<PaymentHttpResponse> => {
      const response = await fetch(url, { ...init, redirect: "error", signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) })
      return { status: response.status, body: await response.text() }
    },
    catch: (cause) =>
      new GatewayUnavailable({
        gateway,
        detail: cause instanceof Error && cause.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : `network error: ${String(cause)}`
      })
  })

/** Overloaded (429) or broken (5xx): worth trying the other gateway, or later. */
export const isUnavailableStatus = (status: number) => status === 429 || status >= 500

/** The start of a body, for a failure's detail: enough to diagnose, never a whole page. */
export const excerpt = (body: string) => body.replace(/\s+/gu, " ").trim().slice(0, 200)
