import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Queue, Stream } from "effect"
import { TestClock } from "effect/testing"
import { Deliveries } from "@nelo/domain/deliveries/Deliveries"
import { DeliveryRepository } from "@nelo/domain/deliveries/DeliveryRepository"
import { Dispatch } from "@nelo/domain/deliveries/Dispatch"
import { DriverFeed } from "@nelo/domain/deliveries/DriverFeed"
import type { DriverFeedItem } from "@nelo/domain/deliveries/followDriver"
import { Orders } from "@nelo/domain/orders/Orders"
import type { UserId } from "@nelo/domain/users/User"
import { confirmedOrder, dispatchContext, onlineDriver } from "../dispatchFixtures.ts"

// A driver's live stream on the memory adapters: `Ready` with what the store holds, then his whole
// list of offers or his delivery again each time dispatch, another driver or an admin changes them.
// Each item is described by what the app would show: the offers' ids, the delivery's id and status.

type Seen =
  | { readonly ready: { readonly offers: ReadonlyArray<string>; readonly delivery: string | null } }
  | { readonly offers: ReadonlyArray<string> }
  | { readonly delivery: string | null }

const describeItem = (item: DriverFeedItem): Seen => {
  const deliveryOf = (held: { readonly delivery: { readonly id: string; readonly status: string } } | null) => held === null ? null : `${held.delivery.id}:${held.delivery.status}`
  switch (item._tag) {
    case "Ready":
      return { ready: { offers: item.offers.map((offer) => offer.offer.id), delivery: deliveryOf(item.delivery) } }
    case "Offers":
      return { offers: item.offers.map((offer) => offer.offer.id) }
    case "Delivery":
      return { delivery: deliveryOf(item.delivery) }
  }
}

/** The driver's stream run in the background; `next` takes what came, in order. */
const follow = (driverId: string) =>
  Effect.gen(function*() {
    const stream = yield* (yield* Deliveries).followDriver(driverId)
    const items = yield* Queue.unbounded<DriverFeedItem>()
    yield* Effect.forkChild(Stream.runForEach(stream, (item) => Queue.offer(items, item)))
    return {
      next: Effect.map(Queue.take(items), describeItem),
      nextItem: Queue.take(items),
      /** What came and was not taken yet, once the stream had time to read (nothing, when a change was not his). */
      pending: Effect.repeat(Effect.yieldNow, { times: 200 }).pipe(Effect.andThen(Queue.clear(items)), Effect.map((taken) => taken.map(describeItem)))
    }
  })

const openDelivery = Effect.gen(function*() {
  const placed = yield* confirmedOrder()
  const outcome = yield* (yield* Dispatch).open(placed.event)
  const delivery = Option.getOrThrow(yield* (yield* DeliveryRepository).findByOrder(placed.order.id))
  return { ...placed, outcome, delivery, offers: yield* (yield* DeliveryRepository).offersOf(delivery.id) }
})

/** Two drivers online near the provider, each following his stream, past its `ready` (nothing yet). */
const twoFollowing = Effect.gen(function*() {
  const kofi = yield* onlineDriver(300)
  const awa = yield* onlineDriver(600)
  const kofiStream = yield* follow(kofi.userId)
  const awaStream = yield* follow(awa.userId)
  for (const stream of [kofiStream, awaStream]) assert.deepStrictEqual(yield* stream.next, { ready: { offers: [], delivery: null } })
  return { kofi, awa, kofiStream, awaStream }
})

describe("a driver's live stream", () => {
  it.effect("ready with nothing; an offer comes; another driver takes it: the list empties for him, the winner gets the delivery; the order cancelled: no delivery", () =>
    Effect.gen(function*() {
      const { kofi, awa, kofiStream, awaStream } = yield* twoFollowing

      const { delivery, offers, order, customer } = yield* openDelivery
      const kofiOffer = offers.find((offer) => offer.driverId === kofi.userId)!
      const awaOffer = offers.find((offer) => offer.driverId === awa.userId)!
      assert.deepStrictEqual(yield* kofiStream.next, { offers: [kofiOffer.id] })
      assert.deepStrictEqual(yield* awaStream.next, { offers: [awaOffer.id] })

      yield* (yield* Dispatch).accept(awa.userId, awaOffer.id)
      assert.deepStrictEqual(yield* kofiStream.next, { offers: [] }, "withdrawn: another driver took it")
      assert.deepStrictEqual(yield* awaStream.next, { delivery: `${delivery.id}:assigned` })

      // A late accept is refused: its transaction rolled back, nobody is told anything.
      assert.strictEqual((yield* Effect.flip((yield* Dispatch).accept(kofi.userId, kofiOffer.id)))._tag, "OfferClosed")
      assert.deepStrictEqual(yield* kofiStream.pending, [])

      yield* (yield* Orders).cancelByCustomer(customer.id as UserId, order.id, "Je ne suis plus chez moi")
      assert.isTrue(yield* (yield* Dispatch).cancelForOrder(order.id))
      assert.deepStrictEqual(yield* awaStream.next, { delivery: null })
      assert.deepStrictEqual(yield* kofiStream.pending, [], "his offer was closed already")
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("a decline and a time-out empty the list; an admin's assignment brings the delivery", () =>
    Effect.gen(function*() {
      const { kofi, awa, kofiStream, awaStream } = yield* twoFollowing
      const { delivery, offers } = yield* openDelivery
      yield* kofiStream.next
      yield* awaStream.next

      yield* (yield* Dispatch).reject(kofi.userId, offers.find((offer) => offer.driverId === kofi.userId)!.id, "trop loin")
      assert.deepStrictEqual(yield* kofiStream.next, { offers: [] }, "declined")
      yield* TestClock.adjust("31 seconds")
      yield* (yield* Dispatch).advance(delivery.id)
      assert.deepStrictEqual(yield* awaStream.next, { offers: [] }, "expired")

      // Nobody left to offer it to in this round: an admin phones Awa and assigns it to her.
      yield* (yield* Deliveries).assign({ userId: crypto.randomUUID(), roles: ["admin"] }, delivery.id, awa.userId)
      assert.deepStrictEqual(yield* awaStream.next, { delivery: `${delivery.id}:assigned` })
      assert.deepStrictEqual(yield* kofiStream.pending, [])
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("signals that came together are read once: one list, one delivery", () =>
    Effect.gen(function*() {
      const kofi = yield* onlineDriver(300)
      const first = yield* openDelivery
      const second = yield* openDelivery
      const his = [...first.offers, ...second.offers].filter((offer) => offer.driverId === kofi.userId).map((offer) => offer.id).sort()
      assert.lengthOf(his, 2, "both offered to the only driver around")
      // Subscribed, not read yet (a phone on a slow network): four signals wait.
      const stream = yield* (yield* Deliveries).followDriver(kofi.userId)
      const feed = yield* DriverFeed
      for (let index = 0; index < 3; index++) yield* feed.publish(kofi.userId, { _tag: "OffersChanged" })
      yield* feed.publish(kofi.userId, { _tag: "DeliveryChanged", deliveryId: first.delivery.id })
      const items = (yield* stream.pipe(Stream.take(3), Stream.runCollect)).map(describeItem)
      const sorted = (offers: ReadonlyArray<string>) => [...offers].sort()
      assert.deepStrictEqual(items.map((item) => "ready" in item ? { ready: { ...item.ready, offers: sorted(item.ready.offers) } } : "offers" in item ? { offers: sorted(item.offers) } : item), [
        { ready: { offers: his, delivery: null } },
        { offers: his },
        { delivery: null }
      ])
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("the order ready at the provider reaches its driver; his own steps too (his other phone, a reconnection)", () =>
    Effect.gen(function*() {
      const kofi = yield* onlineDriver(300)
      const { delivery, offers, order, place } = yield* openDelivery
      const stream = yield* follow(kofi.userId)
      assert.deepStrictEqual(yield* stream.next, { ready: { offers: [offers[0]!.id], delivery: null } })
      yield* (yield* Dispatch).accept(kofi.userId, offers[0]!.id)
      assert.deepStrictEqual(yield* stream.next, { delivery: `${delivery.id}:assigned` })
      // The provider marks it ready; the worker relays its order.ready event to dispatch.
      const orders = yield* Orders
      yield* orders.startPreparing(place.owner, order.id)
      yield* orders.markReady(place.owner, order.id)
      yield* (yield* Dispatch).orderReady(order.id)
      const ready = yield* stream.nextItem
      assert.strictEqual(ready._tag === "Delivery" ? ready.delivery?.order.status : ready._tag, "ready")
      yield* (yield* Deliveries).release(kofi.userId, delivery.id)
      assert.deepStrictEqual(yield* stream.next, { delivery: null }, "released: he holds nothing")
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("not a driver: DriverNotRegistered", () =>
    Effect.gen(function*() {
      const failure = yield* Effect.flip((yield* Deliveries).followDriver(crypto.randomUUID()))
      assert.strictEqual(failure._tag, "DriverNotRegistered")
    }).pipe(Effect.provide(dispatchContext())))
})
