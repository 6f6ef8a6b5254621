import { assert, layer } from "@effect/vitest"
import { Context, Effect, Exit, Layer } from "effect"
import { describeFailure } from "@nelo/adapters/logging/describeFailure"
import { PaymentGatewaysFromConfig } from "@nelo/adapters/payments/PaymentGatewaysFromConfig"
import { type GatewayClient, PaymentGateways } from "@nelo/domain/payments/PaymentGateway"
import { captureLogs } from "../../support/captureLogs.ts"
import { cinetpayNotification, cinetpayToken, cinetpayTokenOrder, fakeCinetPay } from "../../support/fakeCinetPay.ts"
import { withEnv } from "../../support/withEnv.ts"
import { type Xof, xof } from "@nelo/domain/shared/Xof"

const apiKey = "12912847765bc0db748fdd44.40081707"
const siteId = "445160"
const secretKey = "202783455685bd868b44665.45198979"
const payerPhone = "+2250701020304"
const newIntentId = () => `intent-${crypto.randomUUID()}`

const noGatewayEnv = {
  WAVE_API_KEY: undefined, WAVE_WEBHOOK_SECRETS: undefined, WAVE_BASE_URL: undefined,
  CINETPAY_API_KEY: undefined, CINETPAY_SITE_ID: undefined, CINETPAY_SECRET_KEY: undefined, CINETPAY_BASE_URL: undefined,
  PUBLIC_API_URL: undefined, PAYMENT_SUCCESS_URL: undefined, PAYMENT_ERROR_URL: undefined, PAYMENT_REQUEST_TIMEOUT_MS: undefined
}
const cinetpayEnv = { CINETPAY_API_KEY: apiKey, CINETPAY_SITE_ID: siteId, CINETPAY_SECRET_KEY: secretKey, PUBLIC_API_URL: "https://api.nelo.ci/" }

/** PaymentGateways as the apps build it, from these variables only, with its start-up logs kept. */
const gatewaysFrom = (env: Record<string, string | undefined>) => {
  const logs = captureLogs()
  return Layer.build(PaymentGatewaysFromConfig.pipe(Layer.provide([withEnv({ ...noGatewayEnv, ...env }), logs.layer]))).pipe(
    Effect.map((context) => ({ gateways: Context.get(context, PaymentGateways), logs: logs.lines }))
  )
}

const cinetpayAt = (baseUrl: string, env: Record<string, string> = {}) =>
  gatewaysFrom({ ...cinetpayEnv, CINETPAY_BASE_URL: baseUrl, ...env }).pipe(Effect.map(({ gateways }) => gateways.cinetpay!))

const description = "Recharge du portefeuille NELO : 5000 F CFA"
const open = (client: GatewayClient, intentId: string, amountXof = 5_000, phone = payerPhone) =>
  // Not through xof(): the gateway's own refusal of what is not whole francs is under test too.
  client.createCheckout({ intentId, amountXof: amountXof as Xof, payerPhone: phone, description })
const statusOf = (client: GatewayClient, intentId: string) => client.checkoutStatus({ intentId, gatewayReference: intentId })

const startupFailure = (env: Record<string, string | undefined>) =>
  Effect.gen(function*() {
    const exit = yield* Effect.exit(gatewaysFrom(env))
    if (Exit.isSuccess(exit)) return assert.fail("expected the configuration to be refused")
    const reason = exit.cause.reasons[0]
    return describeFailure(reason?._tag === "Fail" ? reason.error : exit.cause)
  })

layer(Layer.empty, { excludeTestServices: true })("CinetPayGateway against a fake CinetPay API", (it) => {
  it.effect("initialises a payment with the documented fields, and checks it with apikey, site_id and transaction_id", () =>
    Effect.scoped(Effect.gen(function*() {
      const cinetpay = yield* fakeCinetPay({ apiKey, siteId })
      const client = yield* cinetpayAt(cinetpay.baseUrl)
      const intentId = newIntentId()
      const checkout = yield* open(client, intentId)
      const [initialise] = cinetpay.requests
      assert.strictEqual(initialise!.method, "POST")
      assert.strictEqual(initialise!.url, "/v2/payment")
      assert.strictEqual(initialise!.headers["content-type"], "application/json")
      assert.deepStrictEqual(JSON.parse(initialise!.body), {
        apikey: apiKey,
        site_id: siteId,
        transaction_id: intentId,
        amount: 5000,
        currency: "XOF",
        description,
        notify_url: "https://api.nelo.ci/api/v1/payments/webhooks/cinetpay",
        return_url: "https://nelo.ci/paiement/termine",
        channels: "ALL",
        lang: "fr",
        customer_phone_number: "0701020304"
      })
      assert.strictEqual(checkout.gatewayReference, intentId)
      assert.match(checkout.paymentUrl, /^https:\/\/checkout\.cinetpay\.com\/payment\/[0-9a-f]{32}$/u)

      yield* statusOf(client, intentId)
      const check = cinetpay.requests[1]!
      assert.strictEqual(check.url, "/v2/payment/check")
      assert.deepStrictEqual(JSON.parse(check.body), { apikey: apiKey, site_id: siteId, transaction_id: intentId })
      assert.deepStrictEqual(cinetpay.problems, [])
    })))

  it.effect("a description loses the characters CinetPay's page cannot take; a foreign payer's number is not prefilled", () =>
    Effect.scoped(Effect.gen(function*() {
      const cinetpay = yield* fakeCinetPay({ apiKey, siteId })
      const client = yield* cinetpayAt(cinetpay.baseUrl)
      yield* client.createCheckout({ intentId: newIntentId(), amountXof: xof(5_000), payerPhone: "+33612345678", description: "Recharge #12 / 5000$ & co_test" })
      const body = JSON.parse(cinetpay.requests[0]!.body) as Record<string, unknown>
      assert.strictEqual(body.description, "Recharge 12 5000 co test")
      assert.notProperty(body, "customer_phone_number")
      assert.deepStrictEqual(cinetpay.problems, [])
    })))

  it.effect("a refusal comes as a code, under HTTP 200 as well as 4xx: GatewayRefused with code and message, never the key", () =>
    Effect.scoped(Effect.gen(function*() {
      const cinetpay = yield* fakeCinetPay({ apiKey, siteId })
      const stranger = yield* cinetpayAt(cinetpay.baseUrl, { CINETPAY_API_KEY: "not-our-apikey" })
      const unauthorized = yield* Effect.flip(open(stranger, newIntentId()))
      assert.strictEqual(unauthorized._tag, "GatewayRefused")
      assert.match(unauthorized.detail, /^code 609 AUTH_NOT_FOUND/u)
      assert.notInclude(unauthorized.detail, "not-our-apikey")
      const unknownCheck = yield* Effect.flip(statusOf(stranger, newIntentId()))
      assert.match(unknownCheck.detail, /^code 609/u)

      const client = yield* cinetpayAt(cinetpay.baseUrl)
      for (const amountXof of [5_002, 95]) {
        const refused = yield* Effect.flip(open(client, newIntentId(), amountXof))
        assert.strictEqual(refused._tag, "GatewayRefused")
        assert.match(refused.detail, /^code 608 MINIMUM_REQUIRED_FIELDS: amount must be an integer multiple of 5/u)
      }
      cinetpay.answerNext(400, "Bad Request")
      assert.deepInclude(yield* Effect.flip(open(client, newIntentId())), { _tag: "GatewayRefused", detail: "HTTP 400: Bad Request" })
    })))

  it.effect("reads the check: 00 + ACCEPTED succeeded, REFUSED failed, the waiting codes pending", () =>
    Effect.scoped(Effect.gen(function*() {
      const cinetpay = yield* fakeCinetPay({ apiKey, siteId })
      const client = yield* cinetpayAt(cinetpay.baseUrl)
      const intentId = newIntentId()
      yield* open(client, intentId)
      for (const [code, message] of [["662", "WAITING_CUSTOMER_PAYMENT"], ["623", "WAITING_CUSTOMER_TO_VALIDATE"], ["663", "WAITING_CUSTOMER_OTP_CODE"]] as const) {
        cinetpay.wait(intentId, code, message)
        assert.deepStrictEqual(yield* statusOf(client, intentId), { state: "pending", amountXof: xof(5000), currency: "XOF", paymentId: null })
      }
      cinetpay.pay(intentId)
      const paid = yield* statusOf(client, intentId)
      assert.deepStrictEqual(paid, { state: "succeeded", amountXof: 5000, currency: "XOF", paymentId: cinetpay.transactionOf(intentId).data.operator_id })

      for (const [code, message] of [["627", "TRANSACTION_CANCEL"], ["600", "PAYMENT_FAILED"], ["602", "INSUFFICIENT_BALANCE"]] as const) {
        const refused = newIntentId()
        yield* open(client, refused)
        cinetpay.refuse(refused, code, message)
        assert.deepStrictEqual(yield* statusOf(client, refused), { state: "failed", amountXof: xof(5000), currency: "XOF", paymentId: null })
      }
    })))

  it.effect("a code and a status that disagree are refused, never credited nor closed", () =>
    Effect.scoped(Effect.gen(function*() {
      const cinetpay = yield* fakeCinetPay({ apiKey, siteId })
      const client = yield* cinetpayAt(cinetpay.baseUrl)
      const intentId = newIntentId()
      yield* open(client, intentId)
      const data = { amount: "5000", currency: "XOF", payment_method: "OM", operator_id: "MP1", payment_date: "2026-11-26 09:05:00" }
      cinetpay.answerNext(200, JSON.stringify({ code: "00", message: "SUCCES", data: { ...data, status: "REFUSED" } }))
      cinetpay.answerNext(200, JSON.stringify({ code: "627", message: "TRANSACTION_CANCEL", data: { ...data, status: "ACCEPTED" } }))
      cinetpay.answerNext(200, JSON.stringify({ code: "00", message: "SUCCES", data: { ...data, status: "WAITING_FOR_CUSTOMER" } }))
      for (let attempt = 0; attempt < 3; attempt++) {
        const failure = yield* Effect.flip(statusOf(client, intentId))
        assert.strictEqual(failure._tag, "GatewayRefused")
        assert.match(failure.detail, /^inconsistent answer/u)
      }
    })))

  it.effect("an amount with decimals is GatewayRefused as malformed; numbers where strings are documented are read as such", () =>
    Effect.scoped(Effect.gen(function*() {
      const cinetpay = yield* fakeCinetPay({ apiKey, siteId })
      const client = yield* cinetpayAt(cinetpay.baseUrl)
      const intentId = newIntentId()
      yield* open(client, intentId)
      for (const amount of ["5000.5", "5000.00", 5000.5, "5 000"]) {
        cinetpay.pay(intentId, { amount })
        const failure = yield* Effect.flip(statusOf(client, intentId))
        assert.strictEqual(failure._tag, "GatewayRefused", String(amount))
        assert.match(failure.detail, /^malformed amount/u)
      }
      cinetpay.pay(intentId, { amount: 5000 })
      cinetpay.transactionOf(intentId).data.operator_id = 2026112609
      assert.deepInclude(yield* statusOf(client, intentId), { state: "succeeded", amountXof: xof(5000), paymentId: "2026112609" })
    })))

  it.effect("an unknown transaction is refused; a reference that is not the intent's id is refused before any request", () =>
    Effect.scoped(Effect.gen(function*() {
      const cinetpay = yield* fakeCinetPay({ apiKey, siteId })
      const client = yield* cinetpayAt(cinetpay.baseUrl)
      assert.strictEqual((yield* Effect.flip(statusOf(client, newIntentId())))._tag, "GatewayRefused")
      const mixedUp = yield* Effect.flip(client.checkoutStatus({ intentId: newIntentId(), gatewayReference: newIntentId() }))
      assert.strictEqual(mixedUp._tag, "GatewayRefused")
      assert.strictEqual(cinetpay.requests.length, 1)
    })))

  it.effect("5xx and 429 are GatewayUnavailable whatever the body; a 2xx without the envelope too", () =>
    Effect.scoped(Effect.gen(function*() {
      const cinetpay = yield* fakeCinetPay({ apiKey, siteId })
      const client = yield* cinetpayAt(cinetpay.baseUrl)
      const intentId = newIntentId()
      yield* open(client, intentId)
      cinetpay.answerNext(500, JSON.stringify({ code: "627", message: "TRANSACTION_CANCEL" }))
      cinetpay.answerNext(429, "Too Many Requests")
      cinetpay.answerNext(200, "<html>maintenance</html>")
      cinetpay.answerNext(200, JSON.stringify({ code: "201", message: "CREATED", data: { payment_url: "http://not-https" } }))
      const reads = [statusOf(client, intentId), statusOf(client, intentId), statusOf(client, intentId)].map(Effect.asVoid)
      for (const run of [...reads, Effect.asVoid(open(client, newIntentId()))]) {
        assert.strictEqual((yield* Effect.flip(run))._tag, "GatewayUnavailable")
      }
      // A paid code without the payment's data says nothing to credit on: refused, asked again later.
      cinetpay.answerNext(200, JSON.stringify({ code: "00", message: "SUCCES" }))
      assert.match((yield* Effect.flip(statusOf(client, intentId))).detail, /^inconsistent answer/u)
    })))

  it.effect("no answer within PAYMENT_REQUEST_TIMEOUT_MS is GatewayUnavailable, within that time", () =>
    Effect.scoped(Effect.gen(function*() {
      const cinetpay = yield* fakeCinetPay({ apiKey, siteId })
      const client = yield* cinetpayAt(cinetpay.baseUrl, { PAYMENT_REQUEST_TIMEOUT_MS: "300" })
      cinetpay.setDelay(5_000)
      const started = Date.now()
      const failure = yield* Effect.flip(open(client, newIntentId()))
      const elapsedMs = Date.now() - started
      assert.deepInclude(failure, { _tag: "GatewayUnavailable", detail: "no answer within 300 ms" })
      assert.isTrue(elapsedMs >= 280 && elapsedMs < 1_500, `took ${elapsedMs} ms`)
    })))
})

layer(Layer.empty, { excludeTestServices: true })("CinetPayGateway notifications", (it) => {
  const client = cinetpayAt("http://127.0.0.1:1")
  const notification = (fields: Record<string, string | undefined> = {}, transactionId = newIntentId()) =>
    cinetpayNotification({ secretKey, siteId, transactionId, fields, receivedAtMs: Date.parse("2026-11-26T09:05:02Z") })
  const reasonOf = (cinetpay: GatewayClient, request: ReturnType<typeof notification>) =>
    Effect.flip(cinetpay.verifyWebhook(request)).pipe(Effect.map((rejection) => rejection.reason))

  it.effect("a notification signed over the documented field order verifies: its token is the event id", () =>
    Effect.scoped(Effect.gen(function*() {
      const cinetpay = yield* client
      const intentId = newIntentId()
      const request = notification({}, intentId)
      const verified = yield* cinetpay.verifyWebhook(request)
      assert.deepStrictEqual(verified, {
        eventId: request.headers["x-token"]!,
        type: "payment.notification",
        intentId,
        gatewayReference: intentId,
        payload: request.fields
      })
      // Spaces and ':' travel form-encoded; the token is over the decoded values, as PHP's $_POST gives them.
      assert.include(request.rawBody, "Recharge+du+portefeuille+NELO+%3A+5000+F+CFA")
      // A token in capitals is the same token.
      const shouted = yield* cinetpay.verifyWebhook({ ...request, headers: { "x-token": request.headers["x-token"]!.toUpperCase() } })
      assert.strictEqual(shouted.eventId, verified.eventId)
    })))

  it.effect("a token over the fields in another order (cpm_trans_id first, as one list of the docs shows) is refused", () =>
    Effect.scoped(Effect.gen(function*() {
      const cinetpay = yield* client
      const request = notification()
      const swapped = ["cpm_trans_id", "cpm_site_id", ...cinetpayTokenOrder.slice(2)]
      const token = cinetpayToken(secretKey, request.fields, swapped)
      assert.notStrictEqual(token, request.headers["x-token"])
      assert.strictEqual(yield* reasonOf(cinetpay, { ...request, headers: { "x-token": token } }), "signature_invalid")
      const withoutErrorMessage = cinetpayToken(secretKey, request.fields, cinetpayTokenOrder.slice(0, -1))
      assert.strictEqual(yield* reasonOf(cinetpay, { ...request, headers: { "x-token": withoutErrorMessage } }), "signature_invalid")
    })))

  it.effect("a changed field (the amount) breaks the token; a missing token is signature_missing", () =>
    Effect.scoped(Effect.gen(function*() {
      const cinetpay = yield* client
      const request = notification()
      const raised = { ...request, rawBody: request.rawBody.replace("cpm_amount=5000", "cpm_amount=50000") }
      assert.notStrictEqual(raised.rawBody, request.rawBody)
      assert.strictEqual(yield* reasonOf(cinetpay, raised), "signature_invalid")
      assert.strictEqual(yield* reasonOf(cinetpay, { ...request, headers: {} }), "signature_missing")
      assert.strictEqual(yield* reasonOf(cinetpay, { ...request, headers: { "x-token": " " } }), "signature_missing")
      assert.strictEqual(yield* reasonOf(cinetpay, { ...request, headers: { "x-token": "not-hex" } }), "signature_invalid")
    })))

  it.effect("a notification correctly signed, but for another site id, is refused as signature_invalid", () =>
    Effect.scoped(Effect.gen(function*() {
      const cinetpay = yield* client
      assert.strictEqual(yield* reasonOf(cinetpay, notification({ cpm_site_id: "999999" })), "signature_invalid")
      assert.strictEqual(yield* reasonOf(cinetpay, notification({ cpm_site_id: undefined })), "signature_invalid")
    })))

  it.effect("correctly signed without cpm_trans_id, or with a signed field twice, is body_malformed", () =>
    Effect.scoped(Effect.gen(function*() {
      const cinetpay = yield* client
      assert.strictEqual(yield* reasonOf(cinetpay, notification({ cpm_trans_id: undefined })), "body_malformed")
      assert.strictEqual(yield* reasonOf(cinetpay, notification({ cpm_trans_id: "" })), "body_malformed")
      const request = notification()
      const twice = { ...request, rawBody: `${request.rawBody}&cpm_amount=1` }
      // The token covers the first value only, so it still matches: the duplicate alone refuses it.
      assert.strictEqual(yield* reasonOf(cinetpay, twice), "body_malformed")
    })))

  it.effect("the same notification again has the same event id; another one about the same payment has another", () =>
    Effect.scoped(Effect.gen(function*() {
      const cinetpay = yield* client
      const intentId = newIntentId()
      const waiting = notification({ cpm_error_message: "WAITING_CUSTOMER_PAYMENT", signature: "s1" }, intentId)
      const accepted = notification({ cpm_error_message: "SUCCES", signature: "s1" }, intentId)
      const first = yield* cinetpay.verifyWebhook(waiting)
      assert.strictEqual((yield* cinetpay.verifyWebhook(waiting)).eventId, first.eventId)
      const second = yield* cinetpay.verifyWebhook(accepted)
      assert.notStrictEqual(second.eventId, first.eventId)
      assert.strictEqual(second.intentId, intentId)
      // No timestamp is signed: a day-old notification verifies; the event id and the check API guard it.
      assert.strictEqual((yield* cinetpay.verifyWebhook({ ...waiting, receivedAtMs: waiting.receivedAtMs + 86_400_000 })).eventId, first.eventId)
    })))
})

layer(Layer.empty, { excludeTestServices: true })("PaymentGatewaysFromConfig: CinetPay", (it) => {
  it.effect("with all its variables CinetPay is on, beside Wave, and start-up says both", () =>
    Effect.scoped(Effect.gen(function*() {
      const { gateways, logs } = yield* gatewaysFrom({ ...cinetpayEnv, WAVE_API_KEY: "wave-key", WAVE_WEBHOOK_SECRETS: "wave-secret" })
      assert.strictEqual(gateways.cinetpay?.gateway, "cinetpay")
      assert.strictEqual(gateways.wave?.gateway, "wave")
      assert.deepInclude(logs[0]!, { level: "INFO", message: "payment gateways: Wave enabled, CinetPay enabled" })
      const printed = JSON.stringify(logs)
      for (const secret of [apiKey, secretKey, "wave-key", "wave-secret"]) assert.notInclude(printed, secret)
    })))

  it.effect("without its variables CinetPay is off while Wave runs", () =>
    Effect.scoped(Effect.gen(function*() {
      const { gateways, logs } = yield* gatewaysFrom({ WAVE_API_KEY: "wave-key", WAVE_WEBHOOK_SECRETS: "wave-secret", CINETPAY_API_KEY: "" })
      assert.isUndefined(gateways.cinetpay)
      assert.deepInclude(logs[0]!, { message: "payment gateways: Wave enabled, CinetPay disabled" })
    })))

  it.effect("some of CinetPay's variables, or all without PUBLIC_API_URL, stop start-up naming what is missing", () =>
    Effect.gen(function*() {
      assert.match(
        yield* startupFailure({ CINETPAY_API_KEY: apiKey, CINETPAY_SITE_ID: siteId, PUBLIC_API_URL: "https://api.nelo.ci" }),
        /^CINETPAY_SECRET_KEY: required as CINETPAY_API_KEY, CINETPAY_SITE_ID are set/u
      )
      assert.match(yield* startupFailure({ CINETPAY_SECRET_KEY: secretKey }), /^CINETPAY_API_KEY, CINETPAY_SITE_ID: required as CINETPAY_SECRET_KEY is set/u)
      assert.strictEqual(
        yield* startupFailure({ ...cinetpayEnv, PUBLIC_API_URL: undefined }),
        "PUBLIC_API_URL: required when CinetPay is configured (its notifications go to PUBLIC_API_URL/api/v1/payments/webhooks/cinetpay)"
      )
      assert.match(yield* startupFailure({ ...cinetpayEnv, CINETPAY_SITE_ID: "445 160" }), /^CINETPAY_SITE_ID: expected the site id/u)
    }))
})
