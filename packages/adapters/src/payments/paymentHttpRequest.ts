import { GatewayUnavailable } from "@nelo/domain/payments/PaymentGateway"
import type { Gateway } from "@nelo/domain/wallet/Account"
import { type BoundedHttpResponse, boundedHttpRequest } from "../http/boundedHttpRequest.ts"

export type PaymentHttpResponse = BoundedHttpResponse

/**
 * One HTTP request to a payment gateway, bounded in time; a network error or a timeout is
 * GatewayUnavailable. Redirects are refused: a gateway's API does not redirect, and following one
 * would send the API key (a header for Wave, the body for CinetPay) to wherever it points.
 */
export const paymentHttpRequest = (gateway: Gateway, url: string, init: RequestInit, timeoutMs: number) =>
  boundedHttpRequest(url, { ...init, redirect: "error" }, timeoutMs, (detail) => new GatewayUnavailable({ gateway, detail }))

/** Overloaded (429) or broken (5xx): worth trying the other gateway, or later. */
export const isUnavailableStatus = (status: number) => status === 429 || status >= 500

/** The start of a body, for a failure's detail: enough to diagnose, never a whole page. */
export const excerpt = (body: string) => body.replace(/\s+/gu, " ").trim().slice(0, 200)
