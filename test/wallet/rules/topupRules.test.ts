import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer, Option } from "effect"
import { TestClock } from "effect/testing"
import { GatewayControls } from "@nelo/adapters/memory/PaymentGatewaysMemory"
import { OutboxStore } from "@nelo/domain/events/OutboxStore"
import { PaymentIntentRepository } from "@nelo/domain/payments/PaymentIntentRepository"
import { defaultWalletPolicy, WalletPolicy } from "@nelo/domain/wallet/WalletPolicy"
import { admin, atThursdayMorning, auditLedger, balanceOf, confirmTopup, freezeWallet, person, processWebhook, receiveWebhook, recheckPendingTopups, startTopup, thursdayMorningMs, walletContext, walletHistory } from "../walletFixtures.ts"

const alertPhone = "+2250700000098"
const policy = Layer.succeed(WalletPolicy, { ...defaultWalletPolicy, alertPhones: [alertPhone as never] })

const rule = (name: string, body: () => Effect.Effect<void, unknown, Layer.Success<ReturnType<typeof walletContext>> | GatewayControls>) =>
  it.effect(name, () => Effect.andThen(atThursdayMorning, body()).pipe(Effect.provide(walletContext(policy))))

const failureOf = <A, E>(effect: Effect.Effect<A, E, any>) =>
  Effect.map(Effect.exit(effect), (exit) => Exit.isFailure(exit) && exit.cause.reasons[0]?._tag === "Fail" ? (exit.cause.reasons[0] as any).error : "no failure")

const minuteMs = 60_000

describe("top-ups", () => {
  rule("a top-up opens a Wave checkout and credits nothing until Wave confirms; then exactly once, whatever the confirmations", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const intent = yield* startTopup(aya, { amountXof: 5_000, method: "wave", idempotencyKey: "topup-0001" })
      assert.deepStrictEqual([intent.status, intent.gateway], ["pending", "wave"])
      assert.match(intent.paymentUrl!, /^https:\/\/checkout\.memory\.invalid\/wave\//u)
      assert.strictEqual(yield* confirmTopup(intent.id, { kind: "system", id: "test" }), "still_pending")
      assert.strictEqual(yield* balanceOf(aya.id), 0)
      const pending = yield* walletHistory(aya.id, { cursor: null, limit: 10, types: null })
      assert.deepStrictEqual(pending.items.map((item) => [item.type, item.amountXof, item.status]), [["topup", 5_000, "pending"]])

      ;(yield* GatewayControls).wave.pay(intent.id)
      const outcomes = yield* Effect.all(Array.from({ length: 10 }, () => confirmTopup(intent.id, { kind: "system", id: "test" })), { concurrency: "unbounded" })
      assert.include(outcomes, "credited")
      assert.strictEqual(yield* balanceOf(aya.id), 5_000)
      assert.strictEqual(yield* confirmTopup(intent.id, { kind: "system", id: "test" }), "already_settled")
      const done = yield* walletHistory(aya.id, { cursor: null, limit: 10, types: null })
      assert.deepStrictEqual(done.items.map((item) => [item.type, item.amountXof, item.status]), [["topup", 5_000, "completed"]])
      assert.deepStrictEqual((yield* auditLedger()).differences, [])
    }))

  rule("the same idempotency key returns the same checkout; another amount under it is refused", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const first = yield* startTopup(aya, { amountXof: 2_000, method: "wave", idempotencyKey: "topup-same" })
      const again = yield* startTopup(aya, { amountXof: 2_000, method: "wave", idempotencyKey: "topup-same" })
      assert.deepStrictEqual([again.id, again.paymentUrl], [first.id, first.paymentUrl])
      assert.strictEqual((yield* failureOf(startTopup(aya, { amountXof: 3_000, method: "wave", idempotencyKey: "topup-same" })))._tag, "IdempotencyKeyReused")
      assert.strictEqual((yield* GatewayControls).wave.calls.filter((call) => call.method === "createCheckout").length, 1)
    }))

  rule("Wave down: CinetPay opens the checkout; both down: refused, nothing charged, and the same key works once they are back", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const controls = yield* GatewayControls
      controls.wave.setUnavailable(true)
      const fallback = yield* startTopup(aya, { amountXof: 1_000, method: "wave", idempotencyKey: "topup-fallback" })
      assert.strictEqual(fallback.gateway, "cinetpay")
      const stored = yield* (yield* PaymentIntentRepository).find(fallback.id)
      assert.strictEqual(Option.getOrThrow(stored).gateway, "cinetpay")
      controls.cinetpay.setUnavailable(true)
      assert.strictEqual((yield* failureOf(startTopup(aya, { amountXof: 1_000, method: "wave", idempotencyKey: "topup-outage" })))._tag, "PaymentsUnavailable")
      controls.wave.setUnavailable(false)
      controls.cinetpay.setUnavailable(false)
      const retried = yield* startTopup(aya, { amountXof: 1_000, method: "wave", idempotencyKey: "topup-outage" })
      assert.deepStrictEqual([retried.gateway, retried.status], ["wave", "pending"])
      assert.isNotNull(retried.paymentUrl)
    }))

  rule("amounts: at least the minimum, at most the maximum, multiples of 5; a frozen wallet cannot top up", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const user = { id: aya.id, phone: aya.phone }
      for (const amountXof of [95, 102, 1_000_005]) {
        assert.strictEqual((yield* failureOf(startTopup(user, { amountXof, method: "wave", idempotencyKey: `topup-amount-${amountXof}` })))._tag, "TopupAmountInvalid")
      }
      yield* startTopup(user, { amountXof: 100, method: "wave", idempotencyKey: "topup-minimum" })
      yield* startTopup(user, { amountXof: 1_000_000, method: "wave", idempotencyKey: "topup-maximum" })
      yield* freezeWallet(admin, aya.id, "Enquête en cours")
      assert.strictEqual((yield* failureOf(startTopup(user, { amountXof: 500, method: "wave", idempotencyKey: "topup-frozen" })))._tag, "WalletFrozen")
    }))

  rule("the gateway reports another amount or currency: nothing credited, the intent says mismatch, admins are alerted", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const intent = yield* startTopup(aya, { amountXof: 5_000, method: "wave", idempotencyKey: "topup-mismatch" })
      ;(yield* GatewayControls).wave.pay(intent.id, { amountXof: 500 })
      assert.strictEqual(yield* confirmTopup(intent.id, { kind: "system", id: "test" }), "mismatch")
      const other = yield* startTopup(aya, { amountXof: 5_000, method: "wave", idempotencyKey: "topup-currency" })
      ;(yield* GatewayControls).wave.pay(other.id, { currency: "EUR" })
      assert.strictEqual(yield* confirmTopup(other.id, { kind: "system", id: "test" }), "mismatch")
      assert.strictEqual(yield* balanceOf(aya.id), 0)
      assert.strictEqual(Option.getOrThrow(yield* (yield* PaymentIntentRepository).find(intent.id)).status, "mismatch")
      const events = (yield* (yield* OutboxStore).withClaim(100, (batch) => Effect.succeed(batch.events))) ?? []
      assert.strictEqual(events.filter((event) => event.type === "payment.mismatch").length, 2)
      assert.isTrue(events.some((event) => event.type === "notification.requested" && (event.payload as { to: string }).to === alertPhone))
    }))

  rule("refused or expired at the gateway: closed, nothing credited; paid after all (late), still credited", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const controls = yield* GatewayControls
      const refused = yield* startTopup(aya, { amountXof: 1_000, method: "wave", idempotencyKey: "topup-refused" })
      controls.wave.refuse(refused.id)
      assert.strictEqual(yield* confirmTopup(refused.id, { kind: "system", id: "test" }), "failed")
      const expired = yield* startTopup(aya, { amountXof: 2_000, method: "wave", idempotencyKey: "topup-expired" })
      controls.wave.expire(expired.id)
      assert.strictEqual(yield* confirmTopup(expired.id, { kind: "system", id: "test" }), "expired")
      assert.strictEqual(yield* balanceOf(aya.id), 0)
      controls.wave.pay(expired.id)
      assert.strictEqual(yield* confirmTopup(expired.id, { kind: "webhook", id: "wave:late" }), "credited")
      assert.strictEqual(yield* balanceOf(aya.id), 2_000)
    }))

  rule("webhooks: a signed one is stored once and processed by asking the gateway; replays (100 at once) credit nothing more; forged and stale ones are rejected", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const controls = yield* GatewayControls
      const intent = yield* startTopup(aya, { amountXof: 3_000, method: "wave", idempotencyKey: "topup-webhook" })
      // Before the payment: the webhook alone (even validly signed) credits nothing.
      const early = controls.wave.signedWebhook("evt-early", intent.id, thursdayMorningMs)
      const stored = yield* receiveWebhook("wave", early)
      assert.isTrue(stored.fresh)
      assert.strictEqual(yield* processWebhook(stored.event), "still_pending")
      assert.strictEqual(yield* balanceOf(aya.id), 0)

      controls.wave.pay(intent.id)
      const webhook = controls.wave.signedWebhook("evt-paid", intent.id, thursdayMorningMs)
      const received = yield* Effect.all(Array.from({ length: 100 }, () => receiveWebhook("wave", webhook)), { concurrency: "unbounded" })
      const fresh = received.filter((result) => result.fresh)
      assert.strictEqual(fresh.length, 1)
      yield* Effect.all([...received.map((result) => processWebhook(result.event))], { concurrency: "unbounded" })
      assert.strictEqual(yield* balanceOf(aya.id), 3_000)

      const forged = { ...webhook, rawBody: webhook.rawBody.replace("evt-paid", "evt-pair") }
      assert.deepStrictEqual((yield* failureOf(receiveWebhook("wave", forged))).reason, "signature_invalid")
      const stale = { ...webhook, receivedAtMs: thursdayMorningMs + 6 * minuteMs }
      assert.deepStrictEqual((yield* failureOf(receiveWebhook("wave", stale))).reason, "timestamp_stale")
      assert.deepStrictEqual((yield* auditLedger()).differences, [])
    }))

  rule("the re-check finds paid top-ups whose webhook never came, and expires the abandoned ones", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const controls = yield* GatewayControls
      const paid = yield* startTopup(aya, { amountXof: 1_500, method: "wave", idempotencyKey: "topup-missed-webhook" })
      const abandoned = yield* startTopup(aya, { amountXof: 2_500, method: "wave", idempotencyKey: "topup-abandoned" })
      controls.wave.pay(paid.id)
      // Too recent: left to its webhook.
      assert.strictEqual((yield* recheckPendingTopups(100)).intents, 0)
      yield* TestClock.adjust(6 * minuteMs)
      controls.wave.setUnavailable(true)
      yield* recheckPendingTopups(100)
      assert.strictEqual(yield* balanceOf(aya.id), 0)
      controls.wave.setUnavailable(false)
      // Asked at most once per re-check delay: nothing is due yet.
      assert.strictEqual((yield* recheckPendingTopups(100)).intents, 0)
      yield* TestClock.adjust(6 * minuteMs)
      const pass = yield* recheckPendingTopups(100)
      assert.deepStrictEqual(pass.outcomes, { credited: 1, still_pending: 1 })
      assert.strictEqual(yield* balanceOf(aya.id), 1_500)
      yield* TestClock.adjust(25 * 60 * minuteMs)
      assert.deepStrictEqual((yield* recheckPendingTopups(100)).outcomes, { expired: 1 })
      assert.strictEqual(Option.getOrThrow(yield* (yield* PaymentIntentRepository).find(abandoned.id)).status, "expired")
    }))

  rule("paid after we gave up and its webhook lost: the re-check keeps an eye on expired checkouts for a week and credits it", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const controls = yield* GatewayControls
      const intent = yield* startTopup(aya, { amountXof: 3_500, method: "wave", idempotencyKey: "topup-paid-late" })
      yield* TestClock.adjust(25 * 60 * minuteMs)
      assert.deepStrictEqual((yield* recheckPendingTopups(100)).outcomes, { expired: 1 })
      // Paid at last; no webhook ever comes.
      controls.wave.pay(intent.id)
      assert.strictEqual((yield* recheckPendingTopups(100)).intents, 0, "asked at most once an hour")
      yield* TestClock.adjust(61 * minuteMs)
      assert.deepStrictEqual((yield* recheckPendingTopups(100)).outcomes, { credited: 1 })
      assert.strictEqual(yield* balanceOf(aya.id), 3_500)
      assert.strictEqual(Option.getOrThrow(yield* (yield* PaymentIntentRepository).find(intent.id)).status, "succeeded")
      // After a week nobody asks any more.
      const other = yield* startTopup(aya, { amountXof: 1_000, method: "wave", idempotencyKey: "topup-never-paid" })
      yield* TestClock.adjust(25 * 60 * minuteMs)
      yield* recheckPendingTopups(100)
      yield* TestClock.adjust(7 * 24 * 60 * minuteMs)
      const calls = controls.wave.calls.length
      yield* recheckPendingTopups(100)
      assert.strictEqual(controls.wave.calls.length, calls)
      assert.strictEqual(Option.getOrThrow(yield* (yield* PaymentIntentRepository).find(other.id)).status, "expired")
    }))
})
