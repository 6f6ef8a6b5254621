import type { OrderFeedEntry } from "@nelo/domain/orders/OrderFeed"
import type { ChangeScope } from "@nelo/domain/orders/OrderRepository"

/** The channel of an order's changes and of a provider's, under a prefix. */
export const feedChannel = (prefix: string, scope: ChangeScope) =>
  "orderId" in scope ? `${prefix}:orders:feed:order:${scope.orderId.toLowerCase()}` : `${prefix}:orders:feed:provider:${scope.providerId.toLowerCase()}`

/** The two channels a change is published on. */
export const entryChannels = (prefix: string, entry: OrderFeedEntry) => [
  feedChannel(prefix, { orderId: entry.order.id }),
  feedChannel(prefix, { providerId: entry.order.providerId })
]
