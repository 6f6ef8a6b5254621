import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { TestClock } from "effect/testing"
import { GatewayControls } from "@nelo/adapters/memory/PaymentGatewaysMemory"
import { PaymentIntentRepository } from "@nelo/domain/payments/PaymentIntentRepository"
import { LedgerUnavailable } from "@nelo/domain/wallet/errors"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { defaultWalletPolicy, WalletPolicy } from "@nelo/domain/wallet/WalletPolicy"
import { topupRecheckLoop } from "../../apps/worker/src/topupRecheckLoop.ts"
import { captureLogs } from "../support/captureLogs.ts"
import { atThursdayMorning, balanceOf, person, startTopup, walletContext } from "../wallet/walletFixtures.ts"

const minuteMs = 60_000
const intervalMs = minuteMs
// Short delays, so that the abandon delay is a few dozen passes away rather than 1,440.
const policy = Layer.succeed(WalletPolicy, { ...defaultWalletPolicy, topupRecheckAfterMs: 5 * minuteMs, topupAbandonAfterMs: 30 * minuteMs })

type Services = Layer.Success<ReturnType<typeof walletContext>> | GatewayControls

/**
 * Each test: fresh adapters (the intents' store replaced by `intentsOverride` if given), the clock on
 * a Thursday morning, the loop running in the background, its logs kept.
 */
const withLoop = <A, E>(
  body: (logs: ReturnType<typeof captureLogs>) => Effect.Effect<A, E, Services>,
  intentsOverride?: Layer.Layer<PaymentIntentRepository, never, PaymentIntentRepository>
) => {
  const logs = captureLogs()
  const test = Effect.gen(function*() {
    yield* atThursdayMorning
    yield* Effect.forkScoped(topupRecheckLoop({ batchSize: 100, intervalMs }))
    return yield* body(logs)
  }).pipe(Effect.scoped, Effect.provide(logs.layer))
  return test.pipe(Effect.provide(walletContext(policy, intentsOverride)))
}

/** A top-up of 5,000 F through Wave, its checkout open, nothing paid yet. */
const pendingTopup = Effect.gen(function*() {
  const aya = yield* person("Aya Kouassi")
  const intent = yield* startTopup(aya, { amountXof: 5_000, method: "wave", idempotencyKey: `topup-${aya.id}` })
  return { userId: aya.id, intentId: intent.id }
})

const statusOf = (intentId: string) =>
  Effect.gen(function*() {
    return Option.getOrThrow(yield* (yield* PaymentIntentRepository).find(intentId)).status
  })

const creditsOf = (userId: string) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    const wallet = yield* ledger.findWallet(userId)
    if (Option.isNone(wallet)) return 0
    return (yield* ledger.history({ accountId: wallet.value.id, beforeId: null, types: ["topup"], limit: 10 })).length
  })

/** How many times the loop asked Wave about a checkout. */
const statusChecks = Effect.gen(function*() {
  return (yield* GatewayControls).wave.calls.filter((call) => call.method === "checkoutStatus").length
})

/** Lets `count` passes of the loop run, one interval apart. */
const passes = (count: number) => Effect.repeat(TestClock.adjust(intervalMs), { times: count - 1 })

describe("top-up re-check loop", () => {
  it.effect("a pending top-up older than the re-check delay, paid at the gateway, is credited exactly once over many passes", () =>
    withLoop((logs) =>
      Effect.gen(function*() {
        const { userId, intentId } = yield* pendingTopup
        ;(yield* GatewayControls).wave.pay(intentId)
        // Younger than the re-check delay: left to its webhook, the gateway is not asked.
        yield* passes(4)
        assert.strictEqual(yield* statusChecks, 0)
        assert.strictEqual(yield* balanceOf(userId), 0)

        yield* passes(2)
        assert.strictEqual(yield* balanceOf(userId), 5_000)
        assert.strictEqual(yield* statusOf(intentId), "succeeded")
        const credited = logs.lines.find((line) => line.message === "pending top-ups re-checked")
        assert.deepInclude(credited?.annotations, { webhooks: 0, intents: 1, credited: 1 })

        yield* passes(10)
        assert.strictEqual(yield* balanceOf(userId), 5_000)
        assert.strictEqual(yield* creditsOf(userId), 1)
        assert.strictEqual(yield* statusChecks, 1, "a settled intent is never asked about again")
      })))

  it.effect("a top-up still pending at the gateway is asked about once per re-check delay, not every pass, then expires after the abandon delay", () =>
    withLoop((logs) =>
      Effect.gen(function*() {
        const { userId, intentId } = yield* pendingTopup
        yield* passes(29)
        assert.strictEqual(yield* statusOf(intentId), "pending")
        // Minutes 6, 12, 18 and 24 of 29 passes: once each time its last question is more than 5 minutes old.
        assert.strictEqual(yield* statusChecks, 4)
        assert.isUndefined(logs.lines.find((line) => line.message === "pending top-ups re-checked"), "a pass that changed nothing is silent")

        yield* passes(2)
        assert.strictEqual(yield* statusOf(intentId), "expired")
        assert.deepInclude(logs.lines.find((line) => line.message === "pending top-ups re-checked")?.annotations, { intents: 1, expired: 1 })
        const checks = yield* statusChecks
        yield* passes(5)
        assert.strictEqual(yield* statusChecks, checks, "an expired intent leaves the re-check")
        assert.strictEqual(yield* balanceOf(userId), 0)
      })))

  it.effect("a gateway outage leaves the top-up pending and is logged; the next pass after it credits it", () =>
    withLoop((logs) =>
      Effect.gen(function*() {
        const { userId, intentId } = yield* pendingTopup
        const wave = (yield* GatewayControls).wave
        wave.pay(intentId)
        wave.setUnavailable(true)
        yield* passes(7)
        assert.strictEqual(yield* statusOf(intentId), "pending")
        assert.strictEqual(yield* balanceOf(userId), 0)
        const failure = logs.lines.find((line) => line.message === "top-up re-check failed")
        assert.strictEqual(failure?.level, "WARN")
        assert.strictEqual(failure?.annotations.intentId, intentId)
        assert.match(String(failure?.annotations.error), /GatewayUnavailable/u)
        assert.deepInclude(logs.lines.find((line) => line.message === "pending top-ups re-checked")?.annotations, { intents: 1, error: 1 })

        wave.setUnavailable(false)
        // Asked again once its last question is a re-check delay old.
        yield* passes(5)
        assert.strictEqual(yield* statusOf(intentId), "succeeded")
        assert.strictEqual(yield* balanceOf(userId), 5_000)
        yield* passes(3)
        assert.strictEqual(yield* creditsOf(userId), 1)
      })))

  it.effect("a pass whose store fails is logged, and the loop goes on: the next pass credits", () =>
    Effect.gen(function*() {
      // The intents' store refuses one listing of pending top-ups when told to, as a database down would.
      let failuresLeft = 0
      const flakyIntents = Layer.effect(PaymentIntentRepository, Effect.gen(function*() {
        const intents = yield* PaymentIntentRepository
        return PaymentIntentRepository.of({
          ...intents,
          pendingBefore: (createdBefore, checkedBefore, limit) =>
            failuresLeft-- > 0 ? Effect.fail(new LedgerUnavailable({ cause: new Error("connection refused") })) : intents.pendingBefore(createdBefore, checkedBefore, limit)
        })
      }))
      yield* withLoop((logs) =>
        Effect.gen(function*() {
          const { userId, intentId } = yield* pendingTopup
          ;(yield* GatewayControls).wave.pay(intentId)
          yield* passes(5)
          failuresLeft = 1
          yield* passes(1)
          const failed = logs.lines.find((line) => line.message === "top-up re-check pass failed")
          assert.strictEqual(failed?.level, "WARN")
          assert.match(String(failed?.annotations.cause), /connection refused/u)
          assert.strictEqual(yield* balanceOf(userId), 0)
          yield* passes(1)
          assert.strictEqual(yield* balanceOf(userId), 5_000)
        }), flakyIntents)
    }))
})
