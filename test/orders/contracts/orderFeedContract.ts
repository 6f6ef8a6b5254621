import { assert, layer } from "@effect/vitest"
import { Effect, Fiber, type Layer } from "effect"
import { OrderFeed, type OrderFeedEntry, type OrderFeedSignal } from "@nelo/domain/orders/OrderFeed"
import { nextId } from "../../wallet/contracts/ledgerContract.ts"
import { takeWithinASecond } from "../../support/liveFeeds.ts"
import { createdChange, makeOrder } from "./orderRepositoryContract.ts"

/** A committed change as a use case publishes it (position as the store gave it). */
export const feedEntry = (providerId: string, position: number, orderId = nextId()): OrderFeedEntry => {
  const order = makeOrder(nextId(), providerId, { id: orderId })
  return { order, change: { ...createdChange(order), id: position, position } }
}

const positions = (signals: ReadonlyArray<OrderFeedSignal>) => signals.map((signal) => signal._tag === "Entry" ? signal.entry.change.position : "resync")

/** One suite, run against every OrderFeed adapter. */
export const orderFeedContract = (name: string, feedLayer: Layer.Layer<OrderFeed, unknown>) =>
  layer(feedLayer, { excludeTestServices: true })(`OrderFeed contract: ${name}`, (it) => {
    it.effect("an entry reaches the streams of its order and of its provider, decoded whole; no other stream", () =>
      Effect.scoped(Effect.gen(function*() {
        const feed = yield* OrderFeed
        const providerId = nextId()
        const entry = feedEntry(providerId, 1)
        const ofOrder = yield* feed.subscribe({ orderId: entry.order.id })
        const ofProvider = yield* feed.subscribe({ providerId })
        const ofProviderAgain = yield* feed.subscribe({ providerId })
        const ofAnother = yield* feed.subscribe({ providerId: nextId() })
        const received = yield* Effect.forkChild(Effect.all([takeWithinASecond(ofOrder, 1), takeWithinASecond(ofProvider, 1), takeWithinASecond(ofProviderAgain, 1)]))
        const elsewhere = yield* Effect.forkChild(takeWithinASecond(ofAnother, 1))
        yield* feed.publish(entry)
        const [orderSignals, providerSignals, secondSignals] = yield* Fiber.join(received)
        for (const signals of [orderSignals, providerSignals, secondSignals]) assert.deepStrictEqual(signals, [{ _tag: "Entry", entry }])
        assert.deepStrictEqual(yield* Fiber.join(elsewhere), [])
      })))

    it.effect("a stream gets its entries in the order they were published; one that has left gets nothing and others go on", () =>
      Effect.scoped(Effect.gen(function*() {
        const feed = yield* OrderFeed
        const providerId = nextId()
        const staying = yield* feed.subscribe({ providerId })
        const leaving = yield* Effect.scoped(Effect.gen(function*() {
          const stream = yield* feed.subscribe({ providerId })
          const first = yield* Effect.forkChild(takeWithinASecond(stream, 1))
          yield* feed.publish(feedEntry(providerId, 1))
          return yield* Fiber.join(first)
        }))
        assert.deepStrictEqual(positions(leaving), [1])
        const received = yield* Effect.forkChild(takeWithinASecond(staying, 5))
        for (const position of [2, 3, 4, 5]) yield* feed.publish(feedEntry(providerId, position))
        assert.deepStrictEqual(positions(yield* Fiber.join(received)), [1, 2, 3, 4, 5])
      })))

    it.effect("subscribed when subscribe returns: 20 streams joining at once all get what is published right after", () =>
      Effect.scoped(Effect.gen(function*() {
        const feed = yield* OrderFeed
        const providerId = nextId()
        const streams = yield* Effect.forEach(Array.from({ length: 20 }), () => feed.subscribe({ providerId }), { concurrency: "unbounded" })
        const received = yield* Effect.forkChild(Effect.forEach(streams, (stream) => takeWithinASecond(stream, 1), { concurrency: "unbounded" }))
        yield* feed.publish(feedEntry(providerId, 7))
        assert.deepStrictEqual((yield* Fiber.join(received)).map(positions), Array.from({ length: 20 }, () => [7]))
      })))
  })
