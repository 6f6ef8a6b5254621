import { Effect } from "effect"

export interface BoundedHttpResponse {
  readonly status: number
  readonly body: string
}

/**
 * One HTTP request to a provider's API, bounded in time (the body's download included). A network
 * error or a timeout becomes the caller's own failure, built from a sentence saying which; the
 * caller decides what the status means.
 */
export const boundedHttpRequest = <E>(url: string, init: RequestInit, timeoutMs: number, unreachable: (detail: string) => E) =>
  Effect.tryPromise({
    try: async (signal): Promise<BoundedHttpResponse> => {
      const response = await fetch(url, { ...init, signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) })
      return { status: response.status, body: await response.text() }
    },
    catch: (cause) =>
      unreachable(cause instanceof Error && cause.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : `network error: ${String(cause)}`)
  })
