import type { HttpServerRequest } from "effect/http"

// A handler that refuses with 429 says when to come back; RequestContext turns it into the
// `Retry-After` header of that response. Keyed by the request object, so nothing leaks between requests.
const retryAfterSeconds = new WeakMap<HttpServerRequest.HttpServerRequest, number>()

export const setRetryAfter = (request: HttpServerRequest.HttpServerRequest, seconds: number) => {
  retryAfterSeconds.set(request, seconds)
}

export const retryAfterOf = (request: HttpServerRequest.HttpServerRequest) => retryAfterSeconds.get(request)
