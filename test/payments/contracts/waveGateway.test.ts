import { assert, layer } from "@effect/vitest"
import { Context, Effect, Exit, Layer } from "effect"
import { describeFailure } from "@nelo/adapters/logging/describeFailure"
import { PaymentGatewaysFromConfig } from "@nelo/adapters/payments/PaymentGatewaysFromConfig"
import { type GatewayClient, PaymentGateways } from "@nelo/domain/payments/PaymentGateway"
import { captureLogs } from "../../support/captureLogs.ts"
import { fakeWave, waveSignatureHeader, waveWebhook } from "../../support/fakeWave.ts"
import { withEnv } from "../../support/withEnv.ts"
import { type Xof, xof } from "@nelo/domain/shared/Xof"

const apiKey = "wave_ci_prod_AbCdEf0123456789"
const previousSecret = "wave_ci_WHS_previous-secret"
const currentSecret = "wave_ci_WHS_current-secret"
const payerPhone = "+2250701020304"
const newIntentId = () => `intent-${crypto.randomUUID()}`

const noGatewayEnv = {
  WAVE_API_KEY: undefined, WAVE_WEBHOOK_SECRETS: undefined, WAVE_BASE_URL: undefined,
  CINETPAY_API_KEY: undefined, CINETPAY_SITE_ID: undefined, CINETPAY_SECRET_KEY: undefined, CINETPAY_BASE_URL: undefined,
  PUBLIC_API_URL: undefined, PAYMENT_SUCCESS_URL: undefined, PAYMENT_ERROR_URL: undefined, PAYMENT_REQUEST_TIMEOUT_MS: undefined
}

/** PaymentGateways as the apps build it, from these variables only, with its start-up logs kept. */
const gatewaysFrom = (env: Record<string, string | undefined>) => {
  const logs = captureLogs()
  return Layer.build(PaymentGatewaysFromConfig.pipe(Layer.provide([withEnv({ ...noGatewayEnv, ...env }), logs.layer]))).pipe(
    Effect.map((context) => ({ gateways: Context.get(context, PaymentGateways), logs: logs.lines }))
  )
}

const waveAt = (baseUrl: string, env: Record<string, string> = {}) =>
  gatewaysFrom({ WAVE_API_KEY: apiKey, WAVE_WEBHOOK_SECRETS: `${previousSecret}, ${currentSecret}`, WAVE_BASE_URL: baseUrl, ...env }).pipe(
    Effect.map(({ gateways }) => gateways.wave!)
  )

const open = (client: GatewayClient, intentId: string, amountXof = 5_000) =>
  // Not through xof(): the gateway's own refusal of what is not whole francs is under test too.
  client.createCheckout({ intentId, amountXof: amountXof as Xof, payerPhone, description: "Recharge du portefeuille NELO : 5000 F CFA" })

const startupFailure = (env: Record<string, string | undefined>) =>
  Effect.gen(function*() {
    const exit = yield* Effect.exit(gatewaysFrom(env))
    if (Exit.isSuccess(exit)) return assert.fail("expected the configuration to be refused")
    const reason = exit.cause.reasons[0]
    return describeFailure(reason?._tag === "Fail" ? reason.error : exit.cause)
  })

layer(Layer.empty, { excludeTestServices: true })("WaveGateway against a fake Wave API", (it) => {
  it.effect("opens a checkout as Wave documents it: bearer key, idempotency-key, amount as a string of francs", () =>
    Effect.scoped(Effect.gen(function*() {
      const wave = yield* fakeWave({ apiKey })
      const client = yield* waveAt(wave.baseUrl)
      const intentId = newIntentId()
      const checkout = yield* open(client, intentId)
      const [request] = wave.requests
      assert.strictEqual(request!.method, "POST")
      assert.strictEqual(request!.url, "/v1/checkout/sessions")
      assert.strictEqual(request!.headers.authorization, `Bearer ${apiKey}`)
      assert.strictEqual(request!.headers["content-type"], "application/json")
      assert.strictEqual(request!.headers["idempotency-key"], intentId)
      assert.deepStrictEqual(JSON.parse(request!.body), {
        amount: "5000",
        currency: "XOF",
        error_url: "https://nelo.ci/paiement/echec",
        success_url: "https://nelo.ci/paiement/termine",
        client_reference: intentId,
        restrict_payer_mobile: payerPhone
      })
      const session = wave.sessionOf(intentId)
      assert.deepStrictEqual(checkout, { gatewayReference: session.id, paymentUrl: session.wave_launch_url })

      yield* client.checkoutStatus({ intentId, gatewayReference: checkout.gatewayReference })
      const read = wave.requests[1]!
      assert.strictEqual(read.method, "GET")
      assert.strictEqual(read.url, `/v1/checkout/sessions/${session.id}`)
      assert.strictEqual(read.headers.authorization, `Bearer ${apiKey}`)
      assert.strictEqual(read.body, "")
      assert.deepStrictEqual(wave.problems, [])
    })))

  it.effect("the same intent opened again (a retry after a lost answer) gets the same session, not a second one", () =>
    Effect.scoped(Effect.gen(function*() {
      const wave = yield* fakeWave({ apiKey })
      const client = yield* waveAt(wave.baseUrl)
      const intentId = newIntentId()
      const first = yield* open(client, intentId)
      const second = yield* open(client, intentId)
      assert.deepStrictEqual(second, first)
      assert.strictEqual(wave.sessions.size, 1)
    })))

  it.effect("a session Wave returns for another amount or intent is refused: the payer is not sent to pay it", () =>
    Effect.scoped(Effect.gen(function*() {
      const wave = yield* fakeWave({ apiKey })
      const client = yield* waveAt(wave.baseUrl)
      const intentId = newIntentId()
      yield* open(client, intentId)
      const other = { ...wave.sessionOf(intentId), amount: "500" }
      wave.answerNext(200, JSON.stringify(other))
      const failure = yield* Effect.flip(open(client, intentId))
      assert.strictEqual(failure._tag, "GatewayRefused")
      assert.match(failure.detail, /does not match/u)
    })))

  it.effect("reads the states: a cancelled attempt stays pending, only payment_status succeeded is paid, expired is expired", () =>
    Effect.scoped(Effect.gen(function*() {
      const wave = yield* fakeWave({ apiKey })
      const client = yield* waveAt(wave.baseUrl)
      const stateOf = (intentId: string) =>
        client.checkoutStatus({ intentId, gatewayReference: wave.sessionOf(intentId).id }).pipe(Effect.map((status) => status.state))

      const retried = newIntentId()
      yield* open(client, retried)
      wave.cancelPayment(retried)
      assert.strictEqual(yield* stateOf(retried), "pending")
      wave.pay(retried)
      assert.strictEqual(yield* stateOf(retried), "succeeded")
      assert.match((yield* client.checkoutStatus({ intentId: retried, gatewayReference: wave.sessionOf(retried).id })).paymentId ?? "", /^T_/u)

      // Only payment_status says paid: a checkout marked complete without it credits nothing.
      const odd = newIntentId()
      yield* open(client, odd)
      Object.assign(wave.sessionOf(odd), { checkout_status: "complete" })
      assert.strictEqual(yield* stateOf(odd), "pending")

      const abandoned = newIntentId()
      yield* open(client, abandoned)
      wave.cancelPayment(abandoned)
      wave.expire(abandoned)
      assert.strictEqual(yield* stateOf(abandoned), "expired")
    })))

  it.effect("an amount reported with decimals, a sign or an exponent is GatewayRefused as malformed, never rounded", () =>
    Effect.scoped(Effect.gen(function*() {
      const wave = yield* fakeWave({ apiKey })
      const client = yield* waveAt(wave.baseUrl)
      for (const amount of ["5000.50", "5000.00", "5e3", "-5000", " 5000", ""]) {
        const intentId = newIntentId()
        const checkout = yield* open(client, intentId)
        wave.pay(intentId, { amount })
        const failure = yield* Effect.flip(client.checkoutStatus({ intentId, gatewayReference: checkout.gatewayReference }))
        assert.strictEqual(failure._tag, "GatewayRefused", amount)
        assert.match(failure.detail, /malformed amount/u)
      }
    })))

  it.effect("a session that belongs to another intent is GatewayRefused", () =>
    Effect.scoped(Effect.gen(function*() {
      const wave = yield* fakeWave({ apiKey })
      const client = yield* waveAt(wave.baseUrl)
      const intentId = newIntentId()
      const checkout = yield* open(client, intentId)
      const failure = yield* Effect.flip(client.checkoutStatus({ intentId: newIntentId(), gatewayReference: checkout.gatewayReference }))
      assert.strictEqual(failure._tag, "GatewayRefused")
    })))

  it.effect("429 and 5xx are GatewayUnavailable; a 2xx that is not a session (a proxy's page, a cut body) too", () =>
    Effect.scoped(Effect.gen(function*() {
      const wave = yield* fakeWave({ apiKey })
      const client = yield* waveAt(wave.baseUrl)
      const intentId = newIntentId()
      const checkout = yield* open(client, intentId)
      const read = client.checkoutStatus({ intentId, gatewayReference: checkout.gatewayReference })
      wave.answerNext(429, JSON.stringify({ message: "Too many requests", error_code: "rate-limited" }))
      wave.answerNext(500, JSON.stringify({ message: "Internal error", error_code: "internal-server-error" }))
      wave.answerNext(502, "<html>Bad gateway</html>", "text/html")
      wave.answerNext(200, "<html>Maintenance</html>", "text/html")
      wave.answerNext(200, JSON.stringify({ id: checkout.gatewayReference }).slice(0, 10))
      wave.answerNext(200, JSON.stringify({ id: checkout.gatewayReference, amount: "5000" }))
      const details = []
      for (let attempt = 0; attempt < 6; attempt++) {
        const failure = yield* Effect.flip(read)
        assert.strictEqual(failure._tag, "GatewayUnavailable")
        details.push(failure.detail)
      }
      assert.match(details[0]!, /^HTTP 429 rate-limited/u)
      assert.match(details[1]!, /^HTTP 500 internal-server-error/u)
      assert.match(details[3]!, /^unreadable answer \(HTTP 200\)/u)
      assert.strictEqual((yield* read).state, "pending")
    })))

  it.effect("a 4xx is GatewayRefused with Wave's error_code, and never shows the key", () =>
    Effect.scoped(Effect.gen(function*() {
      const wave = yield* fakeWave({ apiKey })
      const wrongKey = "wave_ci_prod_wrong-key-0000"
      const stranger = yield* gatewaysFrom({ WAVE_API_KEY: wrongKey, WAVE_WEBHOOK_SECRETS: currentSecret, WAVE_BASE_URL: wave.baseUrl })
      const unauthorized = yield* Effect.flip(open(stranger.gateways.wave!, newIntentId()))
      assert.strictEqual(unauthorized._tag, "GatewayRefused")
      assert.match(unauthorized.detail, /^HTTP 401 no-matching-api-key/u)
      assert.notInclude(unauthorized.detail, wrongKey)

      const client = yield* waveAt(wave.baseUrl)
      const badPhone = yield* Effect.flip(client.createCheckout({ intentId: newIntentId(), amountXof: xof(5_000), payerPhone: "0701020304", description: "x" }))
      assert.strictEqual(badPhone._tag, "GatewayRefused")
      assert.match(badPhone.detail, /^HTTP 400 request-validation-error: restrict_payer_mobile/u)
    })))

  it.effect("an amount that is not whole francs is refused before anything is sent", () =>
    Effect.scoped(Effect.gen(function*() {
      const wave = yield* fakeWave({ apiKey })
      const client = yield* waveAt(wave.baseUrl)
      for (const amountXof of [4_999.5, 0, -5_000, Number.NaN]) {
        assert.strictEqual((yield* Effect.flip(open(client, newIntentId(), amountXof)))._tag, "GatewayRefused")
      }
      assert.strictEqual(wave.requests.length, 0)
    })))

  it.effect("no answer within PAYMENT_REQUEST_TIMEOUT_MS is GatewayUnavailable, within that time; nor is an unreachable API", () =>
    Effect.scoped(Effect.gen(function*() {
      const wave = yield* fakeWave({ apiKey })
      const client = yield* waveAt(wave.baseUrl, { PAYMENT_REQUEST_TIMEOUT_MS: "300" })
      wave.setDelay(5_000)
      const started = Date.now()
      const failure = yield* Effect.flip(open(client, newIntentId()))
      const elapsedMs = Date.now() - started
      assert.strictEqual(failure._tag, "GatewayUnavailable")
      assert.strictEqual(failure.detail, "no answer within 300 ms")
      assert.isTrue(elapsedMs >= 280 && elapsedMs < 1_500, `took ${elapsedMs} ms`)

      const unreachable = yield* waveAt("http://127.0.0.1:1")
      const refused = yield* Effect.flip(open(unreachable, newIntentId()))
      assert.strictEqual(refused._tag, "GatewayUnavailable")
      assert.match(refused.detail, /^network error/u)
    })))
})

layer(Layer.empty, { excludeTestServices: true })("WaveGateway webhooks", (it) => {
  // Verifying a webhook sends no request: the API's address does not matter here.
  const client = waveAt("http://127.0.0.1:1")
  const nowMs = Date.parse("2026-11-26T09:05:00Z")
  const completed = (intentId: string | null) => ({
    id: "AE_ci_0001",
    type: "checkout.session.completed",
    data: { id: "cos-1ya2rewh0139m", amount: "5000", currency: "XOF", payment_status: "succeeded", checkout_status: "complete", client_reference: intentId, transaction_id: "TRG7XHH6UNR2SOACI" }
  })

  it.effect("during a rotation the header carries several v1: it verifies when the second one matches", () =>
    Effect.scoped(Effect.gen(function*() {
      const wave = yield* client
      const intentId = newIntentId()
      const rawBody = JSON.stringify(completed(intentId))
      const timestamp = nowMs / 1000
      const header = waveSignatureHeader(rawBody, ["a-secret-we-do-not-have", currentSecret], timestamp)
      assert.strictEqual(header.split(",v1=").length, 3)
      const verified = yield* wave.verifyWebhook({ headers: { "wave-signature": header }, rawBody, receivedAtMs: nowMs })
      assert.deepStrictEqual(verified, {
        eventId: "AE_ci_0001",
        type: "checkout.session.completed",
        intentId,
        gatewayReference: "cos-1ya2rewh0139m",
        payload: completed(intentId)
      })
      // Signed with the previous secret only: still accepted while it is configured.
      yield* wave.verifyWebhook(waveWebhook(completed(intentId), { secrets: previousSecret, signedAtMs: nowMs }))
      const stranger = yield* Effect.flip(wave.verifyWebhook(waveWebhook(completed(intentId), { secrets: "a-secret-we-do-not-have", signedAtMs: nowMs })))
      assert.strictEqual(stranger.reason, "signature_invalid")
    })))

  it.effect("any single byte of the body changed breaks the signature", () =>
    Effect.scoped(Effect.gen(function*() {
      const wave = yield* client
      const request = waveWebhook(completed(newIntentId()), { secrets: currentSecret, signedAtMs: nowMs })
      for (const index of [0, 20, request.rawBody.indexOf("5000") + 3, request.rawBody.length - 1]) {
        const byte = request.rawBody.charCodeAt(index)
        const rawBody = request.rawBody.slice(0, index) + String.fromCharCode(byte ^ 1) + request.rawBody.slice(index + 1)
        assert.strictEqual((yield* Effect.flip(wave.verifyWebhook({ ...request, rawBody }))).reason, "signature_invalid", `byte ${index}`)
      }
      // The timestamp is signed too: moving it forward breaks the signature.
      const header = request.headers["wave-signature"]!.replace(/^t=(\d+)/u, (_, seconds: string) => `t=${Number(seconds) + 1}`)
      assert.strictEqual((yield* Effect.flip(wave.verifyWebhook({ ...request, headers: { "wave-signature": header } }))).reason, "signature_invalid")
    })))

  it.effect("an unusable header is signature_invalid, an empty one signature_missing, a hex of another length no match", () =>
    Effect.scoped(Effect.gen(function*() {
      const wave = yield* client
      const request = waveWebhook(completed(newIntentId()), { secrets: currentSecret, signedAtMs: nowMs })
      const signature = request.headers["wave-signature"]!
      const [timestampPart, v1Part] = signature.split(",")
      const reasonWith = (header: string) =>
        Effect.flip(wave.verifyWebhook({ ...request, headers: { "wave-signature": header } })).pipe(Effect.map((rejection) => rejection.reason))
      assert.strictEqual(yield* reasonWith("   "), "signature_missing")
      const unusable = [
        v1Part!, // no timestamp
        timestampPart!, // no signature
        `t=abc,${v1Part}`,
        `${timestampPart},${timestampPart},${v1Part}`, // two timestamps
        `${timestampPart},v1=${v1Part!.slice(3, -2)}`, // a shorter hex
        `${timestampPart},v0=${v1Part!.slice(3)}`, // the right digest under another scheme
        "garbage"
      ]
      for (const header of unusable) {
        assert.strictEqual(yield* reasonWith(header), "signature_invalid", header)
      }
      // Spaces around the parts and an unknown scheme beside v1 are tolerated.
      const spaced = yield* wave.verifyWebhook({ ...request, headers: { "wave-signature": ` ${timestampPart}, v2=abc , ${v1Part} ` } })
      assert.strictEqual(spaced.eventId, "AE_ci_0001")
    })))

  it.effect("a correctly signed body that is not an event { id, type, data } is body_malformed", () =>
    Effect.scoped(Effect.gen(function*() {
      const wave = yield* client
      const notEvents = ["not json", "{}", JSON.stringify({ id: "", type: "checkout.session.completed", data: {} }), JSON.stringify({ type: "x", data: {} }), "[1,2]"]
      for (const rawBody of notEvents) {
        const request = { headers: { "wave-signature": waveSignatureHeader(rawBody, currentSecret, nowMs / 1000) }, rawBody, receivedAtMs: nowMs }
        assert.strictEqual((yield* Effect.flip(wave.verifyWebhook(request))).reason, "body_malformed", rawBody)
      }
    })))

  it.effect("an event without client_reference has no intent; only checkout.session events carry a checkout reference", () =>
    Effect.scoped(Effect.gen(function*() {
      const wave = yield* client
      const anonymous = yield* wave.verifyWebhook(waveWebhook(completed(null), { secrets: currentSecret, signedAtMs: nowMs }))
      assert.isNull(anonymous.intentId)
      assert.strictEqual(anonymous.gatewayReference, "cos-1ya2rewh0139m")
      const merchant = yield* wave.verifyWebhook(waveWebhook(
        { id: "AE_ci_0002", type: "merchant.payment_received", data: { id: "T_123", amount: "5000", currency: "XOF", client_reference: "shop-42" } },
        { secrets: currentSecret, signedAtMs: nowMs }
      ))
      assert.deepInclude(merchant, { type: "merchant.payment_received", intentId: "shop-42", gatewayReference: null })
    })))
})

layer(Layer.empty, { excludeTestServices: true })("PaymentGatewaysFromConfig: Wave", (it) => {
  it.effect("without any payment variable both gateways are off, and start-up warns that top-ups are refused", () =>
    Effect.scoped(Effect.gen(function*() {
      const { gateways, logs } = yield* gatewaysFrom({})
      assert.isUndefined(gateways.wave)
      assert.isUndefined(gateways.cinetpay)
      assert.deepInclude(logs[0]!, { level: "WARN", message: "no payment gateway configured: wallet top-ups are refused" })
    })))

  it.effect("with its variables Wave is on, start-up says so, and no secret reaches the logs", () =>
    Effect.scoped(Effect.gen(function*() {
      const { gateways, logs } = yield* gatewaysFrom({ WAVE_API_KEY: apiKey, WAVE_WEBHOOK_SECRETS: `${previousSecret},${currentSecret}` })
      assert.strictEqual(gateways.wave?.gateway, "wave")
      assert.isUndefined(gateways.cinetpay)
      assert.deepInclude(logs[0]!, { level: "INFO", message: "payment gateways: Wave enabled, CinetPay disabled" })
      const printed = JSON.stringify(logs)
      for (const secret of [apiKey, previousSecret, currentSecret]) assert.notInclude(printed, secret)
    })))

  it.effect("some but not all of Wave's variables stop start-up, naming the missing one", () =>
    Effect.gen(function*() {
      assert.match(yield* startupFailure({ WAVE_API_KEY: apiKey }), /^WAVE_WEBHOOK_SECRETS: required as WAVE_API_KEY is set/u)
      assert.match(yield* startupFailure({ WAVE_WEBHOOK_SECRETS: currentSecret }), /^WAVE_API_KEY: required as WAVE_WEBHOOK_SECRETS is set/u)
      const malformed = yield* startupFailure({ WAVE_API_KEY: apiKey, WAVE_WEBHOOK_SECRETS: `${currentSecret},,${previousSecret}` })
      assert.strictEqual(malformed, "WAVE_WEBHOOK_SECRETS: expected a comma-separated list of webhook secrets")
      assert.notInclude(malformed, currentSecret)
      assert.match(yield* startupFailure({ WAVE_API_KEY: apiKey, WAVE_WEBHOOK_SECRETS: currentSecret, PAYMENT_REQUEST_TIMEOUT_MS: "0" }), /^PAYMENT_REQUEST_TIMEOUT_MS: expected/u)
    }))
})
