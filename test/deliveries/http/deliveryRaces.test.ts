import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { type Answer, answerOf } from "../../support/neloClient.ts"
import { adminOf, cashOrder, customerOf, garbaItem, ok, placed, places, restaurantOf } from "../../support/orderClient.ts"
import { Bed, cleanly, confirmAndDispatch, deliveryBedLayer, deliveryRow, type Driver, driverAt, driversNearMarket, offerRows, offline } from "./deliveryFixtures.ts"

// Real concurrency against Postgres, through the API: requests sent at the same moment, each round
// repeated so that a lost race has a chance to show. First accept wins, under the driver's row lock
// then the delivery's: three drivers accepting one order at once give one delivery to one of them
// and tell the two others it was withdrawn; one driver accepting two orders at once gets one; an
// admin's assignment and a driver's acceptance at once give the delivery to one of them. After
// each round the database holds at most one active delivery per driver and one accepted offer per
// delivery (its unique indexes would also refuse a second; the point is that the code never tries).

const BedLayer = deliveryBedLayer()

const rounds = 5

/** What an answer was, to count them: "200", or "409 offer_closed withdrawn", "409 driver_busy". */
const outcomeOf = (answer: Answer<unknown, unknown>) =>
  answer.ok ? "200" : [answer.status, answer.body.code, answer.body.offerStatus].filter((part) => part !== undefined).join(" ")

const countOf = (outcomes: ReadonlyArray<string>) => {
  const counts: Record<string, number> = {}
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1
  return counts
}

/** The invariants, as stored: per driver at most one active delivery; per delivery at most one accepted offer, and its driver the delivery's. */
const invariantsHold = (driverIds: ReadonlyArray<string>, deliveryIds: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const active = yield* sql<{ driverId: string; count: number }>`
      SELECT driver_id, count(*)::int AS count FROM deliveries.deliveries
      WHERE driver_id IN ${sql.in(driverIds)} AND status IN ('assigned', 'picked_up', 'delivering') GROUP BY driver_id`
    assert.isTrue(active.every((row) => row.count === 1), `one active delivery per driver at most: ${JSON.stringify(active)}`)
    const accepted = yield* sql<{ deliveryId: string; count: number }>`
      SELECT delivery_id, count(*)::int AS count FROM deliveries.offers
      WHERE delivery_id IN ${sql.in(deliveryIds)} AND status = 'accepted' GROUP BY delivery_id`
    assert.isTrue(accepted.every((row) => row.count === 1), `one accepted offer per delivery at most: ${JSON.stringify(accepted)}`)
    for (const deliveryId of deliveryIds) {
      const delivery = yield* deliveryRow(deliveryId)
      const offers = yield* offerRows(deliveryId)
      const winners = offers.filter((offer) => offer.status === "accepted")
      if (winners.length === 1) assert.strictEqual(delivery.driverId, winners[0]!.driverId, "the accepted offer's driver holds the delivery")
      if (delivery.status === "searching") assert.isNull(delivery.driverId)
    }
    return { active: active.length, accepted: accepted.length }
  })

layer(BedLayer, { excludeTestServices: true, timeout: "120 seconds" })("deliveries: races", (it) => {
  it.effect(`three drivers offered one order accept at the same moment: one gets it, the two others 409 offer_closed (withdrawn); ${rounds} rounds`, () =>
    cleanly(Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed)
      for (let round = 1; round <= rounds; round++) {
        const drivers = yield* driversNearMarket(3)
        const order = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 1)]))
        const { deliveryId, offers } = yield* confirmAndDispatch(shop, order.id)
        assert.sameMembers(offers.map((offer) => offer.driverId), drivers.map((driver) => driver.userId), `round ${round}: the three are offered it`)
        const offerOf = (driver: Driver) => offers.find((offer) => offer.driverId === driver.userId)!.id

        const answers = yield* Effect.all(drivers.map((driver) => answerOf(driver.api.drivers.acceptOffer({ params: { offerId: offerOf(driver) } }))), { concurrency: "unbounded" })
        const outcomes = answers.map(outcomeOf)
        assert.deepStrictEqual(countOf(outcomes), { "200": 1, "409 offer_closed withdrawn": 2 }, `round ${round}: ${outcomes.join(", ")}`)
        const winner = drivers[outcomes.indexOf("200")]!
        const won = answers[outcomes.indexOf("200")]!
        assert.isTrue(won.ok && won.body.driverId === winner.userId && won.body.status === "assigned")

        const stored = yield* deliveryRow(deliveryId)
        assert.deepInclude(stored, { status: "assigned", driverId: winner.userId })
        assert.deepStrictEqual(
          (yield* offerRows(deliveryId)).map((offer) => [offer.driverId, offer.status]).sort(),
          drivers.map((driver) => [driver.userId, driver === winner ? "accepted" : "withdrawn"]).sort()
        )
        yield* invariantsHold(drivers.map((driver) => driver.userId), [deliveryId])
        for (const driver of drivers) {
          const current = (yield* ok(driver.api.drivers.currentDelivery())).delivery
          assert.strictEqual(current?.id ?? null, driver === winner ? deliveryId : null)
        }
        yield* offline(drivers)
      }
    })))

  it.effect(`one driver offered two orders accepts both at once: he gets one, the other is refused (409 driver_busy) and stays offered; ${rounds} rounds`, () =>
    cleanly(Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed)
      for (let round = 1; round <= rounds; round++) {
        const driver = yield* driverAt(round % 2 === 0 ? places.prof : places.market)
        const first = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 1)]))
        const second = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 1)]))
        const dispatched = [yield* confirmAndDispatch(shop, first.id), yield* confirmAndDispatch(shop, second.id)]
        for (const { offers } of dispatched) assert.deepStrictEqual(offers.map((offer) => offer.driverId), [driver.userId], `round ${round}: both offered to him`)
        assert.lengthOf((yield* ok(driver.api.drivers.offers())).offers, 2)

        const answers = yield* Effect.all(dispatched.map(({ offers }) => answerOf(driver.api.drivers.acceptOffer({ params: { offerId: offers[0]!.id } }))), { concurrency: "unbounded" })
        const outcomes = answers.map(outcomeOf)
        const refused = outcomes.filter((outcome) => outcome !== "200")
        assert.strictEqual(outcomes.filter((outcome) => outcome === "200").length, 1, `round ${round}: ${outcomes.join(", ")}`)
        assert.lengthOf(refused, 1)
        assert.include(["409 driver_busy", "409 offer_closed withdrawn"], refused[0]!, `round ${round}: ${outcomes.join(", ")}`)

        const wonIndex = outcomes.indexOf("200")
        const won = dispatched[wonIndex]!
        const lost = dispatched[1 - wonIndex]!
        assert.deepInclude(yield* deliveryRow(won.deliveryId), { status: "assigned", driverId: driver.userId })
        assert.deepInclude(yield* deliveryRow(lost.deliveryId), { status: "searching", driverId: null })
        if (refused[0] === "409 driver_busy") {
          const busy = answers[1 - wonIndex]!
          assert.strictEqual(busy.ok ? null : busy.body.deliveryId, won.deliveryId, "driver_busy names the delivery he holds")
          assert.deepStrictEqual((yield* offerRows(lost.deliveryId)).map((offer) => offer.status), ["open"], "the refused acceptance changed nothing")
        }
        const counts = yield* invariantsHold([driver.userId], [won.deliveryId, lost.deliveryId])
        assert.deepStrictEqual(counts, { active: 1, accepted: 1 })
        assert.strictEqual((yield* ok(driver.api.drivers.currentDelivery())).delivery?.id, won.deliveryId)
        yield* offline([driver])
      }
    })))

  it.effect(`a driver tapping accept twice at once gets the delivery once, and both taps answer it (a retry after a lost answer is not a refusal); ${rounds} rounds`, () =>
    cleanly(Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed)
      for (let round = 1; round <= rounds; round++) {
        const driver = yield* driverAt(places.market)
        const order = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 1)]))
        const { deliveryId, offers } = yield* confirmAndDispatch(shop, order.id)
        assert.deepStrictEqual(offers.map((offer) => offer.driverId), [driver.userId])
        const tap = () => answerOf(driver.api.drivers.acceptOffer({ params: { offerId: offers[0]!.id } }))
        const outcomes = (yield* Effect.all([tap(), tap()], { concurrency: "unbounded" })).map(outcomeOf)
        assert.deepStrictEqual(countOf(outcomes), { "200": 2 }, `round ${round}: ${outcomes.join(", ")}`)
        assert.deepInclude(yield* deliveryRow(deliveryId), { status: "assigned", driverId: driver.userId })
        assert.deepStrictEqual(yield* invariantsHold([driver.userId], [deliveryId]), { active: 1, accepted: 1 })
        yield* offline([driver])
      }
    })))

  it.effect(`an admin assigning a delivery while the driver offered it accepts: one of them wins, the other is refused, one driver holds it; ${rounds} rounds`, () =>
    cleanly(Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed)
      const admin = yield* adminOf(bed.api)
      for (let round = 1; round <= rounds; round++) {
        const [offered, phoned] = (yield* Effect.all([driverAt(places.market), driverAt(places.prof, { online: false })], { concurrency: 2 })) as [Driver, Driver]
        const order = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 1)]))
        const { deliveryId, offers } = yield* confirmAndDispatch(shop, order.id)
        assert.deepStrictEqual(offers.map((offer) => offer.driverId), [offered.userId])
        const [accept, assign] = yield* Effect.all([
          answerOf(offered.api.drivers.acceptOffer({ params: { offerId: offers[0]!.id } })),
          answerOf(admin.api.deliveriesAdmin.assign({ params: { deliveryId }, payload: { driverId: phoned.userId } }))
        ], { concurrency: "unbounded" })
        const outcomes = [outcomeOf(accept), outcomeOf(assign)]
        assert.strictEqual(outcomes.filter((outcome) => outcome === "200").length, 1, `round ${round}: accept ${outcomes[0]}, assign ${outcomes[1]}`)
        const holder = accept.ok ? offered : phoned
        if (accept.ok) assert.strictEqual(outcomes[1], "409 delivery_step_refused", `round ${round}`)
        else assert.strictEqual(outcomes[0], "409 offer_closed withdrawn", `round ${round}`)
        const stored = yield* deliveryRow(deliveryId)
        assert.deepInclude(stored, { status: "assigned", driverId: holder.userId })
        assert.deepStrictEqual((yield* offerRows(deliveryId)).map((offer) => offer.status), [accept.ok ? "accepted" : "withdrawn"])
        yield* invariantsHold([offered.userId, phoned.userId], [deliveryId])
        yield* offline([offered])
      }
    })))
})
