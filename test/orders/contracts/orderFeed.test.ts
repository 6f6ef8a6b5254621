import { randomBytes } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect, Fiber, Layer, Option, Stream } from "effect"
import { OrderFeedMemory } from "@nelo/adapters/memory/OrderFeedMemory"
import { OrderFeedRedis } from "@nelo/adapters/redis/OrderFeedRedis"
import { RedisClient, RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { OrderFeed } from "@nelo/domain/orders/OrderFeed"
import { nextId } from "../../wallet/contracts/ledgerContract.ts"
import { signalsAcrossCut } from "../../support/liveFeeds.ts"
import { withEnv } from "../../support/withEnv.ts"
import { feedEntry, orderFeedContract } from "./orderFeedContract.ts"

const keyPrefix = `${process.env.REDIS_KEY_PREFIX ?? "nelo-test"}-feed-${randomBytes(3).toString("hex")}`
const redisFeed = OrderFeedRedis.pipe(Layer.provideMerge(RedisClientLayer), Layer.provide(withEnv({ REDIS_KEY_PREFIX: keyPrefix })))

orderFeedContract("memory", OrderFeedMemory)
orderFeedContract("redis", redisFeed)

layer(redisFeed, { excludeTestServices: true, timeout: 30_000 })("OrderFeedRedis", (it) => {
  it.effect("one process's feed reaches another's streams (two connections, as two API instances)", () =>
    Effect.scoped(Effect.gen(function*() {
      const here = yield* OrderFeed
      const there = yield* Layer.build(Layer.fresh(OrderFeedRedis.pipe(Layer.provide(Layer.fresh(RedisClientLayer)), Layer.provide(withEnv({ REDIS_KEY_PREFIX: keyPrefix })))))
      const providerId = nextId()
      const stream = yield* here.subscribe({ providerId })
      const received = yield* Effect.forkChild(stream.pipe(Stream.take(1), Stream.runCollect))
      const entry = feedEntry(providerId, 1)
      yield* Effect.provide(OrderFeed.use((feed) => feed.publish(entry)), there)
      assert.deepStrictEqual(yield* Fiber.join(received), [{ _tag: "Entry", entry }])
    })), 10_000)

  it.effect("when its subscriber connection is cut, every stream is told to read the store once it listens again, and entries flow again", () =>
    Effect.scoped(Effect.gen(function*() {
      const feed = yield* OrderFeed
      const { use } = yield* RedisClient
      const providerId = nextId()
      // Our subscriber connection (not the other files' feeds), reconnected by ioredis at once;
      // published until one gets through after the resubscription.
      const signals = yield* signalsAcrossCut({
        use,
        connectionName: `${keyPrefix}:orders:feed`,
        stream: yield* feed.subscribe({ providerId }),
        publish: feed.publish(feedEntry(providerId, 2))
      })
      assert.deepStrictEqual(signals, Option.some(["Entry", "Resync"].sort()))
    })), 20_000)

  it.effect("a publish while Redis cannot be reached is given up (logged), never an error for the change that committed", () =>
    Effect.gen(function*() {
      const broken = yield* Layer.build(Layer.fresh(OrderFeedRedis.pipe(Layer.provide(Layer.fresh(RedisClientLayer)), Layer.provide(withEnv({ REDIS_URL: "redis://127.0.0.1:1", REDIS_KEY_PREFIX: keyPrefix })))))
      yield* Effect.provide(OrderFeed.use((feed) => feed.publish(feedEntry(nextId(), 1))), broken)
      const failure = yield* Effect.flip(Effect.scoped(Effect.provide(OrderFeed.use((feed) => feed.subscribe({ providerId: nextId() })), broken)))
      assert.strictEqual(failure._tag, "OrderFeedUnavailable")
    }).pipe(Effect.scoped), 20_000)
})
