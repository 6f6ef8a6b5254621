import { Effect } from "effect"
import { SmsDeliveryFailed } from "@nelo/domain/notifications/SmsSender"

export interface SmsHttpResponse {
  readonly status: number
  readonly body: string
}

/**
 * One HTTP request to an SMS provider, bounded in time. A network error or a timeout is a
 * retryable failure; the caller decides what the status means.
 */
export const smsHttpRequest = (provider: string, url: string, init: RequestInit, timeoutMs: number) =>
  Effect.tryPromise({
    try: async (signal): Promise<SmsHttpResponse> => {
      const response = await fetch(url, { ...init, signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) })
      return { status: response.status, body: await response.text() }
    },
    catch: (cause) =>
      new SmsDeliveryFailed({
        provider,
        retryable: true,
        detail: cause instanceof Error && cause.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : `network error: ${String(cause)}`
      })
  })

/** A refusal by the provider: worth retrying when it is overloaded (429) or broken (5xx), not otherwise. */
export const providerRefused = (provider: string, response: SmsHttpResponse) =>
  new SmsDeliveryFailed({
    provider,
    retryable: response.status === 429 || response.status >= 500,
    detail: `HTTP ${response.status}: ${response.body.slice(0, 300)}`
  })

export const basicAuthorization = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`
