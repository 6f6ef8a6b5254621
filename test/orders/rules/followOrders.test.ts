import { assert, layer } from "@effect/vitest"
import { Effect, Fiber, Layer, Option, Queue, Stream } from "effect"
import { OrderFeedMemory } from "@nelo/adapters/memory/OrderFeedMemory"
import type { FeedItem } from "@nelo/domain/orders/followOrders"
import { providerSeesChange } from "@nelo/domain/orders/followOrders"
import { OrderFeed, type OrderFeedEntry } from "@nelo/domain/orders/OrderFeed"
import { OrderPolicy } from "@nelo/domain/orders/OrderPolicy"
import { Orders } from "@nelo/domain/orders/Orders"
import type { PlaceOrderInput } from "@nelo/domain/orders/placeOrder"
import type { Viewer } from "@nelo/domain/orders/orderAccess"
import type { UserId } from "@nelo/domain/users/User"
import { customer, ordersContext, restaurant } from "../ordersFixtures.ts"

// The live streams on the memory adapters. The feed between "instances" is the memory one, with
// a hand on it: an entry can be held back (lost, or late) to show that the stream reads the store
// for whatever it did not get, and passes on each change once, in order.

/** Entries whose publishing is held back, by the kind of change; `release` publishes one late. */
const held = new Map<string, OrderFeedEntry>()
const holding = new Set<string>()
const holdKey = (entry: OrderFeedEntry) => `${entry.order.id}:${entry.change.change}`
const LossyFeed = Layer.effect(OrderFeed, Effect.gen(function*() {
  const feed = yield* OrderFeed
  return OrderFeed.of({
    subscribe: feed.subscribe,
    publish: (entry) => {
      if (!holding.has(holdKey(entry))) return feed.publish(entry)
      held.set(holdKey(entry), entry)
      return Effect.void
    }
  })
})).pipe(Layer.provide(OrderFeedMemory))
const release = (orderId: string, change: string) => OrderFeed.use((feed) => feed.publish(held.get(`${orderId}:${change}`)!))

let keys = 0
const garbaOrder = (who: { readonly addressId: string; readonly pin: string }, place: { readonly provider: { readonly id: string }; readonly garbaId: string }, paymentMethod: PlaceOrderInput["paymentMethod"] = "wallet"): PlaceOrderInput => ({
  providerId: place.provider.id,
  items: [{ productId: place.garbaId, quantity: 1, options: ["size-small"] }],
  addressId: who.addressId,
  promoCode: null,
  paymentMethod,
  note: null,
  pin: paymentMethod === "wallet" ? who.pin : null,
  idempotencyKey: `follow-${++keys}`
})

const asCustomer = (id: UserId): Viewer => ({ userId: id, roles: ["client"] })

/** A stream run in the background into a queue: the test takes what it expects, when it expects it. */
const consume = (stream: Stream.Stream<FeedItem, unknown>) =>
  Effect.gen(function*() {
    const items = yield* Queue.unbounded<FeedItem, unknown>()
    const fiber = yield* Effect.forkChild(Stream.runForEach(stream, (item) => Queue.offer(items, item)).pipe(Effect.andThen(Queue.end(items))))
    const next = (count: number) => Effect.map(Queue.takeBetween(items, count, count), (taken) => taken.map(describe))
    return { next, fiber }
  })

/** A restaurant, a customer with money, and her wallet order there. */
const aWalletOrder = Effect.gen(function*() {
  const orders = yield* Orders
  const place = yield* restaurant()
  const aya = yield* customer(10_000)
  return { orders, place, aya, order: yield* orders.place(aya.id, garbaOrder(aya, place)) }
})

const describe = (item: FeedItem) => item._tag === "Ready" ? `ready@${item.position}` : `${item.change.change}@${item.change.position}:${item.order.status}`

layer(ordersContext(OrderPolicy.defaults, LossyFeed), { timeout: "60 seconds" })("the live streams of orders", (it) => {
  it.effect("a customer follows an order from its start: its history, Ready, then each change as it commits; the stream ends after the final one", () =>
    Effect.scoped(Effect.gen(function*() {
      const { orders, place, aya, order } = yield* aWalletOrder
      yield* orders.confirm(place.owner, order.id, 15)
      const stream = Option.getOrThrow(yield* orders.followOrder(asCustomer(aya.id), order.id, null))
      const { next, fiber } = yield* consume(stream)
      assert.deepStrictEqual(yield* next(3), ["created@1:confirmed", "confirmed@2:confirmed", "ready@2"])
      yield* orders.startPreparing(place.owner, order.id)
      assert.deepStrictEqual(yield* next(1), ["preparing@3:preparing"])
      yield* orders.cancelByCustomer(aya.id, order.id, "Je ne suis plus là")
      assert.deepStrictEqual(yield* next(1), ["cancelled@4:cancelled"])
      yield* Fiber.join(fiber)

      // Asked again after its final change: nothing will come, the app stops asking (HTTP 204).
      assert.isTrue(Option.isNone(yield* orders.followOrder(asCustomer(aya.id), order.id, 4)))
      // From an earlier position, what came after it, and the end.
      const resumed = Option.getOrThrow(yield* orders.followOrder(asCustomer(aya.id), order.id, 2))
      assert.deepStrictEqual((yield* Stream.runCollect(resumed)).map(describe), ["preparing@3:cancelled", "cancelled@4:cancelled"])
    })))

  it.effect("resumed from its last position, a stream sends what came after it only, none twice", () =>
    Effect.scoped(Effect.gen(function*() {
      const { orders, place, aya, order } = yield* aWalletOrder
      yield* orders.confirm(place.owner, order.id, 15)
      yield* orders.startPreparing(place.owner, order.id)
      const { next } = yield* consume(Option.getOrThrow(yield* orders.followOrder(asCustomer(aya.id), order.id, 2)))
      assert.deepStrictEqual(yield* next(2), ["preparing@3:preparing", "ready@3"])
      yield* orders.markReady(place.owner, order.id)
      assert.deepStrictEqual(yield* next(1), ["ready@4:ready"])
    })))

  it.effect("a provider's stream starts at its current position, then each new or changed order; a Wave order shows once paid, an unpaid one never", () =>
    Effect.scoped(Effect.gen(function*() {
      const orders = yield* Orders
      const place = yield* restaurant()
      const aya = yield* customer(10_000)
      const first = yield* orders.place(aya.id, garbaOrder(aya, place))
      const { next } = yield* consume(yield* orders.followProvider(place.owner, place.provider.id, null))
      assert.deepStrictEqual(yield* next(1), ["ready@1"])

      const paidLater = yield* orders.place(aya.id, garbaOrder(aya, place, "wave"))
      const neverPaid = yield* orders.place(aya.id, garbaOrder(aya, place, "wave"))
      yield* orders.confirm(place.owner, first.id, 20)
      assert.deepStrictEqual(yield* next(1), ["confirmed@4:confirmed"], "the Wave orders awaiting payment are not the provider's yet")
      yield* orders.change(paidLater.id, { _tag: "MarkPaid" }, { kind: "system", id: "wave_payment" }, () => Effect.succeed(true))
      yield* orders.change(neverPaid.id, { _tag: "Cancel", reason: "Paiement non reçu" }, { kind: "system", id: "payment_expiry" }, () => Effect.succeed(true))
      const wallet = yield* orders.place(aya.id, garbaOrder(aya, place))
      assert.deepStrictEqual(yield* next(2), ["paid@5:pending", "created@7:pending"])
      assert.strictEqual(wallet.status, "pending")

      // Resumed from before them all: the same, read from the store, by the same rule.
      const replay = yield* consume(yield* orders.followProvider(place.owner, place.provider.id, 1))
      assert.deepStrictEqual(yield* replay.next(4), ["confirmed@4:confirmed", "paid@5:pending", "created@7:pending", "ready@7"])
    })))

  it.effect("an entry lost between instances, or late, is read from the store: each change once, in order", () =>
    Effect.scoped(Effect.gen(function*() {
      const { orders, place, aya, order } = yield* aWalletOrder
      const ofOrder = yield* consume(Option.getOrThrow(yield* orders.followOrder(asCustomer(aya.id), order.id, null)))
      const ofProvider = yield* consume(yield* orders.followProvider(place.owner, place.provider.id, null))
      assert.deepStrictEqual(yield* ofOrder.next(2), ["created@1:pending", "ready@1"])
      assert.deepStrictEqual(yield* ofProvider.next(1), ["ready@1"])

      holding.add(`${order.id}:confirmed`)
      yield* orders.confirm(place.owner, order.id, 15)
      // Lost: the next entry shows the gap, and the stream reads both from the store.
      yield* orders.startPreparing(place.owner, order.id)
      assert.deepStrictEqual(yield* ofOrder.next(2), ["confirmed@2:preparing", "preparing@3:preparing"])
      assert.deepStrictEqual(yield* ofProvider.next(2), ["confirmed@2:preparing", "preparing@3:preparing"])
      // ...and when it comes at last, it is not sent again.
      yield* release(order.id, "confirmed")
      yield* orders.markReady(place.owner, order.id)
      assert.deepStrictEqual(yield* ofOrder.next(1), ["ready@4:ready"])
      assert.deepStrictEqual(yield* ofProvider.next(1), ["ready@4:ready"])
    })))

  it.effect("another customer's order and another's provider are not found; the provider's owner and an admin may follow", () =>
    Effect.gen(function*() {
      const orders = yield* Orders
      const place = yield* restaurant()
      const elsewhere = yield* restaurant()
      const aya = yield* customer(10_000)
      const koffi = yield* customer(0)
      const order = yield* orders.place(aya.id, garbaOrder(aya, place))
      assert.strictEqual((yield* Effect.flip(orders.followOrder(asCustomer(koffi.id), order.id, null)))._tag, "OrderNotFound")
      assert.strictEqual((yield* Effect.flip(orders.followOrder(elsewhere.owner, order.id, null)))._tag, "OrderNotFound")
      assert.strictEqual((yield* Effect.flip(orders.followOrder(asCustomer(aya.id), crypto.randomUUID(), null)))._tag, "OrderNotFound")
      assert.strictEqual((yield* Effect.flip(orders.followProvider(elsewhere.owner, place.provider.id, null)))._tag, "ProviderNotFoundForOrders")
      assert.strictEqual((yield* Effect.flip(orders.followProvider(asCustomer(aya.id), place.provider.id, null)))._tag, "ProviderNotFoundForOrders")
      assert.isTrue(Option.isSome(yield* orders.followOrder(place.owner, order.id, null)))
      yield* Effect.scoped(Effect.asVoid(orders.followProvider({ userId: koffi.id, roles: ["admin"] }, place.provider.id, null)))
    }))
})

layer(Layer.empty)("which changes a provider sees", (it) => {
  it("an order awaiting its gateway payment is not the provider's until paid; never when never paid", () => {
    const totals = { totalXof: 2_000 } as never
    assert.isFalse(providerSeesChange({ change: "created" }, { paymentMethod: "wave", paymentStatus: "awaiting", totals }))
    assert.isFalse(providerSeesChange({ change: "created" }, { paymentMethod: "cinetpay", paymentStatus: "paid", totals }))
    assert.isTrue(providerSeesChange({ change: "paid" }, { paymentMethod: "wave", paymentStatus: "paid", totals }))
    assert.isFalse(providerSeesChange({ change: "cancelled" }, { paymentMethod: "wave", paymentStatus: "unpaid", totals }))
    assert.isTrue(providerSeesChange({ change: "cancelled" }, { paymentMethod: "wave", paymentStatus: "refunded", totals }))
    assert.isTrue(providerSeesChange({ change: "created" }, { paymentMethod: "cash", paymentStatus: "on_delivery", totals }))
    assert.isTrue(providerSeesChange({ change: "created" }, { paymentMethod: "wallet", paymentStatus: "paid", totals }))
    // A free order (a promotion covering all) is paid at once, whatever the method.
    assert.isTrue(providerSeesChange({ change: "created" }, { paymentMethod: "wave", paymentStatus: "paid", totals: { totalXof: 0 } as never }))
  })
})
