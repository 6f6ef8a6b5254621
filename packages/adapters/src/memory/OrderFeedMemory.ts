import { Effect, Layer } from "effect"
import { OrderFeed, type OrderFeedSignal } from "@nelo/domain/orders/OrderFeed"
import { entryChannels, feedChannel } from "../orders/orderFeedChannels.ts"
import { makeLiveFeedHub } from "../redis/liveFeedHub.ts"

/** The live feed within one process, for unit tests: what is published reaches this process's streams. */
export const OrderFeedMemory = Layer.sync(OrderFeed, () => {
  const hub = makeLiveFeedHub<OrderFeedSignal>({ listen: () => Effect.void, stopListening: () => Effect.void })
  return OrderFeed.of({
    publish: (entry) => Effect.sync(() => entryChannels("memory", entry).forEach((channel) => hub.deliver(channel, { _tag: "Entry", entry }))),
    subscribe: (scope) => hub.join(feedChannel("memory", scope))
  })
})
