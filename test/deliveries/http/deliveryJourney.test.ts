import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { Dispatch } from "@nelo/domain/deliveries/Dispatch"
import { xof } from "@nelo/domain/shared/Xof"
import { problemOf } from "../../support/neloClient.ts"
import {
  adminOf,
  cashOrder,
  customerOf,
  expectRefusedIn,
  garbaItem,
  ok,
  placed,
  places,
  restaurantOf,
  walletOrder
} from "../../support/orderClient.ts"
import {
  Bed,
  cleanly,
  confirmAndDispatch,
  deliveryBedLayer,
  deliveryRow,
  driverAt,
  driversNearMarket,
  offerRows,
  offline,
  personOf,
  rawCall,
  readyOver
} from "./deliveryFixtures.ts"

// A delivery from end to end, as the people involved live it through their apps: a customer orders,
// the restaurant confirms, dispatch (run here, as the worker would) offers the order to the best
// drivers around; one declines, one lets the offer time out, the next accepts and gets the exact
// address and whom to call; the restaurant prepares, the driver picks the order up, leaves, and
// hands it over against the customer's 4-digit code. A cash order's cash, a failed handover, and
// an order nobody could take, assigned by an admin, follow.
//
// Offers here last 5 s (the shortest the config allows) and go two at a time, so that a decline,
// a time-out and an acceptance are three different drivers' doing.

const BedLayer = deliveryBedLayer({ DISPATCH_OFFER_TIMEOUT_MS: "5000", DISPATCH_OFFERS_PER_BATCH: "2" })

const sleepUntil = (instant: string) => Effect.promise(() => new Promise((resolve) => setTimeout(resolve, Math.max(0, new Date(instant).getTime() - Date.now() + 250))))

/** The code that is not `code`, as a driver mistyping one digit would send. */
const otherCode = (code: string) => `${(Number(code[0]) + 1) % 10}${code.slice(1)}`

layer(BedLayer, { excludeTestServices: true, timeout: "120 seconds" })("a delivery over HTTP", (it) => {
  it.effect("a wallet order: offered to two drivers, one declines, one lets it time out, the third accepts and gets the address and the customer; ready, picked up, on its way, handed over with the customer's code", () =>
    cleanly(Effect.gen(function*() {
      const bed = yield* Bed
      const dispatch = yield* Dispatch
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed, { funds: 10_000 })
      const ayaProfile = yield* ok(aya.api.users.me())
      const drivers = yield* driversNearMarket(3)
      const order = yield* placed(aya, walletOrder(shop, aya, [garbaItem(shop, 2), { productId: shop.bissap, quantity: 1, options: [] }]))
      const code = order.deliveryCode!
      assert.match(code, /^[0-9]{4}$/u)

      const { deliveryId, offers, outcome } = yield* confirmAndDispatch(shop, order.id)
      assert.strictEqual(outcome, "offered")
      assert.lengthOf(offers, 2, "two offers at once")
      const offered = offers.map((offer) => drivers.find((driver) => driver.userId === offer.driverId)!)
      const [decliner, sleeper] = offered as [typeof drivers[number], typeof drivers[number]]
      const third = drivers.find((driver) => !offered.includes(driver))!

      // Each sees his own offer: the provider and where it is, the customer's quartier but not the
      // address, what he earns (the fee less 10 %), how many items, no cash to collect.
      for (const [index, driver] of offered.entries()) {
        const { offers: seen } = yield* ok(driver.api.drivers.offers())
        assert.lengthOf(seen, 1)
        const offer = seen[0]!
        assert.deepInclude(offer, {
          id: offers[index]!.id,
          deliveryId,
          reference: order.reference,
          pickup: { name: shop.name, location: places.market, landmark: "à côté de la pharmacie du marché" },
          destinationZone: aya.address.zone!,
          deliveryDistanceM: order.distanceM,
          earningXof: order.deliveryFeeXof - Math.floor(order.deliveryFeeXof / 10),
          itemCount: 3,
          gasBottles: [],
          cashToCollectXof: null
        })
        assert.isAbove(new Date(offer.expiresAt).getTime(), Date.now())
        const raw = yield* rawCall("GET", "/api/v1/drivers/offers", driver.token)
        const text = JSON.stringify(raw.body)
        for (const secret of ["portail bleu", "Maison", String(aya.at.lat), ayaProfile.phone, "Aya", code]) assert.notInclude(text, secret, `the offer shows no ${secret}: ${text}`)
      }
      assert.deepStrictEqual((yield* ok(third.api.drivers.offers())).offers, [], "not offered to the third yet")

      // The first declines, with his reason: the other offer is still open, dispatch waits.
      const declined = yield* ok(decliner.api.drivers.rejectOffer({ params: { offerId: offers[0]!.id }, payload: { reason: "Trop loin pour moi" } }))
      assert.deepStrictEqual(declined, { id: offers[0]!.id, deliveryId, status: "rejected" })
      assert.deepStrictEqual((yield* ok(decliner.api.drivers.offers())).offers, [])
      assert.strictEqual(yield* dispatch.advance(deliveryId), "waiting")
      assert.strictEqual((yield* offerRows(deliveryId)).find((offer) => offer.id === offers[0]!.id)!.rejectReason, "Trop loin pour moi")

      // The second lets it time out: once it expired, dispatch offers it to the third.
      const sleepersOffer = (yield* ok(sleeper.api.drivers.offers())).offers[0]!
      yield* sleepUntil(sleepersOffer.expiresAt)
      assert.deepStrictEqual((yield* ok(sleeper.api.drivers.offers())).offers, [], "an expired offer is not shown")
      assert.strictEqual(yield* dispatch.advance(deliveryId), "offered")
      const afterTimeout = yield* offerRows(deliveryId)
      const byDriver = (rows: ReadonlyArray<readonly [string, number, string]>) => [...rows].sort((left, right) => left[0].localeCompare(right[0]))
      assert.deepStrictEqual(byDriver(afterTimeout.map((offer) => [offer.driverId, offer.batch, offer.status] as const)), byDriver([
        [decliner.userId, 1, "rejected"],
        [sleeper.userId, 1, "expired"],
        [third.userId, 2, "open"]
      ]))
      const late = yield* problemOf(sleeper.api.drivers.acceptOffer({ params: { offerId: offers[1]!.id } }))
      assert.strictEqual(late.status, 409)
      assert.deepInclude(late.body, { code: "offer_closed", offerStatus: "expired" })

      // The third accepts: the exact address and the customer to call come with the delivery.
      const thirdsOffers = (yield* ok(third.api.drivers.offers())).offers
      assert.lengthOf(thirdsOffers, 1)
      assert.strictEqual(thirdsOffers[0]!.deliveryId, deliveryId)
      const accepted = yield* ok(third.api.drivers.acceptOffer({ params: { offerId: thirdsOffers[0]!.id } }))
      assert.deepInclude(accepted, {
        id: deliveryId,
        orderId: order.id,
        reference: order.reference,
        status: "assigned",
        orderStatus: "confirmed",
        driverId: third.userId,
        destination: { label: "Maison", location: aya.at, landmark: "portail bleu après la mosquée", zone: aya.address.zone! },
        customer: { firstName: "Aya", phone: ayaProfile.phone },
        paymentMethod: "wallet",
        itemCount: 3,
        cashToCollectXof: null,
        cashCollectedXof: null,
        wrongCodeAttempts: 0,
        completionLocked: false,
        failure: null,
        pickedUpAt: null,
        deliveredAt: null
      })
      assert.isNotNull(accepted.assignedAt)
      for (const driver of drivers) assert.deepStrictEqual((yield* ok(driver.api.drivers.offers())).offers, [], "nobody is shown it any more")
      assert.deepStrictEqual((yield* ok(third.api.drivers.currentDelivery())).delivery, accepted)
      assert.isNull((yield* ok(decliner.api.drivers.currentDelivery())).delivery)

      // Not ready yet: the pickup is refused, nothing moves.
      const early = yield* problemOf(third.api.deliveries.pickUp({ params: { deliveryId } }))
      expectRefusedIn(early, { status: 409, code: "order_transition_refused", orderStatus: "confirmed", action: "pick_up" })
      assert.strictEqual((yield* deliveryRow(deliveryId)).status, "assigned")

      yield* readyOver(shop, order.id)
      const pickedUp = yield* ok(third.api.deliveries.pickUp({ params: { deliveryId } }))
      assert.deepInclude(pickedUp, { status: "picked_up", orderStatus: "picked_up" })
      assert.isNotNull(pickedUp.pickedUpAt)
      const onTheWay = yield* ok(third.api.deliveries.start({ params: { deliveryId } }))
      assert.deepInclude(onTheWay, { status: "delivering", orderStatus: "delivering" })
      const seenByAya = yield* ok(aya.api.orders.get({ params: { orderId: order.id } }))
      assert.strictEqual(seenByAya.status, "delivering")

      // A wrong code is counted; the customer's code, read from her app, closes the delivery.
      const wrong = yield* problemOf(third.api.deliveries.complete({ params: { deliveryId }, payload: { code: otherCode(code) } }))
      assert.strictEqual(wrong.status, 422)
      assert.deepInclude(wrong.body, { code: "delivery_code_wrong", attemptsLeft: 4 })
      assert.strictEqual((yield* deliveryRow(deliveryId)).status, "delivering")
      const delivered = yield* ok(third.api.deliveries.complete({ params: { deliveryId }, payload: { code: seenByAya.deliveryCode! } }))
      assert.deepInclude(delivered, { status: "delivered", orderStatus: "delivered", wrongCodeAttempts: 1, cashCollectedXof: null })
      assert.isNotNull(delivered.deliveredAt)
      const final = yield* ok(aya.api.orders.get({ params: { orderId: order.id } }))
      assert.deepInclude(final, { status: "delivered", paymentStatus: "paid" })
      const profile = yield* ok(third.api.drivers.me())
      assert.strictEqual(profile.activity.deliveredToday, 1)
      assert.strictEqual(profile.activity.cashHeldXof, 0)
      assert.isNull((yield* ok(third.api.drivers.currentDelivery())).delivery, "free for the next one")
      // Done: a second completion is refused, the delivery stays delivered.
      const again = yield* problemOf(third.api.deliveries.complete({ params: { deliveryId }, payload: { code } }))
      assert.strictEqual(again.status, 409)
      assert.deepInclude(again.body, { code: "delivery_step_refused", action: "complete", deliveryStatus: "delivered" })

      yield* offline(drivers)
    })))

  it.effect("a cash order: the offer and the delivery say what to collect; completed without the cash it is refused with the amount expected; with the total it is delivered, paid, and the cash held by the driver", () =>
    cleanly(Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const kofi = yield* customerOf(bed)
      const driver = yield* driverAt(places.market)
      const order = yield* placed(kofi, cashOrder(shop, kofi, [garbaItem(shop, 1, "large")]))
      assert.strictEqual(order.paymentStatus, "on_delivery")
      const total = order.totalXof
      const { deliveryId, offers, outcome } = yield* confirmAndDispatch(shop, order.id)
      assert.strictEqual(outcome, "offered")
      assert.deepStrictEqual(offers.map((offer) => offer.driverId), [driver.userId])
      const [offer] = (yield* ok(driver.api.drivers.offers())).offers
      assert.strictEqual(offer!.cashToCollectXof, total)
      const accepted = yield* ok(driver.api.drivers.acceptOffer({ params: { offerId: offer!.id } }))
      assert.deepInclude(accepted, { paymentMethod: "cash", cashToCollectXof: total, cashCollectedXof: null })

      yield* readyOver(shop, order.id)
      yield* ok(driver.api.deliveries.pickUp({ params: { deliveryId } }))
      yield* ok(driver.api.deliveries.start({ params: { deliveryId } }))
      const noCash = yield* problemOf(driver.api.deliveries.complete({ params: { deliveryId }, payload: { code: order.deliveryCode! } }))
      assert.strictEqual(noCash.status, 422)
      assert.deepInclude(noCash.body, { code: "cash_collected_mismatch", expectedXof: total, notCash: false })
      const short = yield* problemOf(driver.api.deliveries.complete({ params: { deliveryId }, payload: { code: order.deliveryCode!, cashCollectedXof: xof(total - 100) } }))
      assert.deepInclude(short.body, { code: "cash_collected_mismatch", expectedXof: total })
      assert.deepInclude(yield* deliveryRow(deliveryId), { status: "delivering", wrongCodeAttempts: 0, cashCollectedXof: null })
      assert.strictEqual((yield* ok(driver.api.drivers.me())).activity.cashHeldXof, 0, "nothing held before the handover")

      const delivered = yield* ok(driver.api.deliveries.complete({ params: { deliveryId }, payload: { code: order.deliveryCode!, cashCollectedXof: xof(total) } }))
      assert.deepInclude(delivered, { status: "delivered", orderStatus: "delivered", cashCollectedXof: total })
      assert.deepInclude(yield* ok(kofi.api.orders.get({ params: { orderId: order.id } })), { status: "delivered", paymentStatus: "paid" })
      const profile = yield* ok(driver.api.drivers.me())
      assert.strictEqual(profile.activity.cashHeldXof, total)
      assert.strictEqual(profile.activity.deliveredToday, 1)

      yield* offline([driver])
    })))

  it.effect("a failed handover: the customer absent, the order ends failed with the reason and the note (paid, not refunded: the customer's doing); cash named for a wallet order is refused", () =>
    cleanly(Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed, { funds: 10_000 })
      const driver = yield* driverAt(places.prof)
      const order = yield* placed(aya, walletOrder(shop, aya, [garbaItem(shop, 1)]))
      const { deliveryId, offers } = yield* confirmAndDispatch(shop, order.id)
      assert.deepStrictEqual(offers.map((offer) => offer.driverId), [driver.userId])
      yield* ok(driver.api.drivers.acceptOffer({ params: { offerId: offers[0]!.id } }))
      yield* readyOver(shop, order.id)
      yield* ok(driver.api.deliveries.pickUp({ params: { deliveryId } }))
      // Failing before leaving the provider is not a handover that failed.
      const tooEarly = yield* problemOf(driver.api.deliveries.fail({ params: { deliveryId }, payload: { reason: "customer_absent" } }))
      assert.strictEqual(tooEarly.status, 409)
      assert.deepInclude(tooEarly.body, { code: "delivery_step_refused", action: "fail", deliveryStatus: "picked_up" })
      yield* ok(driver.api.deliveries.start({ params: { deliveryId } }))

      const withCash = yield* problemOf(driver.api.deliveries.complete({ params: { deliveryId }, payload: { code: order.deliveryCode!, cashCollectedXof: xof(500) } }))
      assert.strictEqual(withCash.status, 422)
      assert.deepInclude(withCash.body, { code: "cash_collected_mismatch", expectedXof: 0, notCash: true })

      const note = "Personne au portail bleu, appelée trois fois sans réponse"
      const failed = yield* ok(driver.api.deliveries.fail({ params: { deliveryId }, payload: { reason: "customer_absent", note } }))
      assert.deepInclude(failed, { status: "failed", orderStatus: "failed", failure: { reason: "customer_absent", note } })
      const seen = yield* ok(aya.api.orders.get({ params: { orderId: order.id } }))
      assert.deepInclude(seen, { status: "failed", paymentStatus: "paid" })
      assert.deepInclude(yield* deliveryRow(deliveryId), { status: "failed", failureReason: "customer_absent", failureNote: note })
      assert.isNull((yield* ok(driver.api.drivers.currentDelivery())).delivery)
      assert.strictEqual((yield* ok(driver.api.drivers.me())).activity.deliveredToday, 0)
      // Ended: no completion after it.
      const after = yield* problemOf(driver.api.deliveries.complete({ params: { deliveryId }, payload: { code: order.deliveryCode! } }))
      assert.deepInclude(after.body, { code: "delivery_step_refused", deliveryStatus: "failed" })

      yield* offline([driver])
    })))

  it.effect("five wrong codes lock the handover: attempts left count down, the fifth answers 409 delivery_completion_locked, the right code is refused after it, the order stays on its way and the lock is an event", () =>
    cleanly(Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const kofi = yield* customerOf(bed)
      const driver = yield* driverAt(places.market)
      const order = yield* placed(kofi, cashOrder(shop, kofi, [garbaItem(shop, 1)]))
      const { deliveryId, offers } = yield* confirmAndDispatch(shop, order.id)
      assert.deepStrictEqual(offers.map((offer) => offer.driverId), [driver.userId])
      yield* ok(driver.api.drivers.acceptOffer({ params: { offerId: offers[0]!.id } }))
      yield* readyOver(shop, order.id)
      yield* ok(driver.api.deliveries.pickUp({ params: { deliveryId } }))
      yield* ok(driver.api.deliveries.start({ params: { deliveryId } }))
      const wrong = otherCode(order.deliveryCode!)
      const attemptsLeft: Array<unknown> = []
      for (let attempt = 1; attempt <= 4; attempt++) {
        const refused = yield* problemOf(driver.api.deliveries.complete({ params: { deliveryId }, payload: { code: wrong, cashCollectedXof: xof(order.totalXof) } }))
        assert.deepInclude(refused.body, { status: 422, code: "delivery_code_wrong" })
        attemptsLeft.push(refused.body.attemptsLeft)
      }
      assert.deepStrictEqual(attemptsLeft, [4, 3, 2, 1])
      const fifth = yield* problemOf(driver.api.deliveries.complete({ params: { deliveryId }, payload: { code: wrong, cashCollectedXof: xof(order.totalXof) } }))
      assert.strictEqual(fifth.status, 409)
      assert.strictEqual(fifth.body.code, "delivery_completion_locked")
      const right = yield* problemOf(driver.api.deliveries.complete({ params: { deliveryId }, payload: { code: order.deliveryCode!, cashCollectedXof: xof(order.totalXof) } }))
      assert.strictEqual(right.body.code, "delivery_completion_locked", "locked: even the right code waits for an admin")
      const stored = yield* deliveryRow(deliveryId)
      assert.deepInclude(stored, { status: "delivering", wrongCodeAttempts: 5 })
      assert.isNotNull(stored.completionLockedAt)
      assert.deepInclude((yield* ok(driver.api.drivers.currentDelivery())).delivery!, { completionLocked: true, wrongCodeAttempts: 5, status: "delivering" })
      assert.strictEqual((yield* ok(kofi.api.orders.get({ params: { orderId: order.id } }))).status, "delivering")
      const sql = yield* SqlClient.SqlClient
      const events = yield* sql<{ type: string }>`SELECT type FROM events.outbox WHERE aggregate_id = ${deliveryId} AND type = 'delivery.code_locked'`
      assert.lengthOf(events, 1)
    })))

  it.effect("nobody free around (one driver busy, one offline): the delivery is unassigned; an admin finds it in ?status=unassigned and assigns it to the driver he phoned, who finds it as his current delivery", () =>
    cleanly(Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed)
      const admin = yield* adminOf(bed.api)
      const busy = yield* driverAt(places.market)
      const resting = yield* driverAt(places.market, { online: false })
      const first = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 1)]))
      const firstDispatch = yield* confirmAndDispatch(shop, first.id)
      assert.deepStrictEqual(firstDispatch.offers.map((offer) => offer.driverId), [busy.userId])
      yield* ok(busy.api.drivers.acceptOffer({ params: { offerId: firstDispatch.offers[0]!.id } }))

      const second = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 2)]))
      const { deliveryId, offers, outcome } = yield* confirmAndDispatch(shop, second.id)
      assert.strictEqual(outcome, "unassigned")
      assert.lengthOf(offers, 0)

      const page = yield* ok(admin.api.deliveriesAdmin.list({ query: { status: "unassigned", limit: 50 } }))
      assert.isTrue(page.deliveries.every((delivery) => delivery.status === "unassigned"))
      const listed = page.deliveries.find((delivery) => delivery.id === deliveryId)
      assert.isDefined(listed, `the delivery in ${JSON.stringify(page)}`)
      assert.deepInclude(listed!, { orderId: second.id, status: "unassigned", driverId: null, batchesSent: 0 })
      assert.isNotNull(listed!.unassignedSince)
      const read = yield* ok(admin.api.deliveriesAdmin.get({ params: { deliveryId } }))
      assert.deepInclude(read, { id: deliveryId, status: "unassigned", orderStatus: "confirmed", driverId: null })

      // The busy driver cannot be given a second; a driver whose papers were never approved cannot either.
      const toBusy = yield* problemOf(admin.api.deliveriesAdmin.assign({ params: { deliveryId }, payload: { driverId: busy.userId } }))
      assert.strictEqual(toBusy.status, 409)
      assert.deepInclude(toBusy.body, { code: "driver_busy", deliveryId: firstDispatch.deliveryId })
      const unverified = yield* personOf
      const zoneId = (yield* ok(resting.api.drivers.me())).zoneId
      yield* ok(unverified.api.drivers.register({ payload: { vehicle: "motorbike", plate: "4321 CD 01", zoneId } }))
      const toUnverified = yield* problemOf(admin.api.deliveriesAdmin.assign({ params: { deliveryId }, payload: { driverId: unverified.userId } }))
      assert.strictEqual(toUnverified.status, 409)
      assert.deepInclude(toUnverified.body, { code: "driver_not_assignable", reason: "kyc_not_approved" })
      assert.deepInclude(yield* deliveryRow(deliveryId), { status: "unassigned", driverId: null })

      const assigned = yield* ok(admin.api.deliveriesAdmin.assign({ params: { deliveryId }, payload: { driverId: resting.userId } }))
      assert.deepInclude(assigned, { id: deliveryId, status: "assigned", driverId: resting.userId, orderStatus: "confirmed", cashToCollectXof: second.totalXof })
      assert.strictEqual((yield* ok(resting.api.drivers.currentDelivery())).delivery?.id, deliveryId)
      const after = yield* ok(admin.api.deliveriesAdmin.list({ query: { status: "unassigned", limit: 50 } }))
      assert.isUndefined(after.deliveries.find((delivery) => delivery.id === deliveryId))
      assert.strictEqual((yield* ok(admin.api.deliveriesAdmin.get({ params: { deliveryId } }))).status, "assigned")
      // Assigned already: a second assignment is refused.
      const twice = yield* problemOf(admin.api.deliveriesAdmin.assign({ params: { deliveryId }, payload: { driverId: busy.userId } }))
      assert.strictEqual(twice.status, 409)

      yield* offline([busy, resting])
    })))
})
