import { randomInt } from "node:crypto"
import { Effect } from "effect"

export interface ApiResponse {
  readonly status: number
  readonly headers: Headers
  readonly body: any
}

/**
 * A raw JSON call to the API, from a client IP of the test's choosing: for the requests the typed
 * client (neloClient.ts) would never send (malformed bodies, values its schemas refuse, extra
 * fields). Ordinary calls go through the typed client, so that an answer that drifts from its
 * schema fails the test.
 */
export const call = (
  baseUrl: string,
  method: string,
  path: string,
  options: { readonly body?: unknown; readonly rawBody?: string; readonly token?: string; readonly clientIp?: string; readonly userAgent?: string } = {}
) =>
  Effect.promise(async (): Promise<ApiResponse> => {
    const headers: Record<string, string> = { "user-agent": options.userAgent ?? "NELO-test/1.0 (Android 13)" }
    if (options.body !== undefined || options.rawBody !== undefined) headers["content-type"] = "application/json"
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`
    if (options.clientIp !== undefined) headers["x-forwarded-for"] = options.clientIp
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(options.rawBody !== undefined ? { body: options.rawBody } : options.body !== undefined ? { body: JSON.stringify(options.body) } : {})
    })
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) }
  })

/** A fresh Orange mobile number, so tests never share a phone. */
export const randomMobile = () => `07${String(randomInt(0, 100_000_000)).padStart(8, "0")}`

/** A fresh client address (IPv6 documentation prefix), so one test's per-IP limits never touch another's. */
export const randomClientIp = () => `2001:db8::${randomInt(0, 0xffff).toString(16)}:${randomInt(0, 0xffff).toString(16)}`
