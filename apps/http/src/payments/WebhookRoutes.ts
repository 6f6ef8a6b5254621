import { Cause, Effect, Layer } from "effect"
import { HttpRouter, type HttpServerRequest, HttpServerResponse, ProblemDetails } from "effect/http"
import { Payments } from "@nelo/domain/payments/Payments"
import type { Gateway } from "@nelo/domain/wallet/Account"

// A gateway's notification is a few hundred bytes; anything far larger is not one.
const maximumBodyBytes = 64 * 1024

const problem = (status: number, code: string, message: string) =>
  HttpServerResponse.jsonUnsafe({ type: `urn:nelo:problem:${code}`, title: code, status, code, message }, { status, contentType: ProblemDetails.contentType })

const rejectedMessages = {
  signature_missing: "Signature absente.",
  signature_invalid: "Signature invalide.",
  timestamp_stale: "Horodatage trop ancien ou dans le futur.",
  body_malformed: "Notification illisible."
} as const

/**
 * The gateways' webhooks. Not HttpApi endpoints: their signatures are over the raw bytes, and
 * CinetPay posts a form, not JSON. Each is verified, stored (deduplicated on the gateway's event id)
 * and answered 200 at once; the confirmation with the gateway's API and the credit run after, in
 * the background (and the worker's re-check catches any that a crash interrupts). A replay is
 * answered 200 too, so the gateway stops sending it, and does nothing.
 */
export const WebhookRoutes = Layer.unwrap(Effect.gen(function*() {
  const { receiveWebhook, processWebhook } = yield* Payments

  const receive = (gateway: Gateway) => (request: HttpServerRequest.HttpServerRequest) =>
    Effect.gen(function*() {
      // Refused before reading when announced too large, and after reading when it was not announced.
      if (Number(request.headers["content-length"] ?? 0) > maximumBodyBytes) return problem(413, "payload_too_large", "Notification trop volumineuse.")
      const rawBody = yield* request.text
      if (Buffer.byteLength(rawBody) > maximumBodyBytes) return problem(413, "payload_too_large", "Notification trop volumineuse.")
      const receivedAtMs = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
      const { event, fresh } = yield* receiveWebhook(gateway, { headers: request.headers, rawBody, receivedAtMs })
      if (fresh) {
        yield* Effect.forkDetach(processWebhook(event).pipe(
          Effect.tap((outcome) => Effect.logInfo("webhook processed").pipe(Effect.annotateLogs({ gateway, eventId: event.eventId, outcome }))),
          // A defect too: nothing else watches this fiber, and the re-check will ask the gateway again.
          Effect.catchCause((cause) => Effect.logWarning("webhook processing failed; the re-check job will retry").pipe(Effect.annotateLogs({ gateway, eventId: event.eventId, error: Cause.pretty(cause) })))
        ))
      }
      return HttpServerResponse.jsonUnsafe({ received: true, duplicate: !fresh })
    }).pipe(
      Effect.catchTags({
        WebhookRejected: (error) =>
          Effect.as(Effect.logWarning("webhook rejected").pipe(Effect.annotateLogs({ gateway, reason: error.reason })), problem(401, "webhook_rejected", rejectedMessages[error.reason])),
        GatewayNotConfigured: () => Effect.succeed(problem(404, "not_found", "Passerelle non configurée.")),
        LedgerUnavailable: (error) =>
          Effect.as(Effect.logError("webhook not stored: ledger unavailable").pipe(Effect.annotateLogs({ gateway, cause: String(error.cause) })), problem(503, "service_unavailable", "Réessayez plus tard.")),
        HttpServerError: () => Effect.succeed(problem(400, "malformed_body", "Corps de requête illisible."))
      })
    )

  return Layer.mergeAll(
    HttpRouter.add("POST", "/api/v1/payments/webhooks/wave", receive("wave")),
    HttpRouter.add("POST", "/api/v1/payments/webhooks/cinetpay", receive("cinetpay")),
    // CinetPay checks that its notify_url answers a GET before using it.
    HttpRouter.add("GET", "/api/v1/payments/webhooks/cinetpay", () => Effect.succeed(HttpServerResponse.jsonUnsafe({ ok: true })))
  )
}))
