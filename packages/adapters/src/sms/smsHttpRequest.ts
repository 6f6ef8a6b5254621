import { SmsDeliveryFailed } from "@nelo/domain/notifications/SmsSender"
import { type BoundedHttpResponse, boundedHttpRequest } from "../http/boundedHttpRequest.ts"

export type SmsHttpResponse = BoundedHttpResponse

/**
 * One HTTP request to an SMS provider, bounded in time. A network error or a timeout is a
 * retryable failure; the caller decides what the status means.
 */
export const smsHttpRequest = (provider: string, url: string, init: RequestInit, timeoutMs: number) =>
  boundedHttpRequest(url, init, timeoutMs, (detail) => new SmsDeliveryFailed({ provider, retryable: true, detail }))

/** A refusal by the provider: worth retrying when it is overloaded (429) or broken (5xx), not otherwise. */
export const providerRefused = (provider: string, response: SmsHttpResponse) =>
  new SmsDeliveryFailed({
    provider,
    retryable: response.status === 429 || response.status >= 500,
    detail: `HTTP ${response.status}: ${response.body.slice(0, 300)}`
  })

export const basicAuthorization = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`
