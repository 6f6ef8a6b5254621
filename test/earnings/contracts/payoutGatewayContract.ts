import { assert, layer } from "@effect/vitest"
import { Effect, Layer, type Scope } from "effect"
import type { PayoutClient, PayoutRequest } from "@nelo/domain/earnings/PayoutGateway"
import { type Xof, xof } from "@nelo/domain/shared/Xof"

/** A payout client with the means to act as its gateway. */
export interface PayoutGatewayUnderTest {
  readonly client: PayoutClient
  /** Our payout ids the gateway made a payout for, once each per payout it made, in order. */
  readonly paid: () => ReadonlyArray<string>
  /** From now on new payouts stay processing until settled; otherwise they succeed at once. */
  readonly holdNew: (hold: boolean) => void
  /** The gateway's verdict on a payout it holds. */
  readonly settle: (payoutId: string, state: "succeeded" | "failed") => void
  /** The payout is taken back after being paid; undefined where the API has no reversal (CinetPay). */
  readonly reverse: ((payoutId: string) => void) | undefined
  /** From now on this number is refused (an account the gateway cannot pay). */
  readonly refuseMobile: (mobile: string) => void
  /** While true, the gateway answers nothing useful (5xx, or the memory's outage). */
  readonly setUnavailable: (unavailable: boolean) => void
  /** The next send is made but its answer is lost: the caller sees an outage, the payout exists. */
  readonly loseNextAnswer: () => void
  /** Whether amounts must be multiples of 5 (CinetPay). */
  readonly multiplesOfFive: boolean
  /** What the fake saw wrong in the client's requests: empty after every test. */
  readonly problems: () => ReadonlyArray<string>
}

const mobile = "+2250701020304"
const newPayoutId = () => `payout-${crypto.randomUUID()}`
export const payoutRequest = (payoutId: string, overrides: Partial<Omit<PayoutRequest, "payoutId">> = {}): PayoutRequest => ({
  payoutId,
  amountXof: xof(5_000),
  mobile,
  name: "Kouassi Yao",
  reason: "Gains NELO",
  ...overrides
})

/** One suite, run against every PayoutClient: they must pay once, read back and fail the same way. */
export const payoutGatewayContract = (name: string, makeSubject: Effect.Effect<PayoutGatewayUnderTest, never, Scope.Scope>) =>
  layer(Layer.empty, { excludeTestServices: true })(`PayoutGateway contract: ${name}`, (it) => {
    const test = (title: string, body: (subject: PayoutGatewayUnderTest) => Effect.Effect<void, unknown>) =>
      it.effect(title, () =>
        Effect.scoped(Effect.gen(function*() {
          const subject = yield* makeSubject
          yield* body(subject)
          assert.deepStrictEqual(subject.problems(), [], "what the gateway saw wrong in the client's requests")
        })))

    test("a payout is paid once however often it is sent with the same id, the same payout each time", (subject) =>
      Effect.gen(function*() {
        const payoutId = newPayoutId()
        const first = yield* subject.client.send(payoutRequest(payoutId))
        assert.strictEqual(first.state, "succeeded")
        assert.isNotEmpty(first.gatewayReference ?? "")
        const again = yield* subject.client.send(payoutRequest(payoutId))
        const thrice = yield* subject.client.send(payoutRequest(payoutId))
        assert.strictEqual(again.gatewayReference, first.gatewayReference)
        assert.strictEqual(thrice.gatewayReference, first.gatewayReference)
        assert.deepStrictEqual(subject.paid(), [payoutId])
      }))

    test("a send whose answer was lost is an outage; sent again with the same id it is the payout made then, paid once", (subject) =>
      Effect.gen(function*() {
        const payoutId = newPayoutId()
        subject.loseNextAnswer()
        const lost = yield* Effect.flip(subject.client.send(payoutRequest(payoutId)))
        assert.strictEqual(lost._tag, "GatewayUnavailable")
        assert.deepStrictEqual(subject.paid(), [payoutId], "the payout was made all the same")
        const retried = yield* subject.client.send(payoutRequest(payoutId))
        assert.strictEqual(retried.state, "succeeded")
        assert.deepStrictEqual(subject.paid(), [payoutId])
        // Read by our id alone (its reference never learnt), it is the same one.
        const read = yield* subject.client.statusOf({ payoutId, gatewayReference: null })
        assert.strictEqual(read.gatewayReference, retried.gatewayReference)
      }))

    test("the same id sent again with another amount or number is refused, and pays nothing more", (subject) =>
      Effect.gen(function*() {
        const payoutId = newPayoutId()
        yield* subject.client.send(payoutRequest(payoutId))
        const otherAmount = yield* Effect.flip(subject.client.send(payoutRequest(payoutId, { amountXof: xof(6_000) })))
        assert.strictEqual(otherAmount._tag, "GatewayRefused")
        const otherNumber = yield* Effect.flip(subject.client.send(payoutRequest(payoutId, { mobile: "+2250506070809" })))
        assert.strictEqual(otherNumber._tag, "GatewayRefused")
        assert.deepStrictEqual(subject.paid(), [payoutId])
      }))

    test("a held payout reads processing after the send, by its reference or by our id alone, then as the gateway settles it", (subject) =>
      Effect.gen(function*() {
        subject.holdNew(true)
        const payoutId = newPayoutId()
        const sent = yield* subject.client.send(payoutRequest(payoutId))
        assert.strictEqual(sent.state, "processing")
        assert.isNotNull(sent.gatewayReference)
        const byReference = yield* subject.client.statusOf({ payoutId, gatewayReference: sent.gatewayReference })
        const byId = yield* subject.client.statusOf({ payoutId, gatewayReference: null })
        assert.deepInclude(byReference, { state: "processing", gatewayReference: sent.gatewayReference })
        assert.deepInclude(byId, { state: "processing", gatewayReference: sent.gatewayReference })
        subject.settle(payoutId, "succeeded")
        assert.deepStrictEqual(yield* subject.client.statusOf({ payoutId, gatewayReference: sent.gatewayReference }), {
          state: "succeeded",
          gatewayReference: sent.gatewayReference,
          detail: null
        })
      }))

    test("a payout the gateway fails reads failed with its reason; one it reverses reads reversed (where it reverses)", (subject) =>
      Effect.gen(function*() {
        subject.holdNew(true)
        const failedId = newPayoutId()
        const failed = yield* subject.client.send(payoutRequest(failedId))
        subject.settle(failedId, "failed")
        const failedStatus = yield* subject.client.statusOf({ payoutId: failedId, gatewayReference: failed.gatewayReference })
        assert.strictEqual(failedStatus.state, "failed")
        assert.isNotEmpty(failedStatus.detail ?? "", "the gateway's reason, for the admins")
        // Sent again with the same id, a failed payout stays that payout: nothing is paid twice.
        assert.strictEqual((yield* subject.client.send(payoutRequest(failedId))).state, "failed")
        assert.deepStrictEqual(subject.paid(), [failedId])

        if (subject.reverse === undefined) return
        subject.holdNew(false)
        const reversedId = newPayoutId()
        const paid = yield* subject.client.send(payoutRequest(reversedId))
        assert.strictEqual(paid.state, "succeeded")
        subject.reverse(reversedId)
        assert.strictEqual((yield* subject.client.statusOf({ payoutId: reversedId, gatewayReference: paid.gatewayReference })).state, "reversed")
        assert.strictEqual((yield* subject.client.statusOf({ payoutId: reversedId, gatewayReference: null })).state, "reversed")
      }))

    test("a payout never sent reads unknown, without a reference: safe to send", ({ client }) =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* client.statusOf({ payoutId: newPayoutId(), gatewayReference: null }), {
          state: "unknown",
          gatewayReference: null,
          detail: null
        })
      }))

    test("an unavailable gateway is GatewayUnavailable when sending and reading, pays nothing, and works again after", (subject) =>
      Effect.gen(function*() {
        const payoutId = newPayoutId()
        subject.setUnavailable(true)
        const sending = yield* Effect.flip(subject.client.send(payoutRequest(payoutId)))
        assert.strictEqual(sending._tag, "GatewayUnavailable")
        assert.strictEqual(sending.gateway, subject.client.gateway)
        const reading = yield* Effect.flip(subject.client.statusOf({ payoutId, gatewayReference: null }))
        assert.strictEqual(reading._tag, "GatewayUnavailable")
        assert.deepStrictEqual(subject.paid(), [])
        subject.setUnavailable(false)
        assert.strictEqual((yield* subject.client.statusOf({ payoutId, gatewayReference: null })).state, "unknown")
        assert.strictEqual((yield* subject.client.send(payoutRequest(payoutId))).state, "succeeded")
        assert.deepStrictEqual(subject.paid(), [payoutId])
      }))

    test("a number the gateway cannot pay is GatewayRefused, and nothing is paid", (subject) =>
      Effect.gen(function*() {
        const refused = "+2250102030405"
        subject.refuseMobile(refused)
        const payoutId = newPayoutId()
        const failure = yield* Effect.flip(subject.client.send(payoutRequest(payoutId, { mobile: refused })))
        assert.strictEqual(failure._tag, "GatewayRefused")
        assert.strictEqual(failure.gateway, subject.client.gateway)
        assert.deepStrictEqual(subject.paid(), [])
        assert.strictEqual((yield* subject.client.statusOf({ payoutId, gatewayReference: null })).state, "unknown")
      }))

    test("an amount that is not whole francs above zero (or, for CinetPay, not a multiple of 5) is refused before anything is paid", (subject) =>
      Effect.gen(function*() {
        const invalid = [0, -5_000, 4_999.5, Number.NaN, ...(subject.multiplesOfFive ? [5_002] : [])]
        for (const amountXof of invalid) {
          const failure = yield* Effect.flip(subject.client.send(payoutRequest(newPayoutId(), { amountXof: amountXof as Xof })))
          assert.strictEqual(failure._tag, "GatewayRefused", String(amountXof))
        }
        assert.deepStrictEqual(subject.paid(), [])
        if (!subject.multiplesOfFive) {
          const payoutId = newPayoutId()
          assert.strictEqual((yield* subject.client.send(payoutRequest(payoutId, { amountXof: xof(5_002) }))).state, "succeeded")
        }
      }))
  })
