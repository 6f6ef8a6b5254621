import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Layer } from "effect"
import { TestClock } from "effect/testing"
import { CashAlertLogMemory } from "@nelo/adapters/memory/CashAlertLogMemory"
import { DriverCash } from "@nelo/domain/earnings/DriverCash"
import { DriverCashPolicy, defaultDriverCashPolicy } from "@nelo/domain/earnings/DriverCashPolicy"
import { currentDate } from "@nelo/domain/shared/currentDate"
import { IdGenerator } from "@nelo/domain/shared/IdGenerator"
import type { Phone } from "@nelo/domain/shared/Phone"
import { xof } from "@nelo/domain/shared/Xof"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { cashAlertLoop } from "../../../apps/worker/src/cashAlertLoop.ts"
import { dispatchContext, eventsAbout, onlineDriver } from "../../deliveries/dispatchFixtures.ts"

// The worker's daily job on the memory adapters, its clock moved by hand: the alert goes out at
// 08:00 Abidjan, once a day; a worker started after 08:00 catches up at once, and only once.

const context = DriverCash.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(CashAlertLogMemory, Layer.succeed(DriverCashPolicy, { ...defaultDriverCashPolicy, alertPhones: ["+2250700000009" as Phone] }))),
  Layer.provideMerge(dispatchContext())
)

const collect = (driverId: string, amountXof: number) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    const [cash, escrow] = [yield* ledger.cashInHandOf(driverId), yield* ledger.escrowOf(crypto.randomUUID())]
    yield* ledger.post({
      transaction: {
        id: yield* (yield* IdGenerator).uuid,
        type: "cash_collection",
        idempotencyKey: `test-cash:${crypto.randomUUID()}`,
        postings: [{ accountId: cash.id, amountXof: xof(-amountXof) }, { accountId: escrow.id, amountXof: xof(amountXof) }],
        cause: { kind: "system", id: "test" },
        reversesId: null,
        note: null,
        reference: null,
        createdAt: yield* currentDate
      }
    })
  })

const alertsOf = (day: string) => Effect.map(eventsAbout(`cash-alert:${day}`), (events) => events.length)

describe("the drivers' cash alert loop", () => {
  it.effect("at 08:00 Abidjan each day, once", () =>
    Effect.gen(function*() {
      const driver = yield* onlineDriver(300)
      yield* collect(driver.userId, 60_000)
      const loop = yield* Effect.forkChild(cashAlertLoop)
      yield* TestClock.adjust("7 hours")
      assert.strictEqual(yield* alertsOf("1970-01-01"), 0, "not before 08:00")
      yield* TestClock.adjust("1 hour")
      assert.strictEqual(yield* alertsOf("1970-01-01"), 1)
      yield* TestClock.adjust("12 hours")
      assert.strictEqual(yield* alertsOf("1970-01-01"), 1, "once that day")
      yield* TestClock.adjust("12 hours")
      assert.strictEqual(yield* alertsOf("1970-01-02"), 1, "the next day at 08:00")
      yield* Fiber.interrupt(loop)
    }).pipe(Effect.provide(context)))

  it.effect("a worker started after 08:00 catches up at once; started again the same day, it sends nothing more", () =>
    Effect.gen(function*() {
      const driver = yield* onlineDriver(300)
      yield* collect(driver.userId, 60_000)
      yield* TestClock.adjust("10 hours")
      const first = yield* Effect.forkChild(cashAlertLoop)
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* alertsOf("1970-01-01"), 1)
      yield* Fiber.interrupt(first)
      const restarted = yield* Effect.forkChild(cashAlertLoop)
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* alertsOf("1970-01-01"), 1, "the day is recorded: nothing twice")
      yield* Fiber.interrupt(restarted)
    }).pipe(Effect.provide(context)))
})
