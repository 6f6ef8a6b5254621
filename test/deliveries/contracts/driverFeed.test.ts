import { randomBytes } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect, Fiber, Layer, Option, Stream } from "effect"
import { DriverFeedMemory } from "@nelo/adapters/memory/DriverFeedMemory"
import { DriverFeedRedis, driverChannel } from "@nelo/adapters/redis/DriverFeedRedis"
import { RedisClient, RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { DriverFeed } from "@nelo/domain/deliveries/DriverFeed"
import { nextId } from "../../wallet/contracts/ledgerContract.ts"
import { signalsAcrossCut } from "../../support/liveFeeds.ts"
import { withEnv } from "../../support/withEnv.ts"
import { driverFeedContract } from "./driverFeedContract.ts"

const keyPrefix = `${process.env.REDIS_KEY_PREFIX ?? "nelo-test"}-drvfeed-${randomBytes(3).toString("hex")}`
const redisFeed = DriverFeedRedis.pipe(Layer.provideMerge(RedisClientLayer), Layer.provide(withEnv({ REDIS_KEY_PREFIX: keyPrefix })))
/** Another process's feed (another API instance, the worker): its own connections, the same Redis and prefix. */
const otherInstance = (env: Record<string, string> = {}) =>
  Layer.build(Layer.fresh(DriverFeedRedis.pipe(Layer.provide(Layer.fresh(RedisClientLayer)), Layer.provide(withEnv({ REDIS_KEY_PREFIX: keyPrefix, ...env })))))

driverFeedContract("memory", DriverFeedMemory)
driverFeedContract("redis", redisFeed)

layer(redisFeed, { excludeTestServices: true, timeout: 30_000 })("DriverFeedRedis", (it) => {
  it.effect("one process's change reaches another's streams (the worker's dispatch, the API's stream)", () =>
    Effect.scoped(Effect.gen(function*() {
      const here = yield* DriverFeed
      const there = yield* otherInstance()
      const driverId = nextId()
      const stream = yield* here.subscribe(driverId)
      const received = yield* Effect.forkChild(stream.pipe(Stream.take(1), Stream.runCollect))
      yield* Effect.provide(DriverFeed.use((feed) => feed.publish(driverId, { _tag: "DeliveryChanged", deliveryId: "0193-d" })), there)
      assert.deepStrictEqual(yield* Fiber.join(received), [{ _tag: "DeliveryChanged", deliveryId: "0193-d" }])
    })), 10_000)

  it.effect("only the change travels, on the driver's channel; garbage there wakes the stream as a resync", () =>
    Effect.scoped(Effect.gen(function*() {
      const feed = yield* DriverFeed
      const { use } = yield* RedisClient
      const driverId = nextId()
      const stream = yield* feed.subscribe(driverId)
      const received = yield* Effect.forkChild(stream.pipe(Stream.take(1), Stream.runCollect))
      yield* use((redis) => redis.publish(driverChannel(keyPrefix, driverId), "{\"_tag\":\"Unknown\"}"))
      assert.deepStrictEqual(yield* Fiber.join(received), [{ _tag: "Resync" }])
      assert.strictEqual(driverChannel("p", "ABC"), "p:deliveries:driver:abc")
    })), 10_000)

  it.effect("when its subscriber connection is cut, every stream is told to read the store once it listens again, and changes flow again", () =>
    Effect.scoped(Effect.gen(function*() {
      const feed = yield* DriverFeed
      const { use } = yield* RedisClient
      const driverId = nextId()
      const signals = yield* signalsAcrossCut({
        use,
        connectionName: `${keyPrefix}:deliveries:driver-feed`,
        stream: yield* feed.subscribe(driverId),
        publish: feed.publish(driverId, { _tag: "OffersChanged" })
      })
      assert.deepStrictEqual(signals, Option.some(["OffersChanged", "Resync"].sort()))
    })), 20_000)

  it.effect("a publish while Redis cannot be reached is given up (logged), never an error; subscribing then fails with DriverFeedUnavailable", () =>
    Effect.gen(function*() {
      const broken = yield* otherInstance({ REDIS_URL: "redis://127.0.0.1:1" })
      yield* Effect.provide(DriverFeed.use((feed) => feed.publish(nextId(), { _tag: "OffersChanged" })), broken)
      const failure = yield* Effect.flip(Effect.scoped(Effect.provide(DriverFeed.use((feed) => feed.subscribe(nextId())), broken)))
      assert.strictEqual(failure._tag, "DriverFeedUnavailable")
    }).pipe(Effect.scoped), 20_000)
})
