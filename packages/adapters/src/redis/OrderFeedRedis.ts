import { Effect, Layer, Option, Schema } from "effect"
import { OrderFeed, OrderFeedEntry, type OrderFeedSignal, OrderFeedUnavailable } from "@nelo/domain/orders/OrderFeed"
import { entryChannels, feedChannel } from "../orders/orderFeedChannels.ts"
import { makeRedisLiveFeed, publishOrLog } from "./liveFeedHub.ts"
import { RedisClient } from "./RedisClient.ts"

const EntryJson = Schema.fromJsonString(Schema.toCodecJson(OrderFeedEntry))
const encodeEntry = Schema.encodeSync(EntryJson)
const decodeEntry = Schema.decodeUnknownOption(EntryJson)

/**
 * The live feed through Redis pub/sub (makeRedisLiveFeed: one subscriber connection per process, a
 * resync after it was lost), so that any API instance serves any stream. Changes are published on
 * two channels: the order's and its provider's.
 */
export const OrderFeedRedis = Layer.effect(OrderFeed, Effect.gen(function*() {
  const { redis, keyPrefix } = yield* RedisClient
  const feed = yield* makeRedisLiveFeed<OrderFeedSignal, OrderFeedUnavailable>({
    redis,
    connectionName: `${keyPrefix}:orders:feed`,
    decode: (message) => Option.getOrUndefined(Option.map(decodeEntry(message), (entry) => ({ _tag: "Entry", entry }) as const)),
    unavailable: (cause) => new OrderFeedUnavailable({ cause })
  })
  return OrderFeed.of({
    publish: (entry) =>
      publishOrLog(redis, entryChannels(keyPrefix, entry), encodeEntry(entry), "order feed: publish lost; the streams will read it from the store", { orderId: entry.order.id }),
    subscribe: (scope) => feed.join(feedChannel(keyPrefix, scope))
  })
}))
