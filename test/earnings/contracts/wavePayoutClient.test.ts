import { assert, layer } from "@effect/vitest"
import { Context, Effect, Exit, Layer } from "effect"
import { describeFailure } from "@nelo/adapters/logging/describeFailure"
import { PayoutGatewaysFromConfig } from "@nelo/adapters/payments/PayoutGatewaysFromConfig"
import { type PayoutClient, PayoutGateways } from "@nelo/domain/earnings/PayoutGateway"
import { captureLogs } from "../../support/captureLogs.ts"
import { fakeWave } from "../../support/fakeWave.ts"
import { withEnv } from "../../support/withEnv.ts"
import { payoutRequest } from "./payoutGatewayContract.ts"

const apiKey = "wave_ci_prod_Payout0123456789"
const checkoutKey = "wave_ci_prod_Checkout0123456789"
const newPayoutId = () => `payout-${crypto.randomUUID()}`

const noPayoutEnv = {
  WAVE_PAYOUT_API_KEY: undefined, WAVE_BASE_URL: undefined, WAVE_API_KEY: undefined, WAVE_WEBHOOK_SECRETS: undefined,
  CINETPAY_API_KEY: undefined, CINETPAY_TRANSFER_PASSWORD: undefined, CINETPAY_TRANSFER_BASE_URL: undefined,
  CINETPAY_SITE_ID: undefined, CINETPAY_SECRET_KEY: undefined,
  PUBLIC_API_URL: undefined, PAYMENT_REQUEST_TIMEOUT_MS: undefined
}

/** PayoutGateways as the apps build it, from these variables only, with its start-up logs kept. */
const payoutGatewaysFrom = (env: Record<string, string | undefined>) => {
  const logs = captureLogs()
  return Layer.build(PayoutGatewaysFromConfig.pipe(Layer.provide([withEnv({ ...noPayoutEnv, ...env }), logs.layer]))).pipe(
    Effect.map((context) => ({ gateways: Context.get(context, PayoutGateways), logs: logs.lines }))
  )
}

const payoutStartupFailure = (env: Record<string, string | undefined>) =>
  Effect.gen(function*() {
    const exit = yield* Effect.exit(payoutGatewaysFrom(env))
    if (Exit.isSuccess(exit)) return assert.fail("expected the configuration to be refused")
    const reason = exit.cause.reasons[0]
    const error = reason?._tag === "Fail" ? reason.error : exit.cause
    return { tag: (error as { _tag?: string })._tag, text: describeFailure(error) }
  })

const waveAt = (baseUrl: string, env: Record<string, string> = {}) =>
  payoutGatewaysFrom({ WAVE_PAYOUT_API_KEY: apiKey, WAVE_BASE_URL: baseUrl, ...env }).pipe(Effect.map(({ gateways }) => gateways.wave!))

const settingUp = (env: Record<string, string> = {}) =>
  Effect.gen(function*() {
    const wave = yield* fakeWave({ apiKey })
    const client: PayoutClient = yield* waveAt(wave.baseUrl, env)
    return { wave, client }
  })

layer(Layer.empty, { excludeTestServices: true })("WavePayoutClient against a fake Wave API", (it) => {
  it.effect("sends a payout as Wave documents it: bearer key, idempotency-key, receive_amount a string of francs, E.164 mobile", () =>
    Effect.scoped(Effect.gen(function*() {
      const { wave, client } = yield* settingUp()
      const payoutId = newPayoutId()
      const sent = yield* client.send(payoutRequest(payoutId))
      const [request] = wave.requests
      assert.strictEqual(request!.method, "POST")
      assert.strictEqual(request!.url, "/v1/payout")
      assert.strictEqual(request!.headers.authorization, `Bearer ${apiKey}`)
      assert.strictEqual(request!.headers["content-type"], "application/json")
      assert.strictEqual(request!.headers["idempotency-key"], payoutId)
      assert.deepStrictEqual(JSON.parse(request!.body), {
        currency: "XOF",
        receive_amount: "5000",
        mobile: "+2250701020304",
        name: "Kouassi Yao",
        client_reference: payoutId,
        payment_reason: "Gains NELO"
      })
      const payout = wave.payoutOf(payoutId)
      assert.deepStrictEqual(sent, { state: "succeeded", gatewayReference: payout.id, detail: null })
      assert.match(payout.id, /^pt-/u)

      yield* client.statusOf({ payoutId, gatewayReference: payout.id })
      const read = wave.requests[1]!
      assert.strictEqual(read.method, "GET")
      assert.strictEqual(read.url, `/v1/payout/${payout.id}`)
      assert.strictEqual(read.headers.authorization, `Bearer ${apiKey}`)
      assert.deepStrictEqual(wave.problems, [])
    })))

  it.effect("no answer within PAYMENT_REQUEST_TIMEOUT_MS is GatewayUnavailable; the retry with the same idempotency key gets the payout made then, paid once", () =>
    Effect.scoped(Effect.gen(function*() {
      const { wave, client } = yield* settingUp({ PAYMENT_REQUEST_TIMEOUT_MS: "300" })
      const payoutId = newPayoutId()
      wave.delayNextPayoutAnswer(3_000)
      const started = Date.now()
      const lost = yield* Effect.flip(client.send(payoutRequest(payoutId)))
      const elapsedMs = Date.now() - started
      assert.strictEqual(lost._tag, "GatewayUnavailable")
      assert.strictEqual(lost.detail, "no answer within 300 ms")
      assert.isTrue(elapsedMs >= 280 && elapsedMs < 1_500, `took ${elapsedMs} ms`)
      const retried = yield* client.send(payoutRequest(payoutId))
      assert.strictEqual(retried.gatewayReference, wave.payoutOf(payoutId).id)
      assert.strictEqual(wave.payoutsCreated().length, 1)
      const posts = wave.requests.filter((request) => request.method === "POST")
      assert.deepStrictEqual(posts.map((request) => request.headers["idempotency-key"]), [payoutId, payoutId])
      assert.strictEqual(posts[0]!.body, posts[1]!.body, "the retry is the same request, byte for byte")
    })))

  it.effect("statusOf without a reference searches by client_reference: ours when Wave made it, unknown when not", () =>
    Effect.scoped(Effect.gen(function*() {
      const { wave, client } = yield* settingUp()
      const payoutId = newPayoutId()
      wave.holdPayouts(true)
      yield* client.send(payoutRequest(payoutId))
      yield* client.send(payoutRequest(newPayoutId()))
      const found = yield* client.statusOf({ payoutId, gatewayReference: null })
      assert.deepStrictEqual(found, { state: "processing", gatewayReference: wave.payoutOf(payoutId).id, detail: null })
      const search = wave.requests.at(-1)!
      assert.strictEqual(search.method, "GET")
      assert.strictEqual(search.url, `/v1/payouts/search?client_reference=${encodeURIComponent(payoutId)}`)

      const never = newPayoutId()
      assert.deepStrictEqual(yield* client.statusOf({ payoutId: never, gatewayReference: null }), { state: "unknown", gatewayReference: null, detail: null })
      // A search that answers a payout of another reference does not make it ours.
      wave.answerNext(200, JSON.stringify({ result: [{ ...wave.payoutOf(payoutId) }] }))
      assert.strictEqual((yield* client.statusOf({ payoutId: never, gatewayReference: null })).state, "unknown")
      // Two payouts under one reference: money went out twice, or the search is loose; a person must look.
      wave.answerNext(200, JSON.stringify({ result: [wave.payoutOf(payoutId), { ...wave.payoutOf(payoutId), id: "pt-other" }] }))
      const twice = yield* Effect.flip(client.statusOf({ payoutId, gatewayReference: null }))
      assert.strictEqual(twice._tag, "GatewayRefused")
      assert.match(twice.detail, /2 payouts under reference/u)
    })))

  it.effect("reads Wave's statuses: a failed payout with its payout_error, reversed, and a status Wave adds later as processing", () =>
    Effect.scoped(Effect.gen(function*() {
      const { wave, client } = yield* settingUp()
      wave.holdPayouts(true)
      const payoutId = newPayoutId()
      const sent = yield* client.send(payoutRequest(payoutId))
      const read = () => client.statusOf({ payoutId, gatewayReference: sent.gatewayReference })
      wave.settlePayout(payoutId, "failed", { error_code: "insufficient-funds", error_message: "Your wallet balance is too low." })
      assert.deepStrictEqual(yield* read(), { state: "failed", gatewayReference: sent.gatewayReference, detail: "insufficient-funds: Your wallet balance is too low." })
      wave.settlePayout(payoutId, "on-hold-for-review")
      assert.strictEqual((yield* read()).state, "processing")
      wave.settlePayout(payoutId, "reversed")
      assert.strictEqual((yield* read()).state, "reversed")
    })))

  it.effect("a payout Wave answers for another amount, number or reference is GatewayRefused: not recorded as ours", () =>
    Effect.scoped(Effect.gen(function*() {
      const { wave, client } = yield* settingUp()
      const payoutId = newPayoutId()
      yield* client.send(payoutRequest(payoutId))
      const payout = wave.payoutOf(payoutId)
      for (const other of [{ receive_amount: "500" }, { receive_amount: "5000.00" }, { currency: "EUR" }, { mobile: "+2250506070809" }, { client_reference: "payout-other" }]) {
        wave.answerNext(200, JSON.stringify({ ...payout, ...other }))
        const failure = yield* Effect.flip(client.send(payoutRequest(payoutId)))
        assert.strictEqual(failure._tag, "GatewayRefused", JSON.stringify(other))
        assert.match(failure.detail, /does not match/u)
      }
      // Read by its reference, a payout under another client_reference is not this one.
      wave.answerNext(200, JSON.stringify({ ...payout, client_reference: "payout-other" }))
      assert.strictEqual((yield* Effect.flip(client.statusOf({ payoutId, gatewayReference: payout.id })))._tag, "GatewayRefused")
    })))

  it.effect("429 and 5xx are GatewayUnavailable, a 2xx that is not a payout too; then it works again", () =>
    Effect.scoped(Effect.gen(function*() {
      const { wave, client } = yield* settingUp()
      const payoutId = newPayoutId()
      wave.failNext(2, 429)
      for (let attempt = 0; attempt < 2; attempt++) {
        const failure = yield* Effect.flip(client.send(payoutRequest(payoutId)))
        assert.strictEqual(failure._tag, "GatewayUnavailable")
        assert.match(failure.detail, /^HTTP 429 rate-limit-exceeded/u)
      }
      wave.failNext(1, 500)
      assert.match((yield* Effect.flip(client.statusOf({ payoutId, gatewayReference: null }))).detail, /^HTTP 500 internal-server-error/u)
      wave.answerNext(502, "<html>Bad gateway</html>", "text/html")
      wave.answerNext(200, "<html>Maintenance</html>", "text/html")
      wave.answerNext(200, JSON.stringify({ id: "pt-cut" }).slice(0, 8))
      wave.answerNext(200, JSON.stringify({ id: "pt-1", currency: "XOF" }))
      const details = []
      for (let attempt = 0; attempt < 4; attempt++) {
        const failure = yield* Effect.flip(client.send(payoutRequest(payoutId)))
        assert.strictEqual(failure._tag, "GatewayUnavailable")
        details.push(failure.detail)
      }
      assert.match(details[1]!, /^unreadable answer \(HTTP 200\)/u)
      assert.deepStrictEqual(wave.payoutsCreated(), [], "none of those answers made a payout")
      assert.strictEqual((yield* client.send(payoutRequest(payoutId))).state, "succeeded")
      assert.strictEqual(wave.payoutsCreated().length, 1)
    })))

  it.effect("a 4xx is GatewayRefused with Wave's error_code, and never shows the key; an amount not in whole francs is refused before sending", () =>
    Effect.scoped(Effect.gen(function*() {
      const wave = yield* fakeWave({ apiKey })
      const wrongKey = "wave_ci_prod_wrong-key-0000"
      const stranger = yield* payoutGatewaysFrom({ WAVE_PAYOUT_API_KEY: wrongKey, WAVE_BASE_URL: wave.baseUrl })
      const unauthorized = yield* Effect.flip(stranger.gateways.wave!.send(payoutRequest(newPayoutId())))
      assert.strictEqual(unauthorized._tag, "GatewayRefused")
      assert.match(unauthorized.detail, /^HTTP 401 no-matching-api-key/u)
      assert.notInclude(unauthorized.detail, wrongKey)

      const client = yield* waveAt(wave.baseUrl)
      const payoutId = newPayoutId()
      yield* client.send(payoutRequest(payoutId))
      const mismatch = yield* Effect.flip(client.send(payoutRequest(payoutId, { reason: "Autre motif" })))
      assert.strictEqual(mismatch._tag, "GatewayRefused")
      assert.match(mismatch.detail, /^HTTP 422 idempotency-mismatch/u)
      const before = wave.requests.length
      assert.strictEqual((yield* Effect.flip(client.send(payoutRequest(newPayoutId(), { amountXof: 4_999.5 as never }))))._tag, "GatewayRefused")
      assert.strictEqual(wave.requests.length, before)
    })))

  it.effect("an unreachable API is GatewayUnavailable", () =>
    Effect.scoped(Effect.gen(function*() {
      const client = yield* waveAt("http://127.0.0.1:1")
      const failure = yield* Effect.flip(client.send(payoutRequest(newPayoutId())))
      assert.strictEqual(failure._tag, "GatewayUnavailable")
      assert.match(failure.detail, /^network error/u)
    })))
})

layer(Layer.empty, { excludeTestServices: true })("PayoutGatewaysFromConfig: Wave", (it) => {
  it.effect("without any payout variable both gateways are off, and start-up warns that payouts are made by hand", () =>
    Effect.scoped(Effect.gen(function*() {
      const { gateways, logs } = yield* payoutGatewaysFrom({ WAVE_API_KEY: checkoutKey, WAVE_WEBHOOK_SECRETS: "whs" })
      assert.isUndefined(gateways.wave, "the checkout's key does not turn payouts on")
      assert.isUndefined(gateways.cinetpay)
      assert.deepInclude(logs[0]!, { level: "WARN", message: "no payout gateway configured: payouts are made by hand from an export" })
    })))

  it.effect("with WAVE_PAYOUT_API_KEY Wave payouts are on, start-up says so, and the key reaches neither the logs nor the checkout's requests", () =>
    Effect.scoped(Effect.gen(function*() {
      const wave = yield* fakeWave({ apiKey })
      const { gateways, logs } = yield* payoutGatewaysFrom({ WAVE_PAYOUT_API_KEY: apiKey, WAVE_API_KEY: checkoutKey, WAVE_BASE_URL: `${wave.baseUrl}/` })
      assert.strictEqual(gateways.wave?.gateway, "wave")
      assert.deepInclude(logs[0]!, { level: "INFO", message: "payout gateways: Wave enabled, CinetPay disabled" })
      assert.notInclude(JSON.stringify(logs), apiKey)
      // The base URL's trailing slash is dropped, and the payout key (not the checkout's) is sent.
      yield* gateways.wave!.send(payoutRequest(newPayoutId()))
      assert.strictEqual(wave.requests[0]!.url, "/v1/payout")
      assert.strictEqual(wave.requests[0]!.headers.authorization, `Bearer ${apiKey}`)
    })))

  it.effect("a malformed value stops start-up, named", () =>
    Effect.gen(function*() {
      assert.match((yield* payoutStartupFailure({ WAVE_PAYOUT_API_KEY: apiKey, WAVE_BASE_URL: "api.wave.com" })).text, /^WAVE_BASE_URL: expected an http\(s\) URL/u)
      assert.match((yield* payoutStartupFailure({ WAVE_PAYOUT_API_KEY: apiKey, PAYMENT_REQUEST_TIMEOUT_MS: "0" })).text, /^PAYMENT_REQUEST_TIMEOUT_MS: expected/u)
    }))
})
