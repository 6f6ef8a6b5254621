import { Deferred, Effect, Queue, type Scope, Stream } from "effect"
import type { OrderFeedEntry, OrderFeedSignal } from "@nelo/domain/orders/OrderFeed"
import type { ChangeScope } from "@nelo/domain/orders/OrderRepository"

// A stream that falls this far behind (a client that does not read) loses the oldest signals; it
// sees the gap in the positions and reads what it lost from the store.
const signalsKeptPerStream = 64

/** The channel of an order's changes and of a provider's, under a prefix. */
export const feedChannel = (prefix: string, scope: ChangeScope) =>
  "orderId" in scope ? `${prefix}:orders:feed:order:${scope.orderId.toLowerCase()}` : `${prefix}:orders:feed:provider:${scope.providerId.toLowerCase()}`

/** The two channels a change is published on. */
export const entryChannels = (prefix: string, entry: OrderFeedEntry) => [
  feedChannel(prefix, { orderId: entry.order.id }),
  feedChannel(prefix, { providerId: entry.order.providerId })
]

interface Channel<E> {
  readonly streams: Set<Queue.Queue<OrderFeedSignal>>
  /** Done when the transport listens on the channel: a second stream waits for it as the first does. */
  readonly listening: Deferred.Deferred<void, E>
}

/**
 * The streams of one process, by channel, over a transport that is told when a channel gets its
 * first stream (to listen on it) and loses its last (to stop): one subscription per channel
 * however many streams follow it, each stream with its own bounded queue.
 */
export const makeOrderFeedHub = <E>(transport: {
  readonly listen: (channel: string) => Effect.Effect<void, E>
  readonly stopListening: (channel: string) => Effect.Effect<void>
}) => {
  const channels = new Map<string, Channel<E>>()

  const leave = (name: string, channel: Channel<E>, queue: Queue.Queue<OrderFeedSignal>) =>
    Effect.suspend(() => {
      channel.streams.delete(queue)
      if (channel.streams.size > 0 || channels.get(name) !== channel) return Effect.void
      channels.delete(name)
      return transport.stopListening(name)
    })

  return {
    /** A stream's signals on the channel, once the transport listens on it; until the scope closes. */
    join: (name: string): Effect.Effect<Stream.Stream<OrderFeedSignal>, E, Scope.Scope> =>
      Effect.gen(function*() {
        const queue = yield* Queue.sliding<OrderFeedSignal>(signalsKeptPerStream)
        let channel = channels.get(name)
        const first = channel === undefined
        if (channel === undefined) {
          channel = { streams: new Set(), listening: yield* Deferred.make<void, E>() }
          channels.set(name, channel)
        }
        const joined = channel
        joined.streams.add(queue)
        yield* Effect.addFinalizer(() => leave(name, joined, queue))
        if (first) yield* Deferred.into(transport.listen(name), joined.listening)
        yield* Deferred.await(joined.listening)
        return Stream.fromQueue(queue)
      }),

    /** Passes a signal to every stream of the channel (none: nothing happens). */
    deliver: (name: string, signal: OrderFeedSignal) => {
      const channel = channels.get(name)
      if (channel !== undefined) for (const queue of channel.streams) Queue.offerUnsafe(queue, signal)
    },

    /** Tells every stream that signals may have been lost. */
    resyncAll: () => {
      for (const channel of channels.values()) for (const queue of channel.streams) Queue.offerUnsafe(queue, { _tag: "Resync" })
    }
  }
}
