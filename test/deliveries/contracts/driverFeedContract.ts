import { assert, layer } from "@effect/vitest"
import { Effect, Fiber, type Layer } from "effect"
import { DriverFeed, type DriverFeedSignal } from "@nelo/domain/deliveries/DriverFeed"
import { nextId } from "../../wallet/contracts/ledgerContract.ts"
import { takeWithinASecond } from "../../support/liveFeeds.ts"

/** One suite, run against every DriverFeed adapter. */
export const driverFeedContract = (name: string, feedLayer: Layer.Layer<DriverFeed, unknown>) =>
  layer(feedLayer, { excludeTestServices: true })(`DriverFeed contract: ${name}`, (it) => {
    it.effect("a change reaches every stream of its driver, decoded whole; no other driver's stream", () =>
      Effect.scoped(Effect.gen(function*() {
        const feed = yield* DriverFeed
        const driverId = nextId()
        const deliveryId = nextId()
        const first = yield* feed.subscribe(driverId)
        const second = yield* feed.subscribe(driverId)
        const another = yield* feed.subscribe(nextId())
        const received = yield* Effect.forkChild(Effect.all([takeWithinASecond(first, 2), takeWithinASecond(second, 2)]))
        const elsewhere = yield* Effect.forkChild(takeWithinASecond(another, 1))
        yield* feed.publish(driverId, { _tag: "OffersChanged" })
        yield* feed.publish(driverId, { _tag: "DeliveryChanged", deliveryId })
        const expected: ReadonlyArray<DriverFeedSignal> = [{ _tag: "OffersChanged" }, { _tag: "DeliveryChanged", deliveryId }]
        for (const signals of yield* Fiber.join(received)) assert.deepStrictEqual<ReadonlyArray<DriverFeedSignal>>(signals, expected)
        assert.deepStrictEqual(yield* Fiber.join(elsewhere), [])
      })))

    it.effect("a driver's id is one channel whatever its case; a stream that left gets nothing and the others go on", () =>
      Effect.scoped(Effect.gen(function*() {
        const feed = yield* DriverFeed
        const driverId = nextId()
        const staying = yield* feed.subscribe(driverId.toUpperCase())
        const leaving = yield* Effect.scoped(Effect.gen(function*() {
          const stream = yield* feed.subscribe(driverId)
          const first = yield* Effect.forkChild(takeWithinASecond(stream, 1))
          yield* feed.publish(driverId, { _tag: "OffersChanged" })
          return yield* Fiber.join(first)
        }))
        assert.deepStrictEqual(leaving, [{ _tag: "OffersChanged" }])
        const received = yield* Effect.forkChild(takeWithinASecond(staying, 3))
        yield* feed.publish(driverId.toUpperCase(), { _tag: "DeliveryChanged", deliveryId: "d-1" })
        yield* feed.publish(driverId, { _tag: "OffersChanged" })
        assert.deepStrictEqual(yield* Fiber.join(received), [{ _tag: "OffersChanged" }, { _tag: "DeliveryChanged", deliveryId: "d-1" }, { _tag: "OffersChanged" }])
      })))

    it.effect("subscribed when subscribe returns: 20 streams joining at once all get what is published right after", () =>
      Effect.scoped(Effect.gen(function*() {
        const feed = yield* DriverFeed
        const driverId = nextId()
        const streams = yield* Effect.forEach(Array.from({ length: 20 }), () => feed.subscribe(driverId), { concurrency: "unbounded" })
        const received = yield* Effect.forkChild(Effect.forEach(streams, (stream) => takeWithinASecond(stream, 1), { concurrency: "unbounded" }))
        yield* feed.publish(driverId, { _tag: "OffersChanged" })
        assert.deepStrictEqual(yield* Fiber.join(received), Array.from({ length: 20 }, (): ReadonlyArray<DriverFeedSignal> => [{ _tag: "OffersChanged" }]))
      })))

    it.effect("a publish with nobody listening is nothing, never an error", () =>
      Effect.gen(function*() {
        const feed = yield* DriverFeed
        yield* feed.publish(nextId(), { _tag: "OffersChanged" })
      }))
  })
