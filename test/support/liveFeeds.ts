import { type Context, Effect, Fiber, Option, Stream } from "effect"
import type { RedisClient } from "@nelo/adapters/redis/RedisClient"

// Helpers for the live feeds' contract suites (OrderFeed, DriverFeed) and their Redis adapters.

/** The first `count` signals of a subscription, or what came within a second. */
export const takeWithinASecond = <Signal>(stream: Stream.Stream<Signal>, count: number) =>
  stream.pipe(Stream.take(count), Stream.runCollect, Effect.timeoutOption("1 second"), Effect.map(Option.getOrElse((): ReadonlyArray<Signal> => [])))

/**
 * Cuts the pub/sub connections named `name` (a live feed's subscriber, under a test's own prefix),
 * as a network blip would; ioredis reconnects them at once. Only those: the other test files' feeds,
 * running meanwhile on the same Redis, keep theirs.
 */
export const killSubscriber = (use: Context.Service.Shape<typeof RedisClient>["use"], name: string) =>
  Effect.gen(function*() {
    const list = String(yield* use((redis) => redis.call("CLIENT", "LIST", "TYPE", "pubsub")))
    const ids = list.split("\n").flatMap((line) => {
      const id = /(?:^|\s)id=(\d+)/u.exec(line)?.[1]
      return line.includes(` name=${name} `) && id !== undefined ? [id] : []
    })
    if (ids.length === 0) return yield* Effect.die(new Error(`no pub/sub connection named ${name}`))
    for (const id of ids) yield* use((redis) => redis.call("CLIENT", "KILL", "ID", id))
  })

/**
 * What a live feed's stream receives when the feed's subscriber connection (`connectionName`) is
 * cut while it follows: `publish` is repeated until one gets through after the resubscription. The
 * distinct tags received (sorted) once both a Resync and a published signal came, or None when
 * they did not within 10 s. (Which comes first is not fixed: a publish can land between the
 * resubscription and the PING whose answer triggers the Resync; the app reads the store either way.)
 */
export const signalsAcrossCut = <Signal extends { readonly _tag: string }>(options: {
  readonly use: Context.Service.Shape<typeof RedisClient>["use"]
  readonly connectionName: string
  readonly stream: Stream.Stream<Signal>
  readonly publish: Effect.Effect<void>
}) =>
  Effect.gen(function*() {
    const seen = new Set<string>()
    const bothSeen = () => seen.has("Resync") && seen.size >= 2
    const received = yield* Effect.forkChild(options.stream.pipe(
      Stream.takeUntil((signal) => {
        seen.add(signal._tag)
        return bothSeen()
      }),
      Stream.runDrain,
      Effect.timeoutOption("10 seconds")
    ))
    yield* killSubscriber(options.use, options.connectionName)
    const publisher = yield* Effect.forkChild(Effect.forever(Effect.andThen(options.publish, Effect.sleep("50 millis"))))
    const done = yield* Fiber.join(received)
    yield* Fiber.interrupt(publisher)
    return Option.map(done, () => [...seen].sort())
  })
