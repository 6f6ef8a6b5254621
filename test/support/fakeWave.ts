import { createHmac, randomBytes } from "node:crypto"
import type { ServerResponse } from "node:http"
import { Effect } from "effect"
import type { WebhookRequest } from "@nelo/domain/payments/PaymentGateway"
import { fakeHttpServer, type RecordedRequest } from "./fakeHttpServer.ts"

/** A checkout session as Wave's API returns it (REFERENCE.md, "Wave Business API"). */
export interface WaveSession {
  id: string
  amount: string
  currency: string
  checkout_status: "open" | "complete" | "expired"
  payment_status: "processing" | "cancelled" | "succeeded" | "refunded"
  client_reference: string | null
  restrict_payer_mobile: string | null
  success_url: string
  error_url: string
  business_name: string
  wave_launch_url: string
  last_payment_error: { code: string; message: string } | null
  transaction_id: string | null
  when_created: string
  when_expires: string
  when_completed: string | null
}

/** A payout as Wave's Payout API returns it (REFERENCE.md, "Wave Business API"; the brief's fields). */
export interface WavePayout {
  id: string
  currency: string
  receive_amount: string
  fee: string
  mobile: string
  name: string | null
  client_reference: string | null
  payment_reason: string | null
  status: "processing" | "succeeded" | "failed" | "reversed" | (string & {})
  timestamp: string
  payout_error?: { error_code: string; error_message: string }
}

const payoutFields = new Set(["currency", "receive_amount", "mobile", "name", "national_id", "payment_reason", "client_reference", "aggregated_merchant_id"])

const createFields = new Set(["amount", "currency", "error_url", "success_url", "client_reference", "restrict_payer_mobile", "aggregated_merchant_id"])

/**
 * Wave's Checkout API (and Payout API, below) on a local port, as the docs describe it, and strict about what it is sent:
 * the bearer key (401 with Wave's error codes otherwise), the amount as a string of whole francs,
 * XOF, https return URLs, an E.164 payer. A POST without idempotency-key is answered but noted in
 * `problems`, which every test expects empty. Controls settle sessions as a payer would, or make the
 * API fail (5xx, 429, a garbled answer) or answer later than the client waits.
 */
export const fakeWave = (options: { readonly apiKey: string }) =>
  Effect.gen(function*() {
    const sessions = new Map<string, WaveSession>()
    const idempotency = new Map<string, { readonly body: string; readonly sessionId: string }>()
    const problems: Array<string> = []
    const scriptedAnswers: Array<{ readonly status: number; readonly body: string; readonly contentType: string }> = []
    let unavailable = false
    let delayMs = 0
    const payouts = new Map<string, WavePayout>()
    const payoutOrder: Array<string> = []
    const payoutKeys = new Map<string, { readonly body: string; readonly payoutId: string }>()
    const refusedMobiles = new Set<string>()
    let holdPayouts = false
    let failures: { count: number; status: number } = { count: 0, status: 500 }
    let delayNextPayoutMs = 0

    const send = (response: ServerResponse, status: number, body: string, contentType = "application/json") => {
      const write = () => {
        if (response.destroyed) return
        response.writeHead(status, { "content-type": contentType })
        response.end(body)
      }
      if (delayMs > 0) setTimeout(write, delayMs).unref()
      else write()
    }
    const json = (response: ServerResponse, status: number, body: unknown) => send(response, status, JSON.stringify(body))
    const refuse = (response: ServerResponse, status: number, error_code: string, message: string) => json(response, status, { message, error_code })

    const createSession = (request: RecordedRequest, response: ServerResponse) => {
      if (!String(request.headers["content-type"]).startsWith("application/json")) problems.push("POST /v1/checkout/sessions without a JSON content-type")
      let body: Record<string, unknown>
      try {
        body = JSON.parse(request.body) as Record<string, unknown>
      } catch {
        return refuse(response, 400, "request-validation-error", "body is not JSON")
      }
      for (const field of Object.keys(body)) if (!createFields.has(field)) problems.push(`unexpected field ${field}`)
      if (typeof body.amount !== "string" || !/^[1-9]\d*$/u.test(body.amount)) {
        return refuse(response, 400, "request-validation-error", "amount: a string of whole francs is expected for XOF")
      }
      if (body.currency !== "XOF") return refuse(response, 400, "request-validation-error", "currency: XOF expected")
      // [?] https required for the return pages, as the Wave integrations seen do; relax here if Wave takes http.
      for (const field of ["success_url", "error_url"]) {
        if (typeof body[field] !== "string" || !/^https:\/\/\S+$/u.test(body[field])) return refuse(response, 400, "request-validation-error", `${field}: an https URL is expected`)
      }
      if (body.client_reference !== undefined && (typeof body.client_reference !== "string" || body.client_reference.length > 255)) {
        return refuse(response, 400, "request-validation-error", "client_reference: at most 255 characters")
      }
      if (body.restrict_payer_mobile !== undefined && (typeof body.restrict_payer_mobile !== "string" || !/^\+\d{8,15}$/u.test(body.restrict_payer_mobile))) {
        return refuse(response, 400, "request-validation-error", "restrict_payer_mobile: an E.164 number is expected")
      }
      const key = request.headers["idempotency-key"]
      if (typeof key !== "string" || key === "") problems.push("POST /v1/checkout/sessions without idempotency-key")
      else {
        const seen = idempotency.get(key)
        // [?] Wave's answer to a key reused with another body is not documented; Stripe-like 422 here.
        if (seen && seen.body !== request.body) return refuse(response, 422, "idempotency-mismatch", "idempotency-key reused with another body")
        if (seen) return json(response, 200, sessions.get(seen.sessionId))
      }
      const id = `cos-${randomBytes(8).toString("hex")}`
      const now = Date.now()
      const session: WaveSession = {
        id,
        amount: body.amount,
        currency: "XOF",
        checkout_status: "open",
        payment_status: "processing",
        client_reference: typeof body.client_reference === "string" ? body.client_reference : null,
        restrict_payer_mobile: typeof body.restrict_payer_mobile === "string" ? body.restrict_payer_mobile : null,
        success_url: body.success_url as string,
        error_url: body.error_url as string,
        business_name: "NELO",
        wave_launch_url: `https://pay.wave.com/c/${id}?a=${body.amount}&c=XOF&m=NELO`,
        last_payment_error: null,
        transaction_id: null,
        when_created: new Date(now).toISOString(),
        when_expires: new Date(now + 30 * 60_000).toISOString(),
        when_completed: null
      }
      sessions.set(id, session)
      if (typeof key === "string" && key !== "") idempotency.set(key, { body: request.body, sessionId: id })
      json(response, 200, session)
    }

    /**
     * POST /v1/checkout/sessions/:id/refund [D]: the whole amount back to the payer. [?] What Wave
     * answers is not documented beyond success: 200 with an empty object here, a refusal with an
     * error_code for a session that is not paid or already refunded (the same idempotency key gets
     * the first answer again), and for payers the test marks unrefundable.
     */
    const refundedKeys = new Set<string>()
    const refundSession = (request: RecordedRequest, response: ServerResponse, sessionId: string) => {
      const session = sessions.get(sessionId)
      if (!session) return refuse(response, 404, "checkout-session-not-found", "No checkout session with this id.")
      const key = request.headers["idempotency-key"]
      if (typeof key !== "string" || key === "") problems.push(`POST /v1/checkout/sessions/${sessionId}/refund without idempotency-key`)
      else if (refundedKeys.has(key)) return json(response, 200, {})
      if (session.payment_status === "refunded") return refuse(response, 400, "checkout-session-already-refunded", "This checkout session was already refunded.")
      if (session.checkout_status !== "complete" || session.payment_status !== "succeeded") {
        return refuse(response, 400, "checkout-session-not-refundable", "Only a completed, paid checkout session can be refunded.")
      }
      if (unrefundable.has(sessionId)) return refuse(response, 400, "refund-failed", "The refund could not be made to the payer's account.")
      Object.assign(session, { payment_status: "refunded" })
      refunds.push({ sessionId, amount: session.amount })
      if (typeof key === "string" && key !== "") refundedKeys.add(key)
      json(response, 200, {})
    }
    const refunds: Array<{ readonly sessionId: string; readonly amount: string }> = []
    const unrefundable = new Set<string>()

    /**
     * POST /v1/payout [D]. Strict as the checkout part: a JSON body, receive_amount a string of whole
     * francs, XOF, an E.164 mobile (400 request-validation-error otherwise, and noted in `problems`:
     * our client must never send those). [?] Wave's answer to a key reused with another body is not
     * documented: 422 idempotency-mismatch here, as the checkout part answers. [?] A number Wave
     * cannot pay (refusePayoutsTo) is refused outright with 400 recipient-not-payable rather than a
     * payout created failed; the client reads a failed payout too.
     */
    const createPayout = (request: RecordedRequest, response: ServerResponse) => {
      if (!String(request.headers["content-type"]).startsWith("application/json")) problems.push("POST /v1/payout without a JSON content-type")
      let body: Record<string, unknown>
      try {
        body = JSON.parse(request.body) as Record<string, unknown>
      } catch {
        problems.push("POST /v1/payout with a body that is not JSON")
        return refuse(response, 400, "request-validation-error", "body is not JSON")
      }
      for (const field of Object.keys(body)) if (!payoutFields.has(field)) problems.push(`POST /v1/payout: unexpected field ${field}`)
      if (typeof body.receive_amount !== "string" || !/^[1-9]\d*$/u.test(body.receive_amount)) {
        problems.push(`POST /v1/payout: receive_amount ${JSON.stringify(body.receive_amount)} is not a string of whole francs`)
        return refuse(response, 400, "request-validation-error", "receive_amount: a string of whole francs is expected for XOF")
      }
      if (body.currency !== "XOF") {
        problems.push(`POST /v1/payout: currency ${JSON.stringify(body.currency)}`)
        return refuse(response, 400, "request-validation-error", "currency: XOF expected")
      }
      if (typeof body.mobile !== "string" || !/^\+\d{8,15}$/u.test(body.mobile)) {
        problems.push(`POST /v1/payout: mobile ${JSON.stringify(body.mobile)} is not E.164`)
        return refuse(response, 400, "request-validation-error", "mobile: an E.164 number is expected")
      }
      if (body.client_reference !== undefined && (typeof body.client_reference !== "string" || body.client_reference.length > 255)) {
        return refuse(response, 400, "request-validation-error", "client_reference: at most 255 characters")
      }
      const key = request.headers["idempotency-key"]
      if (typeof key !== "string" || key === "") problems.push("POST /v1/payout without idempotency-key")
      else {
        const seen = payoutKeys.get(key)
        if (seen && seen.body !== request.body) return refuse(response, 422, "idempotency-mismatch", "idempotency-key reused with another body")
        if (seen) return json(response, 200, payouts.get(seen.payoutId))
      }
      if (refusedMobiles.has(body.mobile)) return refuse(response, 400, "recipient-not-payable", "This mobile number cannot receive payouts.")
      const payout: WavePayout = {
        id: `pt-${randomBytes(8).toString("hex")}`,
        currency: "XOF",
        receive_amount: body.receive_amount,
        fee: "0",
        mobile: body.mobile,
        name: typeof body.name === "string" ? body.name : null,
        client_reference: typeof body.client_reference === "string" ? body.client_reference : null,
        payment_reason: typeof body.payment_reason === "string" ? body.payment_reason : null,
        status: holdPayouts ? "processing" : "succeeded",
        timestamp: new Date().toISOString()
      }
      payouts.set(payout.id, payout)
      payoutOrder.push(payout.id)
      if (typeof key === "string" && key !== "") payoutKeys.set(key, { body: request.body, payoutId: payout.id })
      if (delayNextPayoutMs > 0) {
        // The payout is made; its answer comes too late for the client (a lost answer).
        const late = delayNextPayoutMs
        delayNextPayoutMs = 0
        setTimeout(() => {
          if (response.destroyed) return
          response.writeHead(200, { "content-type": "application/json" })
          response.end(JSON.stringify(payout))
        }, late).unref()
        return
      }
      json(response, 200, payout)
    }

    const payoutRoutes = (request: RecordedRequest, response: ServerResponse) => {
      const url = new URL(request.url, "http://fake.wave")
      if (request.method === "POST" && url.pathname === "/v1/payout") {
        createPayout(request, response)
        return true
      }
      const read = /^\/v1\/payout\/([^/]+)$/u.exec(url.pathname)
      if (request.method === "GET" && read) {
        const payout = payouts.get(decodeURIComponent(read[1]!))
        // [?] The not-found answer is not documented: 404 payout-not-found here.
        if (payout) json(response, 200, payout)
        else refuse(response, 404, "payout-not-found", "No payout with this id.")
        return true
      }
      if (request.method === "GET" && url.pathname === "/v1/payouts/search") {
        const reference = url.searchParams.get("client_reference")
        if (reference === null || reference === "") {
          refuse(response, 400, "request-validation-error", "client_reference is required")
          return true
        }
        json(response, 200, { result: payoutOrder.map((id) => payouts.get(id)!).filter((payout) => payout.client_reference === reference) })
        return true
      }
      return false
    }

    const server = yield* fakeHttpServer((request, response) => {
      const scripted = scriptedAnswers.shift()
      if (scripted) return send(response, scripted.status, scripted.body, scripted.contentType)
      if (unavailable) return refuse(response, 503, "service-unavailable", "Service temporarily unavailable")
      if (failures.count > 0) {
        failures.count--
        return failures.status === 429
          ? refuse(response, 429, "rate-limit-exceeded", "Too many requests.")
          : refuse(response, failures.status, "internal-server-error", "Internal error")
      }
      const authorization = request.headers.authorization
      if (authorization === undefined) return refuse(response, 401, "missing-auth-header", "Your request should include an HTTP auth header.")
      if (!authorization.startsWith("Bearer ")) return refuse(response, 401, "invalid-auth", "Your HTTP auth header can't be processed.")
      if (authorization.slice("Bearer ".length) !== options.apiKey) return refuse(response, 401, "no-matching-api-key", "The API key is not valid.")
      if (request.method === "POST" && request.url === "/v1/checkout/sessions") return createSession(request, response)
      if (payoutRoutes(request, response)) return
      const refund = /^\/v1\/checkout\/sessions\/([^/?]+)\/refund$/u.exec(request.url)
      if (request.method === "POST" && refund) return refundSession(request, response, decodeURIComponent(refund[1]!))
      const read = /^\/v1\/checkout\/sessions\/([^/?]+)$/u.exec(request.url)
      if (request.method === "GET" && read) {
        const session = sessions.get(decodeURIComponent(read[1]!))
        return session ? json(response, 200, session) : refuse(response, 404, "checkout-session-not-found", "No checkout session with this id.")
      }
      refuse(response, 404, "not-found", `${request.method} ${request.url} is not an endpoint`)
    })

    const sessionOf = (intentId: string) => {
      const found = [...sessions.values()].filter((session) => session.client_reference === intentId).at(-1)
      if (!found) throw new Error(`fake Wave: no session for intent ${intentId}`)
      return found
    }

    return {
      ...server,
      sessions,
      problems,
      sessionOf,
      /** The payer pays; `overrides` changes what the session reports (another amount, currency). */
      pay: (intentId: string, overrides: { readonly amount?: string; readonly currency?: string } = {}) => {
        const session = sessionOf(intentId)
        Object.assign(session, {
          checkout_status: "complete",
          payment_status: "succeeded",
          transaction_id: `T_${randomBytes(6).toString("hex").toUpperCase()}`,
          when_completed: new Date().toISOString(),
          ...overrides
        })
      },
      /** The payer cancels one attempt: the checkout stays open, the payer may try again. */
      cancelPayment: (intentId: string) => {
        Object.assign(sessionOf(intentId), { payment_status: "cancelled", last_payment_error: { code: "payer-cancelled", message: "The payer cancelled the payment." } })
      },
      expire: (intentId: string) => {
        Object.assign(sessionOf(intentId), { checkout_status: "expired", when_completed: new Date().toISOString() })
      },
      /** Every refund made, in order. */
      refunds,
      /** The intent's payer cannot be refunded: Wave refuses the refund. */
      refuseRefund: (intentId: string) => {
        unrefundable.add(sessionOf(intentId).id)
      },
      /** While true, every request gets a 503. */
      setUnavailable: (value: boolean) => {
        unavailable = value
      },
      /** The next request gets this answer instead of the API's. */
      answerNext: (status: number, body: string, contentType = "application/json") => {
        scriptedAnswers.push({ status, body, contentType })
      },
      /** Every answer waits this long first (0: at once). */
      setDelay: (milliseconds: number) => {
        delayMs = milliseconds
      },
      /** Every payout made, by id. */
      payouts,
      /** Every payout made, once each, in the order Wave made them. */
      payoutsCreated: () => payoutOrder.map((id) => payouts.get(id)!),
      /** The payout made under our reference (the client's payout id). */
      payoutOf: (clientReference: string) => {
        const found = payoutOrder.map((id) => payouts.get(id)!).filter((payout) => payout.client_reference === clientReference).at(-1)
        if (!found) throw new Error(`fake Wave: no payout for ${clientReference}`)
        return found
      },
      /** From now on new payouts stay processing until settled; otherwise they succeed at once. */
      holdPayouts: (hold: boolean) => {
        holdPayouts = hold
      },
      /** Wave's verdict on a payout: succeeded, failed (with a payout_error) or reversed. */
      settlePayout: (clientReference: string, status: "succeeded" | "failed" | "reversed" | (string & {}), error?: { readonly error_code: string; readonly error_message: string }) => {
        const found = [...payouts.values()].filter((payout) => payout.client_reference === clientReference).at(-1)
        if (!found) throw new Error(`fake Wave: no payout for ${clientReference}`)
        found.status = status
        if (status === "failed") found.payout_error = error ?? { error_code: "recipient-account-blocked", error_message: "The recipient's account cannot receive money." }
      },
      /** From now on payouts to this number are refused (400 recipient-not-payable). */
      refusePayoutsTo: (mobile: string) => {
        refusedMobiles.add(mobile)
      },
      /** The next `count` requests get this status (500 or 429) before anything is done. */
      failNext: (count: number, status: 500 | 502 | 503 | 429 = 500) => {
        failures = { count, status }
      },
      /** The next payout is made but answered only after `milliseconds` (past the client's timeout: a lost answer). */
      delayNextPayoutAnswer: (milliseconds: number) => {
        delayNextPayoutMs = milliseconds
      }
    }
  })

export type FakeWave = Effect.Success<ReturnType<typeof fakeWave>>

/** Wave's signature header for a body: `t=<unix seconds>,v1=hex(HMAC-SHA256(secret, t + body))`, one v1 per secret. */
export const waveSignatureHeader = (rawBody: string, secrets: string | ReadonlyArray<string>, timestampSeconds: number) =>
  [`t=${timestampSeconds}`, ...[secrets].flat().map((secret) => `v1=${createHmac("sha256", secret).update(`${timestampSeconds}${rawBody}`).digest("hex")}`)].join(",")

/** A webhook as Wave delivers it: the event as JSON, signed at `signedAtMs`, received at `receivedAtMs`. */
export const waveWebhook = (
  event: { readonly id: string; readonly type: string; readonly data: unknown },
  options: { readonly secrets: string | ReadonlyArray<string>; readonly signedAtMs: number; readonly receivedAtMs?: number }
): WebhookRequest => {
  const rawBody = JSON.stringify(event)
  return {
    headers: { "content-type": "application/json", "wave-signature": waveSignatureHeader(rawBody, options.secrets, Math.floor(options.signedAtMs / 1000)) },
    rawBody,
    receivedAtMs: options.receivedAtMs ?? options.signedAtMs
  }
}
