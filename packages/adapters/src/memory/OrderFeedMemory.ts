import { Effect, Layer } from "effect"
import { OrderFeed } from "@nelo/domain/orders/OrderFeed"
import { entryChannels, feedChannel, makeOrderFeedHub } from "../orders/orderFeedHub.ts"

/** The live feed within one process, for unit tests: what is published reaches this process's streams. */
export const OrderFeedMemory = Layer.sync(OrderFeed, () => {
  const hub = makeOrderFeedHub({ listen: () => Effect.void, stopListening: () => Effect.void })
  return OrderFeed.of({
    publish: (entry) => Effect.sync(() => entryChannels("memory", entry).forEach((channel) => hub.deliver(channel, { _tag: "Entry", entry }))),
    subscribe: (scope) => hub.join(feedChannel("memory", scope))
  })
})
