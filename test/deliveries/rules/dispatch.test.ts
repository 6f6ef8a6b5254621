import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { TestClock } from "effect/testing"
import { DeliveryRepository } from "@nelo/domain/deliveries/DeliveryRepository"
import { Deliveries } from "@nelo/domain/deliveries/Deliveries"
import { Dispatch } from "@nelo/domain/deliveries/Dispatch"
import { DispatchTimers } from "@nelo/domain/deliveries/DispatchTimers"
import { DriverRepository } from "@nelo/domain/deliveries/DriverRepository"
import { OrderRepository } from "@nelo/domain/orders/OrderRepository"
import { Orders } from "@nelo/domain/orders/Orders"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { balanceOf } from "../../orders/ordersFixtures.ts"
import { confirmedOrder, dispatchContext, eventsAbout, onlineDriver, sendPosition } from "../dispatchFixtures.ts"

// Dispatch on the memory adapters, its clock moved by hand: offers to the best drivers, the first
// accept winning, declines and time-outs cascading, the radius growing, unassigned then given up,
// and the driver's steps to the door with the customer's code.

const openDelivery = (options: Parameters<typeof confirmedOrder>[0] = {}) =>
  Effect.gen(function*() {
    const placed = yield* confirmedOrder(options)
    const outcome = yield* (yield* Dispatch).open(placed.event)
    const delivery = Option.getOrThrow(yield* (yield* DeliveryRepository).findByOrder(placed.order.id))
    return { ...placed, outcome, delivery }
  })

const offersOf = (deliveryId: string) => DeliveryRepository.use((repository) => repository.offersOf(deliveryId))
const deliveryOf = (deliveryId: string) => Effect.map(DeliveryRepository.use((repository) => repository.findById(deliveryId)), Option.getOrThrow)

describe("dispatch", () => {
  it.effect("offers an order to the best three drivers around the provider, the nearest first when all else is equal", () =>
    Effect.gen(function*() {
      const far = yield* onlineDriver(2_500)
      const near = yield* onlineDriver(300)
      const middle = yield* onlineDriver(1_200)
      const fourth = yield* onlineDriver(2_900)
      const { delivery, outcome } = yield* openDelivery()
      assert.strictEqual(outcome, "offered")
      const offers = yield* offersOf(delivery.id)
      assert.deepStrictEqual(offers.map((offer) => offer.driverId).sort(), [near.userId, middle.userId, far.userId].sort())
      assert.isFalse(offers.some((offer) => offer.driverId === fourth.userId))
      const byScore = [...offers].sort((left, right) => right.score - left.score)
      assert.strictEqual(byScore[0]!.driverId, near.userId)
      assert.isTrue(offers.every((offer) => offer.status === "open" && offer.batch === 1))
      // Each driver is told by push (an offer is worthless by SMS).
      const pushes = (yield* eventsAbout(delivery.id)).filter((event) => event.type === "notification.requested")
      assert.strictEqual(pushes.length, 3)
      // The batch's time-out is scheduled.
      const wakeUps = yield* (yield* DispatchTimers).pendingFor(delivery.id)
      assert.isTrue(wakeUps.some((wakeUp) => wakeUp.key === `offers-${delivery.id}-1`))
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("offers go out when the food is nearly ready: preparation minutes less the lead", () =>
    Effect.gen(function*() {
      yield* onlineDriver(500)
      const { delivery, outcome } = yield* openDelivery({ preparationMinutes: 40 })
      assert.strictEqual(outcome, "not_due")
      assert.lengthOf(yield* offersOf(delivery.id), 0)
      yield* TestClock.adjust("30 minutes")
      // The driver's phone kept sending.
      const drivers = yield* (yield* DriverRepository).list({ onlineOnly: true, afterId: null, limit: 10 })
      for (const driver of drivers) yield* sendPosition({ userId: driver.userId, roles: [] }, 500)
      assert.strictEqual(yield* (yield* Dispatch).advance(delivery.id), "offered")
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("the first accept wins; the others' offers are withdrawn; a driver never holds two deliveries", () =>
    Effect.gen(function*() {
      const drivers = [yield* onlineDriver(300), yield* onlineDriver(600), yield* onlineDriver(900)]
      const first = yield* openDelivery()
      const second = yield* openDelivery()
      const dispatch = yield* Dispatch
      const offers = yield* offersOf(first.delivery.id)
      const winner = offers[0]!
      const loser = offers[1]!
      const accepted = yield* dispatch.accept(winner.driverId, winner.id)
      assert.strictEqual(accepted.status, "assigned")
      assert.strictEqual(accepted.driverId, winner.driverId)
      const late = yield* Effect.flip(dispatch.accept(loser.driverId, loser.id))
      assert.strictEqual(late._tag, "OfferClosed")
      assert.strictEqual(late._tag === "OfferClosed" ? late.status : null, "withdrawn")
      const withdrawn = (yield* offersOf(first.delivery.id)).filter((offer) => offer.status === "withdrawn")
      assert.lengthOf(withdrawn, 2)
      // The second order's offer to the winner: he is busy now.
      const secondOffers = yield* offersOf(second.delivery.id)
      const winnersSecond = secondOffers.find((offer) => offer.driverId === winner.driverId)
      if (winnersSecond !== undefined) {
        const busy = yield* Effect.flip(dispatch.accept(winner.driverId, winnersSecond.id))
        assert.strictEqual(busy._tag, "DriverBusy")
      }
      // Another driver's offer is not found for him.
      const notHis = yield* Effect.flip(dispatch.accept(drivers.find((driver) => driver.userId !== loser.driverId)!.userId, loser.id))
      assert.strictEqual(notHis._tag, "OfferNotFound")
      // Customer and provider are told who comes.
      assert.isTrue((yield* eventsAbout(first.delivery.id)).some((event) => event.type === "delivery.assigned"))
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("declines and time-outs move to the next batch; the radius grows; three time-outs in a row set a driver offline", () =>
    Effect.gen(function*() {
      const drivers = [yield* onlineDriver(200), yield* onlineDriver(400), yield* onlineDriver(4_000)]
      const dispatch = yield* Dispatch
      const { delivery } = yield* openDelivery()
      const batch1 = yield* offersOf(delivery.id)
      // Only two drivers within 3 km: the first batch is theirs.
      assert.lengthOf(batch1, 2)
      yield* dispatch.reject(batch1[0]!.driverId, batch1[0]!.id, "trop loin")
      // One still open: nothing moves before it times out.
      assert.strictEqual(yield* dispatch.advance(delivery.id), "waiting")
      yield* TestClock.adjust("31 seconds")
      for (const driver of drivers) yield* sendPosition(driver, driver === drivers[2] ? 4_000 : 300)
      // The time-out: nobody left within 3 km who was not offered it, so 5 km: the third driver.
      assert.strictEqual(yield* dispatch.advance(delivery.id), "offered")
      const batch2 = (yield* offersOf(delivery.id)).filter((offer) => offer.batch === 2)
      assert.deepStrictEqual(batch2.map((offer) => offer.driverId), [drivers[2]!.userId])
      const expired = (yield* offersOf(delivery.id)).find((offer) => offer.id === batch1[1]!.id)!
      assert.strictEqual(expired.status, "expired")
      // A second reject from the wrong person, or a late accept, changes nothing.
      const late = yield* Effect.flip(dispatch.accept(batch1[1]!.driverId, batch1[1]!.id))
      assert.strictEqual(late._tag, "OfferClosed")
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("a driver who lets three offers in a row time out is set offline and told by SMS", () =>
    Effect.gen(function*() {
      const sleepy = yield* onlineDriver(100)
      const dispatch = yield* Dispatch
      for (let round = 0; round < 3; round++) {
        const { delivery } = yield* openDelivery()
        assert.lengthOf(yield* offersOf(delivery.id), 1)
        yield* TestClock.adjust("31 seconds")
        yield* sendPosition(sleepy, 100)
        yield* dispatch.advance(delivery.id)
      }
      const driver = Option.getOrThrow(yield* (yield* DriverRepository).findById(sleepy.userId))
      assert.strictEqual(driver.status, "offline")
      const sms = (yield* eventsAbout(sleepy.userId)).filter((event) => event.type === "notification.requested")
      assert.lengthOf(sms, 1)
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("stale, busy and unapproved drivers are skipped; nobody left: unassigned, told once, retried, then given up and refunded", () =>
    Effect.gen(function*() {
      const stale = yield* onlineDriver(300)
      yield* TestClock.adjust("3 minutes")
      const dispatch = yield* Dispatch
      const { delivery, order, customer } = yield* openDelivery({ paymentMethod: "wallet" })
      const paidBalance = yield* balanceOf(customer.id)
      assert.lengthOf((yield* offersOf(delivery.id)).filter((offer) => offer.driverId === stale.userId), 0)
      const unassigned = yield* deliveryOf(delivery.id)
      assert.strictEqual(unassigned.status, "unassigned")
      assert.strictEqual((yield* eventsAbout(delivery.id)).filter((event) => event.type === "delivery.unassigned").length, 1)
      // A retry before its minute does nothing; after it, still nobody: no second alert.
      assert.strictEqual(yield* dispatch.advance(delivery.id), "not_due")
      yield* TestClock.adjust("61 seconds")
      assert.strictEqual(yield* dispatch.advance(delivery.id), "unassigned")
      assert.strictEqual((yield* eventsAbout(delivery.id)).filter((event) => event.type === "delivery.unassigned").length, 1)
      // Thirty minutes on, dispatch gives up: the order is cancelled, the platform responsible, and refunded.
      yield* TestClock.adjust("30 minutes")
      assert.strictEqual(yield* dispatch.advance(delivery.id), "given_up")
      const cancelled = Option.getOrThrow(yield* (yield* OrderRepository).findById(order.id))
      assert.strictEqual(cancelled.status, "cancelled")
      assert.strictEqual(cancelled.cancellation?.responsible, "platform")
      assert.strictEqual(cancelled.paymentStatus, "refunded")
      assert.strictEqual(yield* balanceOf(customer.id), paidBalance + order.totals.totalXof)
      assert.strictEqual((yield* deliveryOf(delivery.id)).status, "cancelled")
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("a retry whose offers are all declined is unassigned again without a second alert; a delivery taken then released starts its wait afresh", () =>
    Effect.gen(function*() {
      const dispatch = yield* Dispatch
      const { delivery } = yield* openDelivery()
      yield* TestClock.adjust("61 seconds")
      const newcomer = yield* onlineDriver(700)
      assert.strictEqual(yield* dispatch.advance(delivery.id), "offered")
      const offer = (yield* offersOf(delivery.id))[0]!
      yield* dispatch.reject(newcomer.userId, offer.id, null)
      assert.strictEqual(yield* dispatch.advance(delivery.id), "unassigned")
      assert.strictEqual((yield* eventsAbout(delivery.id)).filter((event) => event.type === "delivery.unassigned").length, 1)
      // Another comes, takes it, and releases it 40 minutes later: dispatch does not give up at once.
      yield* TestClock.adjust("61 seconds")
      const taker = yield* onlineDriver(800)
      assert.strictEqual(yield* dispatch.advance(delivery.id), "offered")
      yield* dispatch.accept(taker.userId, (yield* offersOf(delivery.id)).find((one) => one.driverId === taker.userId)!.id)
      assert.isNull((yield* deliveryOf(delivery.id)).unassignedSince)
      yield* TestClock.adjust("40 minutes")
      yield* (yield* Deliveries).release(taker.userId, delivery.id)
      assert.strictEqual(yield* dispatch.advance(delivery.id), "unassigned")
      yield* TestClock.adjust("61 seconds")
      assert.strictEqual(yield* dispatch.advance(delivery.id), "unassigned")
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("a retry of an unassigned delivery offers it to a driver who came online since", () =>
    Effect.gen(function*() {
      const dispatch = yield* Dispatch
      const { delivery } = yield* openDelivery()
      assert.strictEqual((yield* deliveryOf(delivery.id)).status, "unassigned")
      yield* TestClock.adjust("61 seconds")
      const newcomer = yield* onlineDriver(700)
      assert.strictEqual(yield* dispatch.advance(delivery.id), "offered")
      const offers = yield* offersOf(delivery.id)
      assert.deepStrictEqual(offers.map((offer) => offer.driverId), [newcomer.userId])
      assert.strictEqual((yield* deliveryOf(delivery.id)).status, "searching")
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("a bicycle is not offered a B28 but is offered a meal; a cash order skips a driver at the cash cap", () =>
    Effect.gen(function*() {
      const cyclist = yield* onlineDriver(200, { vehicle: "bicycle" })
      const { delivery } = yield* openDelivery()
      assert.deepStrictEqual((yield* offersOf(delivery.id)).map((offer) => offer.driverId), [cyclist.userId])
      // The cash cap: the cyclist holds 49,000 F for NELO; a cash order would take him past 50,000 F.
      const ledger = yield* Ledger
      const cash = yield* ledger.cashInHandOf(cyclist.userId)
      const revenue = yield* ledger.platformRevenue
      yield* ledger.post<never>({ transaction: { id: crypto.randomUUID(), type: "cash_collection", idempotencyKey: `test-cash-${cyclist.userId}`, postings: [{ accountId: cash.id, amountXof: -49_000 as never }, { accountId: revenue.id, amountXof: 49_000 as never }], cause: { kind: "system", id: "test" }, reversesId: null, note: null, reference: null, createdAt: new Date(0) } })
      yield* (yield* Dispatch).reject(cyclist.userId, (yield* offersOf(delivery.id))[0]!.id, null)
      const cashOrder = yield* openDelivery({ paymentMethod: "cash" })
      assert.lengthOf(yield* offersOf(cashOrder.delivery.id), 0)
      assert.strictEqual((yield* deliveryOf(cashOrder.delivery.id)).status, "unassigned")
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("an order cancelled while offers are out: offers withdrawn, the delivery cancelled", () =>
    Effect.gen(function*() {
      yield* onlineDriver(300)
      const { delivery, order, customer } = yield* openDelivery()
      yield* (yield* Orders).cancelByCustomer(customer.id as never, order.id, "Je ne suis plus chez moi")
      assert.isTrue(yield* (yield* Dispatch).cancelForOrder(order.id))
      assert.strictEqual((yield* deliveryOf(delivery.id)).status, "cancelled")
      assert.isTrue((yield* offersOf(delivery.id)).every((offer) => offer.status === "withdrawn"))
      // Twice is once.
      assert.isFalse(yield* (yield* Dispatch).cancelForOrder(order.id))
    }).pipe(Effect.provide(dispatchContext({}))))
})

describe("the driver's steps", () => {
  const assigned = (options: Parameters<typeof confirmedOrder>[0] = {}) =>
    Effect.gen(function*() {
      const driver = yield* onlineDriver(300)
      const opened = yield* openDelivery(options)
      const offer = (yield* offersOf(opened.delivery.id))[0]!
      yield* (yield* Dispatch).accept(driver.userId, offer.id)
      return { ...opened, driver }
    })

  const readyOrder = (place: { readonly owner: { readonly userId: string; readonly roles: ReadonlyArray<string> } }, orderId: string) =>
    Effect.gen(function*() {
      const orders = yield* Orders
      yield* orders.startPreparing(place.owner as never, orderId)
      yield* orders.markReady(place.owner as never, orderId)
    })

  it.effect("pickup needs the order ready; start, then complete with the customer's code; the driver is free again", () =>
    Effect.gen(function*() {
      const { delivery, driver, order, place } = yield* assigned()
      const deliveries = yield* Deliveries
      const notReady = yield* Effect.flip(deliveries.pickUp(driver.userId, delivery.id))
      assert.strictEqual(notReady._tag, "OrderTransitionRefused")
      yield* readyOrder(place, order.id)
      const early = yield* Effect.flip(deliveries.complete(driver.userId, delivery.id, order.deliveryCode, null))
      assert.strictEqual(early._tag, "DeliveryStepRefused")
      yield* deliveries.pickUp(driver.userId, delivery.id)
      yield* deliveries.start(driver.userId, delivery.id)
      const wrong = order.deliveryCode === "0000" ? "1111" : "0000"
      const refused = yield* Effect.flip(deliveries.complete(driver.userId, delivery.id, wrong, null))
      assert.strictEqual(refused._tag, "DeliveryCodeWrong")
      assert.strictEqual(refused._tag === "DeliveryCodeWrong" ? refused.attemptsLeft : null, 4)
      const done = yield* deliveries.complete(driver.userId, delivery.id, order.deliveryCode, null)
      assert.strictEqual(done.delivery.status, "delivered")
      assert.strictEqual(done.order.status, "delivered")
      assert.isTrue(Option.isNone(yield* deliveries.current(driver.userId)))
      const profile = Option.getOrThrow(yield* (yield* DriverRepository).findById(driver.userId))
      assert.isNotNull(profile.lastDeliveredAt)
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("five wrong codes lock completion and alert the admins; the right code is refused then", () =>
    Effect.gen(function*() {
      const { delivery, driver, order, place } = yield* assigned()
      const deliveries = yield* Deliveries
      yield* readyOrder(place, order.id)
      yield* deliveries.pickUp(driver.userId, delivery.id)
      yield* deliveries.start(driver.userId, delivery.id)
      const wrong = order.deliveryCode === "0000" ? "1111" : "0000"
      for (let attempt = 0; attempt < 4; attempt++) yield* Effect.flip(deliveries.complete(driver.userId, delivery.id, wrong, null))
      const fifth = yield* Effect.flip(deliveries.complete(driver.userId, delivery.id, wrong, null))
      assert.strictEqual(fifth._tag, "DeliveryCompletionLocked")
      const right = yield* Effect.flip(deliveries.complete(driver.userId, delivery.id, order.deliveryCode, null))
      assert.strictEqual(right._tag, "DeliveryCompletionLocked")
      assert.isTrue((yield* eventsAbout(delivery.id)).some((event) => event.type === "delivery.code_locked"))
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("an admin confirms a locked handover after calling the customer: delivered, the cash recorded, the note in the history; a non-admin cannot", () =>
    Effect.gen(function*() {
      const { customer, delivery, driver, order, place } = yield* assigned({ paymentMethod: "cash" })
      const deliveries = yield* Deliveries
      yield* readyOrder(place, order.id)
      yield* deliveries.pickUp(driver.userId, delivery.id)
      const notYet = yield* Effect.flip(deliveries.completeByAdmin({ userId: "admin-1", roles: ["admin"] }, delivery.id, order.totals.totalXof, "client appelé"))
      assert.strictEqual(notYet._tag, "DeliveryStepRefused")
      yield* deliveries.start(driver.userId, delivery.id)
      const wrong = order.deliveryCode === "0000" ? "1111" : "0000"
      for (let attempt = 0; attempt < 5; attempt++) yield* Effect.flip(deliveries.complete(driver.userId, delivery.id, wrong, order.totals.totalXof))
      const notAdmin = yield* Effect.flip(deliveries.completeByAdmin({ userId: customer.id, roles: ["client"] }, delivery.id, order.totals.totalXof, "moi"))
      assert.strictEqual(notAdmin._tag, "AdminRoleRequired")
      const done = yield* deliveries.completeByAdmin({ userId: "admin-1", roles: ["admin"] }, delivery.id, order.totals.totalXof, "client appelé, commande bien reçue")
      assert.strictEqual(done.delivery.status, "delivered")
      assert.strictEqual(done.order.status, "delivered")
      assert.strictEqual((yield* (yield* Ledger).cashHeldBy([driver.userId])).get(driver.userId), order.totals.totalXof)
      const history = yield* (yield* OrderRepository).history(order.id)
      assert.strictEqual(history.at(-1)?.actor.kind, "admin")
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("a cash order is completed with its total collected: the driver holds it for NELO, the escrow holds the payment", () =>
    Effect.gen(function*() {
      const { delivery, driver, order, place } = yield* assigned({ paymentMethod: "cash" })
      const deliveries = yield* Deliveries
      yield* readyOrder(place, order.id)
      yield* deliveries.pickUp(driver.userId, delivery.id)
      yield* deliveries.start(driver.userId, delivery.id)
      const short = yield* Effect.flip(deliveries.complete(driver.userId, delivery.id, order.deliveryCode, order.totals.totalXof - 100))
      assert.strictEqual(short._tag, "CashCollectedMismatch")
      assert.strictEqual(short._tag === "CashCollectedMismatch" ? short.expectedXof : null, order.totals.totalXof)
      const done = yield* deliveries.complete(driver.userId, delivery.id, order.deliveryCode, order.totals.totalXof)
      assert.strictEqual(done.delivery.cashCollectedXof, order.totals.totalXof)
      assert.strictEqual(done.order.paymentStatus, "paid")
      const held = (yield* (yield* Ledger).cashHeldBy([driver.userId])).get(driver.userId)
      assert.strictEqual(held, order.totals.totalXof)
      const stats = yield* deliveries.statsOf(driver.userId)
      assert.strictEqual(stats.cashHeldXof, order.totals.totalXof)
      assert.strictEqual(stats.deliveredToday, 1)
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("a failure at the door: the order fails; refunded when the customer was not at fault", () =>
    Effect.gen(function*() {
      const absent = yield* assigned()
      const deliveries = yield* Deliveries
      yield* readyOrder(absent.place, absent.order.id)
      yield* deliveries.pickUp(absent.driver.userId, absent.delivery.id)
      yield* deliveries.start(absent.driver.userId, absent.delivery.id)
      const before = yield* balanceOf(absent.customer.id)
      const failed = yield* deliveries.fail(absent.driver.userId, absent.delivery.id, "customer_absent", "personne au portail")
      assert.strictEqual(failed.order.status, "failed")
      assert.strictEqual(failed.order.paymentStatus, "paid")
      assert.strictEqual(yield* balanceOf(absent.customer.id), before)
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("a damaged order that fails is refunded to the wallet", () =>
    Effect.gen(function*() {
      const damaged = yield* assigned()
      const deliveries = yield* Deliveries
      yield* readyOrder(damaged.place, damaged.order.id)
      yield* deliveries.pickUp(damaged.driver.userId, damaged.delivery.id)
      yield* deliveries.start(damaged.driver.userId, damaged.delivery.id)
      const before = yield* balanceOf(damaged.customer.id)
      const failed = yield* deliveries.fail(damaged.driver.userId, damaged.delivery.id, "order_damaged", null)
      assert.strictEqual(failed.order.paymentStatus, "refunded")
      assert.strictEqual(yield* balanceOf(damaged.customer.id), before + damaged.order.totals.totalXof)
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("released before pickup: offered again, never to the driver who released it", () =>
    Effect.gen(function*() {
      const { delivery, driver } = yield* assigned()
      const other = yield* onlineDriver(500)
      const deliveries = yield* Deliveries
      const another = yield* Effect.flip(deliveries.release(other.userId, delivery.id))
      assert.strictEqual(another._tag, "DeliveryNotFound")
      const released = yield* deliveries.release(driver.userId, delivery.id)
      assert.strictEqual(released.status, "searching")
      assert.isTrue((yield* eventsAbout(delivery.id)).some((event) => event.type === "delivery.released"))
      assert.strictEqual(yield* (yield* Dispatch).advance(delivery.id), "offered")
      const open = (yield* offersOf(delivery.id)).filter((offer) => offer.status === "open")
      assert.deepStrictEqual(open.map((offer) => offer.driverId), [other.userId])
      const stats = yield* deliveries.statsOf(driver.userId)
      assert.strictEqual(stats.completionRate, 0)
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("tracking: the driver once assigned; his position and the arrival only to the customer, only while he holds it", () =>
    Effect.gen(function*() {
      const driver = yield* onlineDriver(300, { fullName: "Moussa Traoré" })
      const opened = yield* openDelivery()
      const deliveries = yield* Deliveries
      const before = yield* deliveries.trackingOf(opened.order, true)
      assert.deepStrictEqual(before, { status: "searching", driver: null, position: null, etaAt: null })
      const offer = (yield* offersOf(opened.delivery.id))[0]!
      yield* (yield* Dispatch).accept(driver.userId, offer.id)
      const forCustomer = (yield* deliveries.trackingOf(opened.order, true))!
      assert.strictEqual(forCustomer.driver?.firstName, "Moussa")
      assert.strictEqual(forCustomer.driver?.vehicle, "motorbike")
      assert.isFalse(forCustomer.driver!.maskedPhone.includes(driver.phone.slice(6, -2)))
      assert.strictEqual(forCustomer.driver!.maskedPhone.slice(-2), driver.phone.slice(-2))
      assert.isNotNull(forCustomer.position)
      assert.isTrue(forCustomer.etaAt !== null && forCustomer.etaAt.getTime() > 0)
      // The provider's owner (or an admin) sees who comes, never where he is.
      const forOthers = (yield* deliveries.trackingOf(opened.order, false))!
      assert.isNotNull(forOthers.driver)
      assert.isNull(forOthers.position)
      assert.isNull(forOthers.etaAt)
      // Delivered: the position is no longer shown.
      yield* readyOrder(opened.place, opened.order.id)
      yield* deliveries.pickUp(driver.userId, opened.delivery.id)
      yield* deliveries.start(driver.userId, opened.delivery.id)
      yield* deliveries.complete(driver.userId, opened.delivery.id, opened.order.deliveryCode, null)
      const after = (yield* deliveries.trackingOf(opened.order, true))!
      assert.strictEqual(after.status, "delivered")
      assert.isNull(after.position)
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("while he holds a delivery, his points join its trail, one every 25 m or 30 s; none before, none after", () =>
    Effect.gen(function*() {
      const driver = yield* onlineDriver(300)
      const opened = yield* openDelivery()
      const deliveries = yield* Deliveries
      const repository = yield* DeliveryRepository
      yield* sendPosition(driver, 310)
      const offer = (yield* offersOf(opened.delivery.id))[0]!
      yield* (yield* Dispatch).accept(driver.userId, offer.id)
      // First point kept; 10 m later and 5 s later: not; 40 m on: kept; still, 31 s later: kept.
      yield* TestClock.adjust("5 seconds")
      yield* sendPosition(driver, 300)
      yield* TestClock.adjust("5 seconds")
      yield* sendPosition(driver, 310)
      yield* TestClock.adjust("5 seconds")
      yield* sendPosition(driver, 350)
      yield* TestClock.adjust("31 seconds")
      yield* sendPosition(driver, 350)
      const trail = yield* repository.trailOf(opened.delivery.id)
      assert.strictEqual(trail.length, 3)
      assert.isTrue(trail.every((point) => point.driverId === driver.userId))
      yield* readyOrder(opened.place, opened.order.id)
      yield* deliveries.pickUp(driver.userId, opened.delivery.id)
      yield* deliveries.start(driver.userId, opened.delivery.id)
      yield* deliveries.complete(driver.userId, opened.delivery.id, opened.order.deliveryCode, null)
      yield* TestClock.adjust("1 minute")
      yield* sendPosition(driver, 900)
      assert.strictEqual((yield* repository.trailOf(opened.delivery.id)).length, 3)
    }).pipe(Effect.provide(dispatchContext())))
})
