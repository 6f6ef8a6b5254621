import { randomUUID } from "node:crypto"
import { Cause, Effect } from "effect"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import type { HttpApi, HttpApiGroup } from "effect/http-api"
import { frameworkProblems } from "./frameworkProblems.ts"

// A caller may pass its own id (a mobile app correlating retries); anything else gets a fresh one.
const acceptableRequestId = /^[A-Za-z0-9._:-]{8,128}$/u

/**
 * Around every request: an id (response header `x-request-id`, and on every log line written
 * while serving it), one structured access log line, and problem+json for what the API layer
 * did not answer itself (the framework's own answers, an unexpected failure). One middleware for
 * all of it: each one more costs every request (a cached menu measured ~10 % slower with two).
 */
export const RequestContext = <Id extends string, Groups extends HttpApiGroup.Constraint>(api: HttpApi.HttpApi<Id, Groups>) => {
  const problems = frameworkProblems(api)
  return HttpRouter.middleware((httpEffect) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const incoming = request.headers["x-request-id"]
    const requestId = incoming !== undefined && acceptableRequestId.test(incoming) ? incoming : randomUUID()
    const started = performance.now()
    const response = problems.answer(yield* httpEffect.pipe(
      Effect.catchCause((cause) => {
        const recovered = problems.recover(cause, request)
        if (recovered !== undefined) return Effect.succeed(recovered)
        if (Cause.hasInterruptsOnly(cause)) return Effect.failCause(cause)
        return Effect.as(Effect.logError("request failed", cause), problems.internalError())
      }),
      Effect.annotateLogs({ requestId })
    ), request)
    const path = request.url.split("?")[0]!
    // Load balancers probe health every few seconds: a line per healthy probe is noise (and cost).
    if (!(path.startsWith("/health") && response.status < 400)) {
      yield* Effect.logInfo("request").pipe(Effect.annotateLogs({
        requestId,
        method: request.method,
        path,
        status: response.status,
        durationMs: Math.round((performance.now() - started) * 100) / 100
      }))
    }
    // A live stream (SSE) must reach the app as it is written: not cached, not held by a buffering proxy.
    if (response.headers["content-type"]?.startsWith("text/event-stream") === true || (response.body._tag === "Stream" && response.body.contentType.startsWith("text/event-stream"))) {
      return HttpServerResponse.setHeaders(response, { "x-request-id": requestId, "cache-control": "no-cache", "x-accel-buffering": "no" })
    }
    return HttpServerResponse.setHeader(response, "x-request-id", requestId)
  }), { global: true })
}
