import { Effect, Layer, Option, Schema } from "effect"
import { DriverFeed, DriverFeedChange, type DriverFeedSignal, DriverFeedUnavailable } from "@nelo/domain/deliveries/DriverFeed"
import { makeRedisLiveFeed, publishOrLog } from "./liveFeedHub.ts"
import { RedisClient } from "./RedisClient.ts"

const ChangeJson = Schema.fromJsonString(Schema.toCodecJson(DriverFeedChange))
const encodeChange = Schema.encodeSync(ChangeJson)
const decodeChange = Schema.decodeUnknownOption(ChangeJson)

/** A driver's channel, under a prefix. */
export const driverChannel = (prefix: string, driverId: string) => `${prefix}:deliveries:driver:${driverId.toLowerCase()}`

/**
 * The drivers' live feed through Redis pub/sub (makeRedisLiveFeed: one subscriber connection per
 * process, a resync after it was lost), so that any API instance serves any driver's stream: one
 * channel per driver, carrying only what changed (never the offers or the delivery themselves).
 */
export const DriverFeedRedis = Layer.effect(DriverFeed, Effect.gen(function*() {
  const { redis, keyPrefix } = yield* RedisClient
  const feed = yield* makeRedisLiveFeed<DriverFeedSignal, DriverFeedUnavailable>({
    redis,
    connectionName: `${keyPrefix}:deliveries:driver-feed`,
    decode: (message) => Option.getOrUndefined(decodeChange(message)),
    unavailable: (cause) => new DriverFeedUnavailable({ cause })
  })
  return DriverFeed.of({
    publish: (driverId, change) =>
      publishOrLog(redis, [driverChannel(keyPrefix, driverId)], encodeChange(change), "driver feed: publish lost; the driver's stream reads it at the next signal", { driverId, change: change._tag }),
    subscribe: (driverId) => feed.join(driverChannel(keyPrefix, driverId))
  })
}))
