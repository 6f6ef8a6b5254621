import { assert, layer } from "@effect/vitest"
import { Effect, Layer, type Scope } from "effect"
import type { GatewayClient, WebhookRequest } from "@nelo/domain/payments/PaymentGateway"
import { xof } from "@nelo/domain/shared/Xof"

/** A gateway client with the means to act as its payer and its gateway. */
export interface GatewayUnderTest {
  readonly client: GatewayClient
  /** The payer pays the intent's checkout; `overrides` makes the gateway report another amount or currency. */
  readonly pay: (intentId: string, overrides?: { readonly amountXof?: number; readonly currency?: string }) => void
  /** The payer cancels or the operator refuses the payment. */
  readonly refuse: (intentId: string) => void
  /** What a refusal reads as: final (failed), or pending while the checkout stays open to another try (Wave). */
  readonly refusedState: "failed" | "pending"
  /** The checkout times out; undefined where the API has no such state (CinetPay). */
  readonly expire: ((intentId: string) => void) | undefined
  /** While true, the gateway answers nothing useful (5xx, or the memory's outage). */
  readonly setUnavailable: (unavailable: boolean) => void
  /** A payment webhook about the intent, signed with the client's secret, sent and received at `atMs`. */
  readonly signedWebhook: (eventId: string, intentId: string, atMs: number) => WebhookRequest
  /** The header that carries the signature. */
  readonly signatureHeader: string
  /** The event id the client must give for this webhook (the gateway's id, or a stand-in for it). */
  readonly expectedEventId: (eventId: string, request: WebhookRequest) => string
  /** Whether signatures carry a timestamp, and so go stale. */
  readonly signsTimestamps: boolean
  /** Refunds of the intent's checkout are refused from now on; undefined where the API refunds nothing (CinetPay). */
  readonly refuseRefund: ((intentId: string) => void) | undefined
  /** The intents whose checkout the gateway refunded, each as many times as it did. */
  readonly refunded: () => ReadonlyArray<string>
  /** What the fake saw wrong in the client's requests: empty after every test. */
  readonly problems: () => ReadonlyArray<string>
}

const amountXof = xof(5_000)
const payerPhone = "+2250701020304"
const newIntentId = () => `intent-${crypto.randomUUID()}`
const openCheckout = (client: GatewayClient, intentId: string) =>
  client.createCheckout({ intentId, amountXof: xof(amountXof), payerPhone, description: `Recharge du portefeuille NELO : ${amountXof} F CFA` })

const withoutHeader = (request: WebhookRequest, name: string): WebhookRequest => ({
  ...request,
  headers: Object.fromEntries(Object.entries(request.headers).filter(([key]) => key !== name))
})
const lastCharacterFlipped = (text: string) => text.slice(0, -1) + (text.endsWith("0") ? "1" : "0")

/** One suite, run against every GatewayClient: they must open, read and verify the same way. */
export const paymentGatewayContract = (name: string, makeSubject: Effect.Effect<GatewayUnderTest, never, Scope.Scope>) =>
  layer(Layer.empty, { excludeTestServices: true })(`PaymentGateway contract: ${name}`, (it) => {
    const test = (title: string, body: (subject: GatewayUnderTest) => Effect.Effect<void, unknown>) =>
      it.effect(title, () =>
        Effect.scoped(Effect.gen(function*() {
          const subject = yield* makeSubject
          yield* body(subject)
          assert.deepStrictEqual(subject.problems(), [], "what the gateway saw wrong in the client's requests")
        })))

    test("refunds a paid checkout whole and once (asked again after a lost answer: the same refund); refuses an unpaid one and a refused refund; an outage is unavailable; or has no refunds at all", (subject) =>
      Effect.gen(function*() {
        const { client } = subject
        if (client.refundCheckout === undefined) {
          assert.isUndefined(subject.refuseRefund, "a gateway without refunds in its API")
          return
        }
        const refund = client.refundCheckout
        const intentId = newIntentId()
        const checkout = yield* openCheckout(client, intentId)
        const unpaid = yield* Effect.flip(refund({ intentId, gatewayReference: checkout.gatewayReference }))
        assert.strictEqual(unpaid._tag, "GatewayRefused")
        subject.pay(intentId)
        subject.setUnavailable(true)
        assert.strictEqual((yield* Effect.flip(refund({ intentId, gatewayReference: checkout.gatewayReference })))._tag, "GatewayUnavailable")
        subject.setUnavailable(false)
        yield* refund({ intentId, gatewayReference: checkout.gatewayReference })
        yield* refund({ intentId, gatewayReference: checkout.gatewayReference })
        assert.deepStrictEqual(subject.refunded(), [intentId])

        const refusedId = newIntentId()
        const refusedCheckout = yield* openCheckout(client, refusedId)
        subject.pay(refusedId)
        subject.refuseRefund!(refusedId)
        assert.strictEqual((yield* Effect.flip(refund({ intentId: refusedId, gatewayReference: refusedCheckout.gatewayReference })))._tag, "GatewayRefused")
        assert.deepStrictEqual(subject.refunded(), [intentId])
      }))

    test("opens a checkout for the payer, which reads pending, for the amount asked, in XOF", ({ client }) =>
      Effect.gen(function*() {
        const intentId = newIntentId()
        const checkout = yield* openCheckout(client, intentId)
        assert.isNotEmpty(checkout.gatewayReference)
        assert.match(checkout.paymentUrl, /^https:\/\/\S+$/u)
        const status = yield* client.checkoutStatus({ intentId, gatewayReference: checkout.gatewayReference })
        assert.deepStrictEqual(status, { state: "pending", amountXof: xof(amountXof), currency: "XOF", paymentId: null })
      }))

    test("a paid checkout reads succeeded, with the amount and currency paid and the gateway's payment id", (subject) =>
      Effect.gen(function*() {
        const intentId = newIntentId()
        const checkout = yield* openCheckout(subject.client, intentId)
        subject.pay(intentId)
        const status = yield* subject.client.checkoutStatus({ intentId, gatewayReference: checkout.gatewayReference })
        assert.strictEqual(status.state, "succeeded")
        assert.strictEqual(status.amountXof, amountXof)
        assert.strictEqual(status.currency, "XOF")
        assert.isNotEmpty(status.paymentId ?? "")
      }))

    test("a payment of another amount or currency is reported as it is, for the domain to refuse crediting", (subject) =>
      Effect.gen(function*() {
        const lower = newIntentId()
        const lowerCheckout = yield* openCheckout(subject.client, lower)
        subject.pay(lower, { amountXof: 500 })
        const lowerStatus = yield* subject.client.checkoutStatus({ intentId: lower, gatewayReference: lowerCheckout.gatewayReference })
        assert.deepInclude(lowerStatus, { state: "succeeded", amountXof: xof(500), currency: "XOF" })
        const euros = newIntentId()
        const eurosCheckout = yield* openCheckout(subject.client, euros)
        subject.pay(euros, { currency: "EUR" })
        const eurosStatus = yield* subject.client.checkoutStatus({ intentId: euros, gatewayReference: eurosCheckout.gatewayReference })
        assert.deepInclude(eurosStatus, { state: "succeeded", amountXof, currency: "EUR" })
      }))

    test("a refused or cancelled payment reads as the gateway means it (final, or open to another try)", (subject) =>
      Effect.gen(function*() {
        const intentId = newIntentId()
        const checkout = yield* openCheckout(subject.client, intentId)
        subject.refuse(intentId)
        const status = yield* subject.client.checkoutStatus({ intentId, gatewayReference: checkout.gatewayReference })
        assert.strictEqual(status.state, subject.refusedState)
        assert.strictEqual(status.amountXof, amountXof)
      }))

    test("an expired checkout reads expired, where the gateway has expiry", (subject) =>
      Effect.gen(function*() {
        if (subject.expire === undefined) return
        const intentId = newIntentId()
        const checkout = yield* openCheckout(subject.client, intentId)
        subject.expire(intentId)
        const status = yield* subject.client.checkoutStatus({ intentId, gatewayReference: checkout.gatewayReference })
        assert.strictEqual(status.state, "expired")
      }))

    test("an unavailable gateway is GatewayUnavailable when opening and reading, and works again after", (subject) =>
      Effect.gen(function*() {
        const intentId = newIntentId()
        const checkout = yield* openCheckout(subject.client, intentId)
        subject.setUnavailable(true)
        const opening = yield* Effect.flip(openCheckout(subject.client, newIntentId()))
        assert.strictEqual(opening._tag, "GatewayUnavailable")
        assert.strictEqual(opening.gateway, subject.client.gateway)
        const reading = yield* Effect.flip(subject.client.checkoutStatus({ intentId, gatewayReference: checkout.gatewayReference }))
        assert.strictEqual(reading._tag, "GatewayUnavailable")
        subject.setUnavailable(false)
        assert.strictEqual((yield* subject.client.checkoutStatus({ intentId, gatewayReference: checkout.gatewayReference })).state, "pending")
      }))

    test("reading a checkout the gateway never opened is GatewayRefused", ({ client }) =>
      Effect.gen(function*() {
        const intentId = newIntentId()
        const failure = yield* Effect.flip(client.checkoutStatus({ intentId, gatewayReference: client.gateway === "cinetpay" ? intentId : "cos-never-opened" }))
        assert.strictEqual(failure._tag, "GatewayRefused")
      }))

    test("a correctly signed webhook verifies, with its event id, our intent id and the checkout's reference", (subject) =>
      Effect.gen(function*() {
        const intentId = newIntentId()
        const checkout = yield* openCheckout(subject.client, intentId)
        subject.pay(intentId)
        const request = subject.signedWebhook("evt-1", intentId, Date.now())
        const verified = yield* subject.client.verifyWebhook(request)
        assert.strictEqual(verified.eventId, subject.expectedEventId("evt-1", request))
        assert.strictEqual(verified.intentId, intentId)
        assert.strictEqual(verified.gatewayReference, checkout.gatewayReference)
        assert.isNotEmpty(verified.type)
        // The same delivery again (at-least-once) gives the same event id, so it is stored once.
        assert.strictEqual((yield* subject.client.verifyWebhook(request)).eventId, verified.eventId)
      }))

    test("a forged or missing signature, or a body changed by one byte, is rejected", (subject) =>
      Effect.gen(function*() {
        const intentId = newIntentId()
        yield* openCheckout(subject.client, intentId)
        const request = subject.signedWebhook("evt-2", intentId, Date.now())
        const forged = { ...request, headers: { ...request.headers, [subject.signatureHeader]: lastCharacterFlipped(request.headers[subject.signatureHeader]!) } }
        const changed = { ...request, rawBody: request.rawBody.replace(intentId, lastCharacterFlipped(intentId)) }
        assert.notStrictEqual(changed.rawBody, request.rawBody)
        const reasons = yield* Effect.forEach([forged, withoutHeader(request, subject.signatureHeader), changed], (candidate) =>
          Effect.flip(subject.client.verifyWebhook(candidate)).pipe(Effect.map((rejection) => rejection.reason)))
        assert.deepStrictEqual(reasons, ["signature_invalid", "signature_missing", "signature_invalid"])
      }))

    test("a signature 301 s old or 301 s ahead of its arrival is stale; 300 s either way is accepted", (subject) =>
      Effect.gen(function*() {
        if (!subject.signsTimestamps) return
        const intentId = newIntentId()
        yield* openCheckout(subject.client, intentId)
        const signedAtMs = Math.floor(Date.now() / 1000) * 1000
        const request = subject.signedWebhook("evt-3", intentId, signedAtMs)
        const arrivingAfter = (seconds: number) => subject.client.verifyWebhook({ ...request, receivedAtMs: signedAtMs + seconds * 1000 })
        for (const seconds of [301, -301]) assert.strictEqual((yield* Effect.flip(arrivingAfter(seconds))).reason, "timestamp_stale")
        for (const seconds of [300, -300]) assert.strictEqual((yield* arrivingAfter(seconds)).intentId, intentId)
      }))
  })
