import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import { Effect, Layer, Option } from "effect"
import { TestClock } from "effect/testing"
import { CashAlertLogMemory } from "@nelo/adapters/memory/CashAlertLogMemory"
import { DeliveryRepository } from "@nelo/domain/deliveries/DeliveryRepository"
import { Dispatch } from "@nelo/domain/deliveries/Dispatch"
import { defaultDriverPolicy } from "@nelo/domain/deliveries/DriverPolicy"
import { Drivers } from "@nelo/domain/deliveries/Drivers"
import { abidjanDay, dailyRunDue, nextDailyRun, overdueAlertBody } from "@nelo/domain/earnings/cashAlert"
import { remittanceKey } from "@nelo/domain/earnings/cashRemittance"
import { DriverCash } from "@nelo/domain/earnings/DriverCash"
import { DriverCashPolicy, type DriverCashPolicyNumbers, defaultDriverCashPolicy } from "@nelo/domain/earnings/DriverCashPolicy"
import { type CashMovement, oldestUnremitted, outstandingCollections, shortfallOf } from "@nelo/domain/earnings/unremittedCash"
import { currentDate } from "@nelo/domain/shared/currentDate"
import { IdGenerator } from "@nelo/domain/shared/IdGenerator"
import type { Phone } from "@nelo/domain/shared/Phone"
import { xof } from "@nelo/domain/shared/Xof"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { confirmedEventOf, deliverOrder, dispatchContext, eventsAbout, onlineDriver, sendPosition } from "../../deliveries/dispatchFixtures.ts"
import { restaurant } from "../../orders/ordersFixtures.ts"
import { admin, confirmedAt } from "../earningsFixtures.ts"

// The drivers' cash on the memory adapters (issue 13, "Driver cash"): remittances (replayed once,
// never over what is held, a reference never reused for another amount), the cap lifted through
// the real drivers' and dispatch's rules, the report's first-in-first-out age and shortfall, and
// the daily alert sent once per Abidjan day.

const alertPhone = "+2250700000001" as Phone
const hour = 3_600_000

const cashContext = (policy: Partial<DriverCashPolicyNumbers> = {}) =>
  DriverCash.layer.pipe(
    Layer.provideMerge(Layer.mergeAll(CashAlertLogMemory, Layer.succeed(DriverCashPolicy, { ...defaultDriverCashPolicy, alertPhones: [alertPhone], ...policy }))),
    Layer.provideMerge(dispatchContext())
  )

/** Cash a driver collected at a door now (as Deliveries.complete posts it), without an order behind it. */
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

/** What NELO owes the driver now grows by `amountXof` (as a settlement would). */
const earn = (driverId: string, amountXof: number) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    const [earnings, revenue] = [yield* ledger.driverEarningsOf(driverId), yield* ledger.platformRevenue]
    yield* ledger.post({
      transaction: {
        id: yield* (yield* IdGenerator).uuid,
        type: "commission",
        idempotencyKey: `test-earn:${crypto.randomUUID()}`,
        postings: [{ accountId: earnings.id, amountXof: xof(amountXof) }, { accountId: revenue.id, amountXof: xof(-amountXof) }],
        cause: { kind: "system", id: "test" },
        reversesId: null,
        note: null,
        reference: null,
        createdAt: yield* currentDate
      }
    })
  })

const heldBy = (driverId: string) => Effect.map(Ledger.use((ledger) => ledger.cashHeldBy([driverId])), (held) => held.get(driverId))
const balanceOf = (account: Effect.Effect<{ readonly id: string }, unknown, Ledger>) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    return (yield* ledger.stateOf((yield* account).id)).balanceXof
  })

describe("driver cash: remittances", () => {
  it.effect("a cash delivery, then 3,000 F handed in at the office and the rest by Wave: the cash in hand falls, office cash and Wave clearing hold it", () =>
    Effect.gen(function*() {
      const driver = yield* onlineDriver(300)
      const place = yield* restaurant()
      const delivered = yield* deliverOrder(yield* confirmedAt(place, { paymentMethod: "cash", garbas: 2, large: true }), driver)
      const total = delivered.order.totals.totalXof
      assert.strictEqual(yield* heldBy(driver.userId), total)
      const cash = yield* DriverCash
      const office = yield* cash.remit({ driverId: driver.userId, amountXof: 3_000, reference: "RECU-0001", via: "office", note: "billets de 1 000" }, admin)
      assert.deepInclude(office as unknown as Record<string, unknown>, { driverId: driver.userId, amountXof: 3_000, reference: "RECU-0001", via: "office", note: "billets de 1 000", recordedBy: admin.userId, cashHeldXof: total - 3_000, replayed: false })
      const wave = yield* cash.remit({ driverId: driver.userId, amountXof: total - 3_000, reference: "T_WAVE_42", via: "wave" }, admin)
      assert.deepInclude(wave as unknown as Record<string, unknown>, { via: "wave", cashHeldXof: 0, replayed: false, note: null })
      assert.strictEqual(yield* heldBy(driver.userId), 0)
      const ledger = yield* Ledger
      assert.strictEqual(yield* balanceOf(ledger.officeCash), -3_000)
      assert.strictEqual(yield* balanceOf(ledger.clearingOf("wave")), -(total - 3_000))
      const written = Option.getOrThrow(yield* ledger.findByKey(remittanceKey(driver.userId, "RECU-0001")))
      assert.deepInclude(written, { type: "cash_collection", reference: "RECU-0001", cause: { kind: "admin", id: admin.userId } })
    }).pipe(Effect.provide(cashContext())))

  it.effect("entered twice, written once (replayed, 200 for the API); the same reference with another amount or way is refused, writing nothing", () =>
    Effect.gen(function*() {
      const driver = yield* onlineDriver(300)
      yield* collect(driver.userId, 20_000)
      const cash = yield* DriverCash
      const first = yield* cash.remit({ driverId: driver.userId, amountXof: 5_000, reference: "R-77", via: "office" }, admin)
      const again = yield* cash.remit({ driverId: driver.userId, amountXof: 5_000, reference: "R-77", via: "office", note: "saisi deux fois" }, admin)
      assert.isTrue(again.replayed)
      assert.strictEqual(again.transactionId, first.transactionId)
      assert.strictEqual(again.cashHeldXof, 15_000)
      const otherAmount = yield* Effect.flip(cash.remit({ driverId: driver.userId, amountXof: 6_000, reference: "R-77", via: "office" }, admin))
      assert.deepInclude(otherAmount, { _tag: "RemittanceReferenceReused", reference: "R-77", recordedXof: 5_000, recordedVia: "office" })
      const otherWay = yield* Effect.flip(cash.remit({ driverId: driver.userId, amountXof: 5_000, reference: "R-77", via: "wave" }, admin))
      assert.strictEqual(otherWay._tag, "RemittanceReferenceReused")
      // Concurrent entries of one remittance: one transaction.
      const racing = yield* Effect.all(Array.from({ length: 5 }, () => cash.remit({ driverId: driver.userId, amountXof: 1_000, reference: "R-78", via: "wave" }, admin)), { concurrency: "unbounded" })
      assert.strictEqual(new Set(racing.map((remittance) => remittance.transactionId)).size, 1)
      assert.strictEqual(racing.filter((remittance) => !remittance.replayed).length, 1)
      assert.strictEqual(yield* heldBy(driver.userId), 14_000)
    }).pipe(Effect.provide(cashContext())))

  it.effect("refused: over what the driver holds (also two at once), 0 or less, a fraction, a bad reference, an unknown driver, a non-admin", () =>
    Effect.gen(function*() {
      const driver = yield* onlineDriver(300)
      yield* collect(driver.userId, 10_000)
      const cash = yield* DriverCash
      const remit = (amountXof: number, reference = `R-${crypto.randomUUID().slice(0, 8)}`, driverId: string = driver.userId, by: { readonly userId: string; readonly roles: ReadonlyArray<"admin" | "client"> } = admin) =>
        Effect.flip(cash.remit({ driverId, amountXof, reference, via: "office" }, by as typeof admin))
      assert.deepInclude(yield* remit(10_001), { _tag: "RemittanceExceedsHeld", heldXof: 10_000 })
      assert.deepInclude(yield* remit(0), { _tag: "RemittanceAmountInvalid", amountXof: 0 })
      assert.strictEqual((yield* remit(-5)). _tag, "RemittanceAmountInvalid")
      assert.strictEqual((yield* remit(10.5))._tag, "RemittanceAmountInvalid")
      assert.strictEqual((yield* remit(100, "avec espace"))._tag, "RemittanceReferenceInvalid")
      assert.strictEqual((yield* remit(100, ""))._tag, "RemittanceReferenceInvalid")
      assert.strictEqual((yield* remit(100, undefined, crypto.randomUUID()))._tag, "DriverNotRegistered")
      assert.strictEqual((yield* remit(100, undefined, driver.userId, { userId: driver.userId, roles: ["client"] }))._tag, "AdminRoleRequired")
      assert.strictEqual(yield* heldBy(driver.userId), 10_000, "nothing written")
      // Two remittances of 6,000 F at once on 10,000 F held: the lock lets one through.
      const both = yield* Effect.all([
        Effect.result(cash.remit({ driverId: driver.userId, amountXof: 6_000, reference: "A-1", via: "office" }, admin)),
        Effect.result(cash.remit({ driverId: driver.userId, amountXof: 6_000, reference: "A-2", via: "wave" }, admin))
      ], { concurrency: "unbounded" })
      assert.strictEqual(both.filter((result) => result._tag === "Success").length, 1)
      assert.strictEqual(yield* heldBy(driver.userId), 4_000)
      const nothingHeld = yield* onlineDriver(500)
      assert.deepInclude(yield* remit(1, undefined, nothingHeld.userId), { _tag: "RemittanceExceedsHeld", heldXof: 0 })
    }).pipe(Effect.provide(cashContext())))

  it.effect("the cap: at it, no cash offer and not online; a remittance under it and the driver goes online and is offered cash orders again", () =>
    Effect.gen(function*() {
      const driver = yield* onlineDriver(300)
      const place = yield* restaurant()
      const delivered = yield* deliverOrder(yield* confirmedAt(place, { paymentMethod: "cash" }), driver)
      const cap = defaultDriverPolicy.cashInHandCapXof
      // Earlier collections bring him to the cap exactly.
      yield* collect(driver.userId, cap - delivered.order.totals.totalXof)
      assert.strictEqual(yield* heldBy(driver.userId), cap)

      const dispatch = yield* Dispatch
      const repository = yield* DeliveryRepository
      const offeredTo = (order: { readonly id: string }) =>
        Effect.gen(function*() {
          const delivery = Option.getOrThrow(yield* repository.findByOrder(order.id))
          return (yield* repository.offersOf(delivery.id)).map((offer) => offer.driverId)
        })
      const blocked = yield* confirmedAt(place, { paymentMethod: "cash" })
      yield* dispatch.open(blocked.event)
      assert.notInclude(yield* offeredTo(blocked.order), driver.userId, "no cash offer at the cap")

      const drivers = yield* Drivers
      yield* drivers.setStatus(driver, "offline")
      const refused = yield* Effect.flip(drivers.setStatus(driver, "online"))
      assert.deepInclude(refused, { _tag: "CannotGoOnline", reason: "cash_cap_reached" })

      yield* (yield* DriverCash).remit({ driverId: driver.userId, amountXof: 10_000, reference: "RECU-CAP", via: "office" }, admin)
      yield* sendPosition(driver, 300)
      const online = yield* drivers.setStatus(driver, "online")
      assert.strictEqual(online.driver.status, "online")
      const next = yield* confirmedAt(place, { paymentMethod: "cash" })
      assert.isAtMost(next.order.totals.totalXof, 10_000)
      yield* dispatch.open(yield* confirmedEventOf(next.order))
      assert.include(yield* offeredTo(next.order), driver.userId, "offered cash orders again under the cap")
    }).pipe(Effect.provide(cashContext())))
})

describe("driver cash: first in, first out", () => {
  // Collections and remittances in the order they happen, at distinct instants (minutes 0, 1, 2...).
  const movements = fc.array(
    fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant("collection" as const), amountXof: fc.integer({ min: 1, max: 30_000 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("remittance" as const), amountXof: fc.integer({ min: 1, max: 40_000 }) }) }
    ),
    { maxLength: 40 }
  ).map((steps): ReadonlyArray<CashMovement> => steps.map((step, index) => ({ ...step, at: new Date(index * 60_000) })))

  /** Remittances never over what is owed, as remit enforces. */
  const withinOwed = (steps: ReadonlyArray<CashMovement>) => {
    let owed = 0
    return steps.map((step): CashMovement => {
      if (step.kind === "collection") {
        owed += step.amountXof
        return step
      }
      const amountXof = Math.min(step.amountXof, owed)
      owed -= amountXof
      return { ...step, amountXof }
    }).filter((step) => step.amountXof > 0)
  }

  const heldAfter = (steps: ReadonlyArray<CashMovement>) => steps.reduce((sum, step) => sum + (step.kind === "collection" ? step.amountXof : -step.amountXof), 0)
  const newestFirst = (steps: ReadonlyArray<CashMovement>) => steps.filter((step) => step.kind === "collection").reverse()

  it("property: what is outstanding is what is held, the newest collections, only the oldest of them in part; read from the newest end, the same oldest", () =>
    fc.assert(fc.property(movements, fc.boolean(), (generated, capped) => {
      const steps = capped ? withinOwed(generated) : generated
      const held = heldAfter(steps)
      const outstanding = outstandingCollections(steps)
      assert.strictEqual(outstanding.reduce((sum, line) => sum + line.outstandingXof, 0), Math.max(0, held))
      outstanding.forEach((line, index) => {
        assert.isAbove(line.outstandingXof, 0)
        if (index > 0) assert.strictEqual(line.outstandingXof, line.collectedXof, "only the oldest outstanding is partly paid")
      })
      // The outstanding ones are the newest collections, in order.
      const collections = steps.filter((step) => step.kind === "collection")
      assert.deepStrictEqual(outstanding.map((line) => line.at), collections.slice(collections.length - outstanding.length).map((step) => step.at))
      assert.deepStrictEqual(oldestUnremitted(held, newestFirst(steps)), outstanding[0]?.at ?? null)
    }), { numRuns: 500 }))

  it("by hand: 5,000, 3,000 and 2,000 F collected, 6,000 F handed in: he holds 2,000 of the second and all of the third", () => {
    const at = (minute: number) => new Date(minute * 60_000)
    const steps: ReadonlyArray<CashMovement> = [
      { kind: "collection", amountXof: 5_000, at: at(0) },
      { kind: "collection", amountXof: 3_000, at: at(1) },
      { kind: "remittance", amountXof: 6_000, at: at(2) },
      { kind: "collection", amountXof: 2_000, at: at(3) }
    ]
    assert.deepStrictEqual(outstandingCollections(steps), [{ at: at(1), collectedXof: 3_000, outstandingXof: 2_000 }, { at: at(3), collectedXof: 2_000, outstandingXof: 2_000 }])
    assert.deepStrictEqual(oldestUnremitted(4_000, newestFirst(steps)), at(1))
    assert.strictEqual(oldestUnremitted(0, newestFirst(steps)), null)
    assert.deepStrictEqual([shortfallOf(30_000, 12_000), shortfallOf(30_000, -5_000), shortfallOf(10_000, 12_000)], [18_000, 30_000, 0])
  })
})

describe("driver cash: report and daily alert", () => {
  it.effect("the report: name, phone, cash held, the cap, age of the oldest unremitted collection, shortfall; --older-than filters", () =>
    Effect.gen(function*() {
      const awa = yield* onlineDriver(300, { fullName: "Awa Koné" })
      const yao = yield* onlineDriver(400, { fullName: "Yao Kouassi" })
      const cash = yield* DriverCash
      yield* collect(awa.userId, 5_000)
      yield* TestClock.adjust("1 hour")
      yield* collect(awa.userId, 3_000)
      yield* TestClock.adjust("1 hour")
      yield* collect(awa.userId, 2_000)
      yield* TestClock.adjust("1 hour")
      yield* cash.remit({ driverId: awa.userId, amountXof: 6_000, reference: "RECU-10", via: "office" }, admin)
      yield* earn(awa.userId, 1_500)
      yield* TestClock.adjust("1 hour")
      yield* collect(yao.userId, 60_000)
      yield* TestClock.adjust("1 hour")

      const report = yield* cash.report()
      assert.strictEqual(report.capXof, 50_000)
      assert.strictEqual(report.totalHeldXof, 64_000)
      assert.deepStrictEqual(report.drivers.map((line) => line.driverId), [awa.userId, yao.userId], "the longest held first")
      const [first, second] = report.drivers
      assert.deepInclude(first as unknown as Record<string, unknown>, { fullName: "Awa Koné", phone: awa.phone, cashHeldXof: 4_000, capXof: 50_000, overCap: false, ageMs: 4 * hour, earningsXof: 1_500, shortfallXof: 2_500 })
      assert.deepStrictEqual(first!.oldestUnremittedAt, new Date(hour))
      assert.deepInclude(second as unknown as Record<string, unknown>, { fullName: "Yao Kouassi", cashHeldXof: 60_000, overCap: true, ageMs: hour, earningsXof: 0, shortfallXof: 60_000 })

      const older = yield* cash.report({ olderThanMs: 2 * hour })
      assert.deepStrictEqual(older.drivers.map((line) => line.driverId), [awa.userId])
      assert.strictEqual(older.totalHeldXof, 4_000)
      // Everything handed in: he leaves the report.
      yield* cash.remit({ driverId: awa.userId, amountXof: 4_000, reference: "RECU-11", via: "wave" }, admin)
      assert.deepStrictEqual((yield* cash.report()).drivers.map((line) => line.driverId), [yao.userId])
      const forbidden = yield* Effect.flip(cash.reportFor({ userId: awa.userId, roles: ["client"] as never }))
      assert.strictEqual(forbidden._tag, "AdminRoleRequired")
      assert.strictEqual((yield* cash.reportFor(admin)).drivers.length, 1)
    }).pipe(Effect.provide(cashContext())))

  it.effect("the daily alert: one SMS to the alert phones naming the drivers over the cap or holding cash over 48 h; run again the same day, nothing; the next day, again", () =>
    Effect.gen(function*() {
      const late = yield* onlineDriver(300, { fullName: "Koffi Late" })
      const capped = yield* onlineDriver(400, { fullName: "Ali Plafond" })
      const fine = yield* onlineDriver(500, { fullName: "Fanta Ok" })
      const cash = yield* DriverCash
      yield* collect(late.userId, 10_000)
      yield* TestClock.adjust("49 hours")
      yield* collect(capped.userId, 55_000)
      yield* collect(fine.userId, 1_000)
      const day = abidjanDay(49 * hour)

      const first = yield* cash.alertOverdue()
      assert.deepStrictEqual(first, { day, outcome: "sent", drivers: 2, recipients: 1 })
      const sms = (yield* eventsAbout(`cash-alert:${day}`)).filter((event) => event.type === "notification.requested")
      assert.lengthOf(sms, 1)
      const payload = sms[0]!.payload as { readonly channel: string; readonly to: string; readonly body: string }
      assert.strictEqual(payload.channel, "sms")
      assert.strictEqual(payload.to, alertPhone)
      assert.include(payload.body, "NELO espèces : 2 livreur(s) à relancer.")
      assert.include(payload.body, `Koffi Late ${late.phone} : 10 000 F CFA depuis 2 j.`)
      assert.include(payload.body, `Ali Plafond ${capped.phone} : 55 000 F CFA depuis 0 h, plafond atteint.`)
      assert.notInclude(payload.body, "Fanta")

      yield* TestClock.adjust("3 hours")
      assert.deepStrictEqual(yield* cash.alertOverdue(), { day, outcome: "already_done", drivers: 2, recipients: 0 })
      assert.lengthOf(yield* eventsAbout(`cash-alert:${day}`), 1, "nothing more the same day")

      yield* TestClock.adjust("1 day")
      const nextDay = abidjanDay(76 * hour)
      assert.strictEqual((yield* cash.alertOverdue()).outcome, "sent")
      assert.lengthOf(yield* eventsAbout(`cash-alert:${nextDay}`), 1)
    }).pipe(Effect.provide(cashContext())))

  it.effect("nobody overdue: nothing sent, the day recorded; two days later, overdue, sent", () =>
    Effect.gen(function*() {
      const driver = yield* onlineDriver(300)
      yield* collect(driver.userId, 2_000)
      const cash = yield* DriverCash
      assert.strictEqual((yield* cash.alertOverdue()).outcome, "nothing_overdue")
      yield* TestClock.adjust("49 hours")
      assert.deepInclude(yield* cash.alertOverdue(), { outcome: "sent", drivers: 1 })
    }).pipe(Effect.provide(cashContext())))

  it.effect("overdue drivers with no alert phone: no SMS, the day recorded all the same", () =>
    Effect.gen(function*() {
      const driver = yield* onlineDriver(300)
      yield* collect(driver.userId, 60_000)
      const cash = yield* DriverCash
      assert.deepInclude(yield* cash.alertOverdue(), { outcome: "no_recipients", drivers: 1 })
      assert.lengthOf(yield* eventsAbout(`cash-alert:${abidjanDay(0)}`), 0)
      assert.strictEqual((yield* cash.alertOverdue()).outcome, "already_done")
    }).pipe(Effect.provide(cashContext({ alertPhones: [] }))))

  it("the schedule: the next 08:00 in Abidjan after now, and whether today's has come", () => {
    const day = Date.UTC(2026, 11, 10)
    assert.strictEqual(nextDailyRun(day + 7 * hour, 480), day + 8 * hour)
    assert.strictEqual(nextDailyRun(day + 8 * hour, 480), day + 32 * hour)
    assert.strictEqual(nextDailyRun(day + 23 * hour, 480), day + 32 * hour)
    assert.isFalse(dailyRunDue(day + 7 * hour + 59 * 60_000, 480))
    assert.isTrue(dailyRunDue(day + 8 * hour, 480))
    assert.strictEqual(abidjanDay(day + 23 * hour + 59 * 60_000), "2026-12-10")
  })

  it("the SMS stays within 640 characters, naming how many more there are", () => {
    const many = Array.from({ length: 40 }, (_, index) => ({ fullName: `Livreur ${index}`, phone: "+2250700000002" as Phone, cashHeldXof: 12_345, ageMs: 72 * hour, overCap: index % 2 === 0 }))
    const body = overdueAlertBody(many)
    assert.isAtMost(body.length, 640)
    assert.match(body, /Et \d+ autre\(s\) : nelo-admin cash report\.$/u)
    assert.include(body, "Livreur 0 +2250700000002 : 12 345 F CFA depuis 3 j, plafond atteint.")
  })
})
