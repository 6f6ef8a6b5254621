import { Deferred, Effect, Queue, type Scope, Stream } from "effect"
import type { Redis } from "ioredis"

/** Word to a stream that signals may have been lost: it reads the store again. */
export interface LiveFeedResync {
  readonly _tag: "Resync"
}

// A stream that falls this far behind (a client that does not read) loses the oldest signals; it
// reads what it lost from the store (a gap in the positions, or the next signal's re-read).
const signalsKeptPerStream = 64

interface Channel<Signal, E> {
  readonly streams: Set<Queue.Queue<Signal | LiveFeedResync>>
  /** Done when the transport listens on the channel: a second stream waits for it as the first does. */
  readonly listening: Deferred.Deferred<void, E>
}

/** What a hub is told to do when a channel gets its first stream and loses its last. */
export interface LiveFeedTransport<E> {
  readonly listen: (channel: string) => Effect.Effect<void, E>
  readonly stopListening: (channel: string) => Effect.Effect<void>
}

/**
 * The live streams of one process, by channel, over a transport that is told when a channel gets
 * its first stream (to listen on it) and loses its last (to stop): one subscription per channel
 * however many streams follow it, each stream with its own bounded queue. The feeds' memory
 * adapters use it with a transport that does nothing, the Redis ones through `makeRedisLiveFeed`.
 */
export const makeLiveFeedHub = <Signal extends { readonly _tag: string }, E = never>(transport: LiveFeedTransport<E>) => {
  const channels = new Map<string, Channel<Signal, E>>()

  const leave = (name: string, channel: Channel<Signal, E>, queue: Queue.Queue<Signal | LiveFeedResync>) =>
    Effect.suspend(() => {
      channel.streams.delete(queue)
      if (channel.streams.size > 0 || channels.get(name) !== channel) return Effect.void
      channels.delete(name)
      return transport.stopListening(name)
    })

  return {
    /** A stream's signals on the channel, once the transport listens on it; until the scope closes. */
    join: (name: string): Effect.Effect<Stream.Stream<Signal | LiveFeedResync>, E, Scope.Scope> =>
      Effect.gen(function*() {
        const queue = yield* Queue.sliding<Signal | LiveFeedResync>(signalsKeptPerStream)
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
    deliver: (name: string, signal: Signal | LiveFeedResync) => {
      const channel = channels.get(name)
      if (channel !== undefined) for (const queue of channel.streams) Queue.offerUnsafe(queue, signal)
    },

    /** Tells every stream that signals may have been lost. */
    resyncAll: () => {
      for (const channel of channels.values()) for (const queue of channel.streams) Queue.offerUnsafe(queue, { _tag: "Resync" })
    }
  }
}

/**
 * A live feed's streams through Redis pub/sub, so that any API instance serves any stream. Each
 * feed of a process has one subscriber connection, opened at its first stream (the worker, which
 * only publishes, never opens it), subscribed to a channel while at least one of its streams
 * follows it, closed with the scope. When that connection is lost, what was published meanwhile is
 * lost for it: once ioredis has reconnected (and subscribed again), every stream is told to read
 * the store. `decode`: a message as its signal; undefined (another version's message, or garbage
 * on our channel) wakes the streams up all the same, as a resync. `connectionName`: the subscriber
 * connection's name in CLIENT LIST (which feed of which deployment it is).
 */
export const makeRedisLiveFeed = <Signal extends { readonly _tag: string }, E>(options: {
  readonly redis: Redis
  readonly connectionName: string
  readonly decode: (message: string) => Signal | undefined
  readonly unavailable: (cause: unknown) => E
}): Effect.Effect<{ readonly join: (channel: string) => Effect.Effect<Stream.Stream<Signal | LiveFeedResync>, E, Scope.Scope> }, never, Scope.Scope> =>
  Effect.gen(function*() {
    let subscriber: Redis | null = null

    const connection = Effect.suspend(() => {
      if (subscriber !== null) return Effect.succeed(subscriber)
      const opened = options.redis.duplicate({ lazyConnect: true, connectionName: options.connectionName })
      subscriber = opened
      opened.on("error", () => {})
      let connectedBefore = false
      opened.on("ready", () => {
        // ioredis has sent the SUBSCRIBEs again; the PING's answer comes after theirs (one
        // connection answers in order), so the streams read the store once they listen again.
        if (connectedBefore) void opened.ping().then(hub.resyncAll, hub.resyncAll)
        connectedBefore = true
      })
      opened.on("message", (channel: string, message: string) => hub.deliver(channel, options.decode(message) ?? { _tag: "Resync" }))
      return Effect.as(Effect.promise(() => opened.connect().catch(() => {})), opened)
    })

    const hub = makeLiveFeedHub<Signal, E>({
      listen: (channel) =>
        Effect.flatMap(connection, (client) => Effect.tryPromise({ try: () => client.subscribe(channel), catch: options.unavailable })),
      stopListening: (channel) =>
        subscriber === null ? Effect.void : Effect.ignore(Effect.tryPromise(() => subscriber!.unsubscribe(channel)))
    })

    yield* Effect.addFinalizer(() => subscriber === null ? Effect.void : Effect.sync(() => subscriber!.disconnect()))

    return { join: hub.join }
  })

// A publish that Redis does not take within this time is given up: the change is committed, and
// the streams find it in the store when the next signal comes or their connection comes back.
const publishTimeoutMs = 500

/**
 * Publishes one message on channels, never failing: a publish lost (Redis down or slow) is logged
 * with `lost` and its annotations, and the streams read the store at the next signal.
 */
export const publishOrLog = (redis: Redis, channels: ReadonlyArray<string>, message: string, lost: string, annotations: Record<string, unknown>) =>
  Effect.tryPromise(() => redis.pipeline(channels.map((channel) => ["publish", channel, message])).exec()).pipe(
    Effect.timeout(publishTimeoutMs),
    Effect.asVoid,
    Effect.catchCause((cause) => Effect.logWarning(lost).pipe(Effect.annotateLogs({ ...annotations, cause: String(cause) })))
  )
