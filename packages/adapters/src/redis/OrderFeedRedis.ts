import { Effect, Layer, Schema } from "effect"
import type { Redis } from "ioredis"
import { OrderFeed, OrderFeedEntry, OrderFeedUnavailable } from "@nelo/domain/orders/OrderFeed"
import { entryChannels, feedChannel, makeOrderFeedHub } from "../orders/orderFeedHub.ts"
import { RedisClient } from "./RedisClient.ts"

const EntryJson = Schema.fromJsonString(Schema.toCodecJson(OrderFeedEntry))
const encodeEntry = Schema.encodeSync(EntryJson)
const decodeEntry = Schema.decodeUnknownOption(EntryJson)

// A publish that Redis does not take within this time is given up: the change is committed, and
// the streams find it in the store when the next one comes or their connection comes back.
const publishTimeoutMs = 500

/**
 * The live feed through Redis pub/sub, so that any API instance serves any stream. Changes are
 * published on two channels (the order's and its provider's). Each process has one subscriber
 * connection, opened at its first stream (the worker, which only publishes, never opens it), and
 * subscribes to a channel while at least one of its streams follows it. When that connection is
 * lost, what was published meanwhile is lost for it: once ioredis has reconnected (and subscribed
 * again), every stream is told to read the store.
 */
export const OrderFeedRedis = Layer.effect(OrderFeed, Effect.gen(function*() {
  const { redis, keyPrefix } = yield* RedisClient
  let subscriber: Redis | null = null

  const connection = Effect.suspend(() => {
    if (subscriber !== null) return Effect.succeed(subscriber)
    const opened = redis.duplicate({ lazyConnect: true })
    subscriber = opened
    opened.on("error", () => {})
    let connectedBefore = false
    opened.on("ready", () => {
      // ioredis has sent the SUBSCRIBEs again; the PING's answer comes after theirs (one
      // connection answers in order), so the streams read the store once they listen again.
      if (connectedBefore) void opened.ping().then(hub.resyncAll, hub.resyncAll)
      connectedBefore = true
    })
    opened.on("message", (channel: string, message: string) => {
      const entry = decodeEntry(message)
      // Another version's entry, or garbage on our channel: a wake-up all the same.
      hub.deliver(channel, entry._tag === "Some" ? { _tag: "Entry", entry: entry.value } : { _tag: "Resync" })
    })
    return Effect.as(Effect.promise(() => opened.connect().catch(() => {})), opened)
  })

  const hub = makeOrderFeedHub<OrderFeedUnavailable>({
    listen: (channel) =>
      Effect.flatMap(connection, (client) =>
        Effect.tryPromise({ try: () => client.subscribe(channel), catch: (cause) => new OrderFeedUnavailable({ cause }) })),
    stopListening: (channel) =>
      subscriber === null ? Effect.void : Effect.ignore(Effect.tryPromise(() => subscriber!.unsubscribe(channel)))
  })

  yield* Effect.addFinalizer(() => subscriber === null ? Effect.void : Effect.sync(() => subscriber!.disconnect()))

  return OrderFeed.of({
    publish: (entry) => {
      const message = encodeEntry(entry)
      const channels = entryChannels(keyPrefix, entry)
      return Effect.tryPromise(() => redis.pipeline(channels.map((channel) => ["publish", channel, message])).exec()).pipe(
        Effect.timeout(publishTimeoutMs),
        Effect.catchCause((cause) => Effect.logWarning("order feed: publish lost; the streams will read it from the store").pipe(Effect.annotateLogs({ orderId: entry.order.id, cause: String(cause) })))
      )
    },
    subscribe: (scope) => hub.join(feedChannel(keyPrefix, scope))
  })
}))
