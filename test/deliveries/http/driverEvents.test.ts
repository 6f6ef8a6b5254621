import { assert, layer } from "@effect/vitest"
import { type Context, Effect } from "effect"
import { Dispatch } from "@nelo/domain/deliveries/Dispatch"
import { adminOf, customerOf, garbaItem, ok, placed, places, restaurantOf, walletOrder } from "../../support/orderClient.ts"
import { dataOf, openSse, type SseConnection, type SseEvent } from "../../support/sseClient.ts"
import { Bed, cleanly, confirmAndDispatch, deliveryBedLayer, driverAt, driversNearMarket, personOf } from "./deliveryFixtures.ts"

// The driver's live stream over HTTP, read by an SSE client as his app reads it: `ready` with what
// he has, then his whole list of offers each time it changes and his delivery each time it does.
// Dispatch runs in this process (as the worker would, deliveryFixtures), the stream in the API's:
// what dispatch commits reaches the stream through Redis, as from the worker to any API instance.

// Heartbeats every second, so that a test sees one without waiting the production 20 s.
const BedLayer = deliveryBedLayer({ LIVE_HEARTBEAT_MS: "1000" })

/** The next event that is not a heartbeat, within `withinMs`. */
const nextChange = (stream: SseConnection, withinMs = 5_000) =>
  Effect.gen(function*() {
    const deadline = Date.now() + withinMs
    for (;;) {
      const [event] = yield* stream.next(1, Math.max(1, deadline - Date.now()))
      if (event!.event !== "heartbeat") return event!
    }
  })

const eventsUrl = (bed: Context.Service.Shape<typeof Bed>) => `${bed.api.url}/api/v1/drivers/me/events`

const named = (event: SseEvent, name: string) => {
  assert.strictEqual(event.event, name, JSON.stringify(event))
  assert.isUndefined(event.id, "no id: a reconnection starts again from ready")
  return dataOf(event)
}

layer(BedLayer, { excludeTestServices: true, timeout: "120 seconds" })("the driver's live stream over HTTP (SSE)", (it) => {
  it.effect("ready with nothing; an offer within 2 s of dispatch; another driver takes it: his list empties, the winner gets the delivery; the order cancelled: no delivery", () =>
    cleanly(Effect.scoped(Effect.gen(function*() {
      const bed = yield* Bed
      const dispatch = yield* Dispatch
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed, { funds: 10_000 })
      const drivers = yield* driversNearMarket(2)
      const kofi = drivers[0]!
      const awa = drivers[1]!

      const kofiStream = yield* openSse(eventsUrl(bed), { token: kofi.token })
      assert.strictEqual(kofiStream.status, 200)
      assert.match(kofiStream.headers["content-type"] ?? "", /^text\/event-stream/u)
      assert.strictEqual(kofiStream.headers["cache-control"], "no-cache")
      const awaStream = yield* openSse(eventsUrl(bed), { token: awa.token })
      for (const stream of [kofiStream, awaStream]) assert.deepStrictEqual(named(yield* nextChange(stream), "ready"), { offers: [], delivery: null })

      const order = yield* placed(aya, walletOrder(shop, aya, [garbaItem(shop, 2)]))
      const dispatchedAt = Date.now()
      const { deliveryId, offers } = yield* confirmAndDispatch(shop, order.id)
      assert.sameMembers(offers.map((offer) => offer.driverId), [kofi.userId, awa.userId], "both offered")

      // Each is told at once, with what GET /drivers/offers gives him.
      for (const [driver, stream] of [[kofi, kofiStream], [awa, awaStream]] as const) {
        const seen = named(yield* nextChange(stream, 2_000), "offers")
        assert.isBelow(Date.now() - dispatchedAt, 2_000 + 1_000)
        assert.lengthOf(seen.offers, 1)
        assert.deepInclude(seen.offers[0], { id: offers.find((offer) => offer.driverId === driver.userId)!.id, deliveryId, reference: order.reference })
        assert.deepStrictEqual(seen, yield* ok(driver.api.drivers.offers()), "the same as the list the app polls")
      }

      // Awa takes it: Kofi's list empties, Awa gets the delivery as GET current gives it.
      const awaOffer = offers.find((offer) => offer.driverId === awa.userId)!
      yield* ok(awa.api.drivers.acceptOffer({ params: { offerId: awaOffer.id } }))
      assert.deepStrictEqual(named(yield* nextChange(kofiStream, 2_000), "offers"), { offers: [] }, "withdrawn: another driver took it")
      const held = named(yield* nextChange(awaStream, 2_000), "delivery")
      assert.deepInclude(held.delivery, { id: deliveryId, orderId: order.id, status: "assigned", driverId: awa.userId })
      assert.deepStrictEqual(held, yield* ok(awa.api.drivers.currentDelivery()))

      // The order cancelled (by an admin), then its delivery called off as the worker would.
      const admin = yield* adminOf(bed.api)
      yield* ok(admin.api.ordersAdmin.cancel({ params: { orderId: order.id }, payload: { reason: "Le client a annulé par téléphone", responsible: "platform" } }))
      assert.isTrue(yield* dispatch.cancelForOrder(order.id))
      assert.deepStrictEqual(named(yield* nextChange(awaStream, 2_000), "delivery"), { delivery: null })

      // Nothing more for Kofi: his offer was closed already (heartbeats only).
      yield* Effect.sleep("1500 millis")
      assert.deepStrictEqual(kofiStream.received().events.filter((event) => event.event !== "heartbeat").map((event) => event.event), ["ready", "offers", "offers"])
    }))))

  it.effect("a quiet stream sends heartbeats; reconnected, it starts again from ready with what is open now", () =>
    cleanly(Effect.scoped(Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed, { funds: 10_000 })
      const kofi = yield* driverAt(places.market)
      const stream = yield* openSse(eventsUrl(bed), { token: kofi.token })
      assert.strictEqual((yield* stream.next(1))[0]!.event, "ready")
      const [beat] = yield* stream.next(1, 3_000)
      assert.strictEqual(beat!.event, "heartbeat")
      assert.isString(dataOf(beat!).at)

      // While his phone was off the network: an offer came.
      const order = yield* placed(aya, walletOrder(shop, aya, [garbaItem(shop, 1)]))
      const { offers } = yield* confirmAndDispatch(shop, order.id)
      assert.lengthOf(offers, 1)
      const again = yield* openSse(eventsUrl(bed), { token: kofi.token })
      const ready = named(yield* nextChange(again), "ready")
      assert.deepStrictEqual(ready.offers.map((offer: { readonly id: string }) => offer.id), [offers[0]!.id])
      assert.isNull(ready.delivery)
    }))))

  it.effect("only a driver follows his stream: a person who is not one gets 404 driver_not_registered; no token or a bad one, 401", () =>
    Effect.scoped(Effect.gen(function*() {
      const bed = yield* Bed
      const person = yield* personOf
      const refusals = [
        [yield* openSse(eventsUrl(bed), { token: person.token }), 404, "driver_not_registered"],
        [yield* openSse(eventsUrl(bed)), 401, "unauthenticated"],
        [yield* openSse(eventsUrl(bed), { token: "garbage" }), 401, "unauthenticated"]
      ] as const
      for (const [stream, status, code] of refusals) {
        const body = JSON.parse(yield* stream.body)
        assert.strictEqual(stream.status, status, JSON.stringify(body))
        assert.strictEqual(stream.headers["content-type"], "application/problem+json")
        assert.strictEqual(body.code, code)
        assert.isString(body.message)
      }
    })))
})

// Access tokens of 8 s: long enough to set the scene, short enough to see a stream outlive none.
layer(deliveryBedLayer({ ACCESS_TOKEN_TTL_MS: "8000" }), { excludeTestServices: true, timeout: "120 seconds" })("the driver's live stream and access tokens", (it) => {
  it.effect("the stream ends when the access token expires: the app reconnects with a fresh token", () =>
    cleanly(Effect.scoped(Effect.gen(function*() {
      const bed = yield* Bed
      const kofi = yield* driverAt(places.market)
      const stream = yield* openSse(eventsUrl(bed), { token: kofi.token })
      assert.strictEqual((yield* stream.next(1))[0]!.event, "ready")
      assert.isTrue(yield* stream.ended(12_000), "ended at the token's expiry")
      const refused = yield* openSse(eventsUrl(bed), { token: kofi.token })
      assert.strictEqual(refused.status, 401)
    }))))
})
