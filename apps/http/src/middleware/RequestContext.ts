import { randomUUID } from "node:crypto"
import { Cause, Effect } from "effect"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import { ProblemDetails } from "effect/http"
import type { HttpApi, HttpApiGroup } from "effect/http-api"
import { frameworkProblems } from "./FrameworkProblems.ts"

// A caller may pass its own id (a mobile app correlating retries); anything else gets a fresh one.
const acceptableRequestId = /^[A-Za-z0-9._:-]{8,128}$/u

const problem = (status: number, code: string, title: string, message: string) =>
  HttpServerResponse.jsonUnsafe(
    { type: `urn:nelo:problem:${code}`, title, status, code, message },
    { status, contentType: ProblemDetails.contentType }
  )

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
        // Uploads past the parser's limits (a multipart file, field, part count or body too large).
        // The multipart parser's limits surface as defects of the payload decoding, not failures.
        const multipart = Cause.squash(cause) as { readonly _tag?: string; readonly reason?: { readonly _tag?: string } } | undefined
        if (multipart?._tag === "MultipartError" && multipart.reason?._tag === "Parse") {
          return Effect.succeed(problem(400, "malformed_request", "Malformed request", "Le corps de la requête est illisible."))
        }
        if (multipart?._tag === "MultipartError" && multipart.reason?._tag !== "InternalError") {
          return Effect.succeed(problem(413, "file_too_large", "Payload too large", "Envoi trop lourd : 5 Mo au plus par fichier."))
        }
        if (Cause.hasInterruptsOnly(cause)) return Effect.failCause(cause)
        return Effect.logError("request failed", cause).pipe(
          Effect.as(problem(500, "internal_error", "Internal error", "Une erreur interne est survenue. Réessayez dans un instant."))
        )
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
    return HttpServerResponse.setHeader(response, "x-request-id", requestId)
  }), { global: true })
}
