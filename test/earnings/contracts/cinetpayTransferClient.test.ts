import { assert, layer } from "@effect/vitest"
import { Context, Effect, Exit, Layer, Redacted } from "effect"
import { describeFailure } from "@nelo/adapters/logging/describeFailure"
import { makeCinetPayTransferClient } from "@nelo/adapters/payments/CinetPayTransferClient"
import { PayoutGatewaysFromConfig } from "@nelo/adapters/payments/PayoutGatewaysFromConfig"
import { PayoutGateways } from "@nelo/domain/earnings/PayoutGateway"
import type { Xof } from "@nelo/domain/shared/Xof"
import { captureLogs } from "../../support/captureLogs.ts"
import { fakeCinetPay } from "../../support/fakeCinetPay.ts"
import type { RecordedRequest } from "../../support/fakeHttpServer.ts"
import { withEnv } from "../../support/withEnv.ts"
import { payoutRequest } from "./payoutGatewayContract.ts"

const credentials = { apiKey: "cinetpay-transfer-apikey-0123", siteId: "445566", transferPassword: "Transfer-Password-0123" }
const newPayoutId = () => `payout-${crypto.randomUUID()}`

const noPayoutEnv = {
  WAVE_PAYOUT_API_KEY: undefined, WAVE_BASE_URL: undefined, WAVE_API_KEY: undefined, WAVE_WEBHOOK_SECRETS: undefined,
  CINETPAY_API_KEY: undefined, CINETPAY_TRANSFER_PASSWORD: undefined, CINETPAY_TRANSFER_BASE_URL: undefined,
  CINETPAY_SITE_ID: undefined, CINETPAY_SECRET_KEY: undefined,
  PUBLIC_API_URL: undefined, PAYMENT_REQUEST_TIMEOUT_MS: undefined
}

const payoutGatewaysFrom = (env: Record<string, string | undefined>) => {
  const logs = captureLogs()
  return Layer.build(PayoutGatewaysFromConfig.pipe(Layer.provide([withEnv({ ...noPayoutEnv, ...env }), logs.layer]))).pipe(
    Effect.map((context) => ({ gateways: Context.get(context, PayoutGateways), logs: logs.lines }))
  )
}

const startupFailure = (env: Record<string, string | undefined>) =>
  Effect.gen(function*() {
    const exit = yield* Effect.exit(payoutGatewaysFrom(env))
    if (Exit.isSuccess(exit)) return assert.fail("expected the configuration to be refused")
    const reason = exit.cause.reasons[0]
    const error = reason?._tag === "Fail" ? reason.error : exit.cause
    return { tag: (error as { _tag?: string })._tag, text: describeFailure(error) }
  })

/** The fake and a client on it, built directly (tokenReuseMs and the timeout under the test's control). */
const settingUp = (options: { readonly requestTimeoutMs?: number; readonly tokenReuseMs?: number; readonly password?: string } = {}) =>
  Effect.gen(function*() {
    const cinetpay = yield* fakeCinetPay(credentials)
    const client = makeCinetPayTransferClient({
      apiKey: Redacted.make(credentials.apiKey),
      password: Redacted.make(options.password ?? credentials.transferPassword),
      baseUrl: cinetpay.baseUrl,
      notifyUrl: "https://api.nelo.ci/api/v1/payouts/webhooks/cinetpay",
      requestTimeoutMs: options.requestTimeoutMs ?? 2_000,
      ...(options.tokenReuseMs === undefined ? {} : { tokenReuseMs: options.tokenReuseMs })
    })
    return { cinetpay, client }
  })

const pathOf = (request: RecordedRequest) => new URL(request.url, "http://fake").pathname
const queryOf = (request: RecordedRequest) => Object.fromEntries(new URL(request.url, "http://fake").searchParams)
const dataOf = (request: RecordedRequest) => JSON.parse(new URLSearchParams(request.body).get("data") ?? "null") as unknown
const calls = (requests: ReadonlyArray<RecordedRequest>, path: string) => requests.filter((request) => pathOf(request) === path).length

layer(Layer.empty, { excludeTestServices: true })("CinetPayTransferClient against a fake CinetPay API", (it) => {
  it.effect("logs in, checks our id is new, adds the contact, then sends, as CinetPay documents it (forms, token and lang in the query)", () =>
    Effect.scoped(Effect.gen(function*() {
      const { cinetpay, client } = yield* settingUp()
      cinetpay.holdTransfers(true)
      const payoutId = newPayoutId()
      const sent = yield* client.send(payoutRequest(payoutId))
      const [login, check, contact, send] = cinetpay.requests
      assert.deepStrictEqual(cinetpay.requests.map((request) => `${request.method} ${pathOf(request)}`), [
        "POST /v1/auth/login",
        "GET /v1/transfer/check/money",
        "POST /v1/transfer/contact",
        "POST /v1/transfer/money/send/contact"
      ])
      assert.strictEqual(login!.headers["content-type"], "application/x-www-form-urlencoded")
      assert.deepStrictEqual(Object.fromEntries(new URLSearchParams(login!.body)), { apikey: credentials.apiKey, password: credentials.transferPassword })
      const token = queryOf(check!).token!
      assert.isNotEmpty(token)
      assert.deepStrictEqual(queryOf(check!), { token, lang: "fr", client_transaction_id: payoutId })
      assert.deepStrictEqual(queryOf(contact!), { token, lang: "fr" })
      assert.deepStrictEqual(dataOf(contact!), [{ prefix: "225", phone: "0701020304", name: "Kouassi", surname: "Yao", email: "paiements@nelo.ci" }])
      assert.deepStrictEqual(queryOf(send!), { token, lang: "fr" })
      assert.deepStrictEqual(dataOf(send!), [{
        prefix: "225",
        phone: "0701020304",
        amount: 5000,
        client_transaction_id: payoutId,
        notify_url: "https://api.nelo.ci/api/v1/payouts/webhooks/cinetpay"
      }])
      const transfer = cinetpay.transferOf(payoutId)
      assert.deepStrictEqual(sent, { state: "processing", gatewayReference: transfer.transaction_id, detail: "NEW" })

      // A contact already there (726) is fine; the token is reused.
      yield* client.send(payoutRequest(newPayoutId()))
      assert.strictEqual(cinetpay.logins(), 1)
      assert.strictEqual(cinetpay.transfersMade().length, 2)
      assert.deepStrictEqual(cinetpay.problems, [])
    })))

  it.effect("the token is renewed once it is older than tokenReuseMs, and once on an expired-token answer; a new token refused too is a refusal", () =>
    Effect.scoped(Effect.gen(function*() {
      const { cinetpay, client } = yield* settingUp({ tokenReuseMs: 300 })
      const unknownId = () => client.statusOf({ payoutId: newPayoutId(), gatewayReference: null })
      yield* unknownId()
      yield* unknownId()
      assert.strictEqual(cinetpay.logins(), 1)
      yield* Effect.sleep("350 millis")
      yield* unknownId()
      assert.strictEqual(cinetpay.logins(), 2, "renewed before CinetPay's lifetime ends")

      cinetpay.expireTokens()
      assert.strictEqual((yield* unknownId()).state, "unknown")
      assert.strictEqual(cinetpay.logins(), 3, "an expired-token answer (705) renews it, and the call is made again")

      // Every token CinetPay gives is refused at once: renewed once, then the refusal.
      cinetpay.setTokenLifetime(0)
      cinetpay.expireTokens()
      const failure = yield* Effect.flip(unknownId())
      assert.strictEqual(failure._tag, "GatewayRefused")
      assert.match(failure.detail, /^code 705 EXPIRED_TOKEN/u)
      assert.strictEqual(cinetpay.logins(), 4)
    })))

  it.effect("a send whose answer was lost is GatewayUnavailable; sent again, the check finds the transfer made and nothing is sent twice", () =>
    Effect.scoped(Effect.gen(function*() {
      const { cinetpay, client } = yield* settingUp({ requestTimeoutMs: 300 })
      const payoutId = newPayoutId()
      cinetpay.delayNextSendAnswer(3_000)
      const started = Date.now()
      const lost = yield* Effect.flip(client.send(payoutRequest(payoutId)))
      assert.strictEqual(lost._tag, "GatewayUnavailable")
      assert.strictEqual(lost.detail, "no answer within 300 ms")
      assert.isBelow(Date.now() - started, 1_500)
      const retried = yield* client.send(payoutRequest(payoutId))
      assert.deepStrictEqual(retried, { state: "succeeded", gatewayReference: cinetpay.transferOf(payoutId).transaction_id, detail: null })
      assert.strictEqual(calls(cinetpay.requests, "/v1/transfer/money/send/contact"), 1)
      assert.strictEqual(cinetpay.transfersMade().length, 1)
    })))

  it.effect("a transfer made between our check and our send (805) is read back, not sent again", () =>
    Effect.scoped(Effect.gen(function*() {
      const { cinetpay, client } = yield* settingUp()
      const payoutId = newPayoutId()
      yield* client.send(payoutRequest(payoutId))
      cinetpay.answerNextTransferCall("check", "723", "NOT_FOUND")
      const again = yield* client.send(payoutRequest(payoutId))
      assert.strictEqual(again.gatewayReference, cinetpay.transferOf(payoutId).transaction_id)
      assert.strictEqual(calls(cinetpay.requests, "/v1/transfer/money/send/contact"), 2, "sent, answered 805")
      assert.strictEqual(cinetpay.transfersMade().length, 1)
    })))

  it.effect("701 bad credentials, 602 balance short and 724 not a contact are GatewayRefused with the code; the password is never shown", () =>
    Effect.scoped(Effect.gen(function*() {
      const wrong = yield* settingUp({ password: "not-the-password" })
      const badCredentials = yield* Effect.flip(wrong.client.send(payoutRequest(newPayoutId())))
      assert.strictEqual(badCredentials._tag, "GatewayRefused")
      assert.match(badCredentials.detail, /^code 701 INVALID_CREDENTIALS/u)
      assert.notInclude(badCredentials.detail, "not-the-password")

      const { cinetpay, client } = yield* settingUp()
      cinetpay.setTransferBalance(4_000)
      const short = yield* Effect.flip(client.send(payoutRequest(newPayoutId())))
      assert.strictEqual(short._tag, "GatewayRefused")
      assert.match(short.detail, /^code 602 INSUFFICIENT_BALANCE/u)
      cinetpay.setTransferBalance(undefined)
      cinetpay.answerNextTransferCall("send", "724", "ERROR_PHONE_NOT_MY_CONTACT")
      const notContact = yield* Effect.flip(client.send(payoutRequest(newPayoutId())))
      assert.strictEqual(notContact._tag, "GatewayRefused")
      assert.match(notContact.detail, /^code 724 ERROR_PHONE_NOT_MY_CONTACT/u)
      // A code that does not say no (715, an unknown error) may hide a transfer: an outage, sent again later with the same id.
      cinetpay.answerNextTransferCall("send", "715", "UNEXPECTED_ERROR")
      assert.strictEqual((yield* Effect.flip(client.send(payoutRequest(newPayoutId()))))._tag, "GatewayUnavailable")
      assert.deepStrictEqual(cinetpay.transfersMade(), [])
    })))

  it.effect("429 and 5xx are GatewayUnavailable, a 2xx that is not CinetPay's envelope too; then it works again", () =>
    Effect.scoped(Effect.gen(function*() {
      const { cinetpay, client } = yield* settingUp()
      const payoutId = newPayoutId()
      cinetpay.failNextTransferCalls(1, 429)
      assert.match((yield* Effect.flip(client.send(payoutRequest(payoutId)))).detail, /^HTTP 429/u)
      cinetpay.failNextTransferCalls(1, 500)
      assert.match((yield* Effect.flip(client.send(payoutRequest(payoutId)))).detail, /^HTTP 500/u)
      yield* client.statusOf({ payoutId, gatewayReference: null }) // logs in
      cinetpay.answerNext(200, "<html>Maintenance</html>")
      const garbled = yield* Effect.flip(client.send(payoutRequest(payoutId)))
      assert.strictEqual(garbled._tag, "GatewayUnavailable")
      assert.match(garbled.detail, /^unreadable answer \(HTTP 200\)/u)
      cinetpay.answerNext(200, JSON.stringify({ code: 0, message: "OPERATION_SUCCES", data: { token: "" } }).slice(0, 20))
      assert.strictEqual((yield* Effect.flip(client.statusOf({ payoutId, gatewayReference: null })))._tag, "GatewayUnavailable")
      assert.deepStrictEqual(cinetpay.transfersMade(), [])
      assert.strictEqual((yield* client.send(payoutRequest(payoutId))).state, "succeeded")
    })))

  it.effect("reads treatment_status: NEW, REC and NOS processing, VAL succeeded, REJ failed with CinetPay's comment, anything else processing", () =>
    Effect.scoped(Effect.gen(function*() {
      const { cinetpay, client } = yield* settingUp()
      cinetpay.holdTransfers(true)
      const payoutId = newPayoutId()
      const sent = yield* client.send(payoutRequest(payoutId))
      const stateAfter = (status: string, comment?: string) =>
        Effect.gen(function*() {
          cinetpay.settleTransfer(payoutId, status, comment)
          return yield* client.statusOf({ payoutId, gatewayReference: sent.gatewayReference })
        })
      for (const status of ["NEW", "REC", "NOS", "LATER"]) assert.strictEqual((yield* stateAfter(status)).state, "processing", status)
      assert.deepStrictEqual(yield* stateAfter("REJ", "Compte bénéficiaire bloqué"), {
        state: "failed",
        gatewayReference: sent.gatewayReference,
        detail: "REJ PENDING Compte bénéficiaire bloqué"
      })
      assert.deepStrictEqual(yield* stateAfter("VAL"), { state: "succeeded", gatewayReference: sent.gatewayReference, detail: null })
      const other = yield* Effect.flip(client.statusOf({ payoutId, gatewayReference: "EA-another" }))
      assert.strictEqual(other._tag, "GatewayRefused")
    })))

  it.effect("an amount not a multiple of 5, or a number that is not Ivorian, is refused before anything is sent", () =>
    Effect.scoped(Effect.gen(function*() {
      const { cinetpay, client } = yield* settingUp()
      for (const amountXof of [5_002, 4_999, 0, 2.5]) {
        assert.strictEqual((yield* Effect.flip(client.send(payoutRequest(newPayoutId(), { amountXof: amountXof as Xof }))))._tag, "GatewayRefused")
      }
      for (const mobile of ["+221771234567", "0701020304", "+22507010203"]) {
        const failure = yield* Effect.flip(client.send(payoutRequest(newPayoutId(), { mobile })))
        assert.strictEqual(failure._tag, "GatewayRefused")
        assert.match(failure.detail, /not an Ivorian number/u)
      }
      assert.strictEqual(cinetpay.requests.length, 0)
    })))
})

layer(Layer.empty, { excludeTestServices: true })("PayoutGatewaysFromConfig: CinetPay", (it) => {
  it.effect("CINETPAY_TRANSFER_PASSWORD without CINETPAY_API_KEY stops start-up, naming the missing variable", () =>
    Effect.gen(function*() {
      const failure = yield* startupFailure({ CINETPAY_TRANSFER_PASSWORD: credentials.transferPassword })
      assert.strictEqual(failure.tag, "PayoutGatewayConfigIncomplete")
      assert.match(failure.text, /^CINETPAY_API_KEY: required as CINETPAY_TRANSFER_PASSWORD is set/u)
      assert.notInclude(failure.text, credentials.transferPassword)
      assert.match(
        (yield* startupFailure({ CINETPAY_API_KEY: credentials.apiKey, CINETPAY_TRANSFER_PASSWORD: "x", CINETPAY_TRANSFER_BASE_URL: "client.cinetpay.com" })).text,
        /^CINETPAY_TRANSFER_BASE_URL: expected an http\(s\) URL/u
      )
    }))

  it.effect("the API key alone (the checkout's) leaves transfers off; with the password they are on, start-up says so and shows no secret", () =>
    Effect.scoped(Effect.gen(function*() {
      const checkoutOnly = yield* payoutGatewaysFrom({ CINETPAY_API_KEY: credentials.apiKey, CINETPAY_SITE_ID: "445566", CINETPAY_SECRET_KEY: "s" })
      assert.isUndefined(checkoutOnly.gateways.cinetpay)

      const { gateways, logs } = yield* payoutGatewaysFrom({ CINETPAY_API_KEY: credentials.apiKey, CINETPAY_TRANSFER_PASSWORD: credentials.transferPassword })
      assert.strictEqual(gateways.cinetpay?.gateway, "cinetpay")
      assert.isUndefined(gateways.wave)
      assert.deepInclude(logs[0]!, { level: "INFO", message: "payout gateways: Wave disabled, CinetPay enabled" })
      const printed = JSON.stringify(logs)
      for (const secret of [credentials.apiKey, credentials.transferPassword]) assert.notInclude(printed, secret)
    })))

  it.effect("CINETPAY_TRANSFER_BASE_URL is used; notify_url is PUBLIC_API_URL's when set, and left out when not", () =>
    Effect.scoped(Effect.gen(function*() {
      const cinetpay = yield* fakeCinetPay(credentials)
      const env = { CINETPAY_API_KEY: credentials.apiKey, CINETPAY_TRANSFER_PASSWORD: credentials.transferPassword, CINETPAY_TRANSFER_BASE_URL: `${cinetpay.baseUrl}/` }
      const withPublicUrl = yield* payoutGatewaysFrom({ ...env, PUBLIC_API_URL: "https://api.nelo.ci/" })
      yield* withPublicUrl.gateways.cinetpay!.send(payoutRequest(newPayoutId()))
      const sendOf = () => cinetpay.requests.filter((request) => pathOf(request) === "/v1/transfer/money/send/contact").at(-1)!
      assert.deepInclude((dataOf(sendOf()) as Array<object>)[0], { notify_url: "https://api.nelo.ci/api/v1/payouts/webhooks/cinetpay" })

      const without = yield* payoutGatewaysFrom(env)
      yield* without.gateways.cinetpay!.send(payoutRequest(newPayoutId()))
      assert.notProperty((dataOf(sendOf()) as Array<object>)[0], "notify_url")
      assert.deepStrictEqual(cinetpay.problems, [])
    })))
})
