import { Cause, Clock, Duration, Effect, Schema, SchemaTransformation, Stream } from "effect"
import { Instant } from "./bounded.ts"

// What the live streams (Server-Sent Events) of every context share: the JSON of an event's data,
// the heartbeat, and how a stream is sent (heartbeats between events, an end at the token's expiry).

/** An event's data: JSON of `schema`, bounded (`maxLength` characters: an order's view is a few kilobytes at most). */
export const EventData = <S extends Schema.Constraint>(schema: S, maxLength = 64_000) =>
  Schema.String.pipe(Schema.check(Schema.isMaxLength(maxLength)), Schema.decodeTo(schema, SchemaTransformation.fromJsonString()))

/** `heartbeat` (no id): keeps proxies from closing a quiet connection, and tells the app it is still live. */
export const HeartbeatEvent = Schema.Struct({ event: Schema.Literal("heartbeat"), data: EventData(Schema.Struct({ at: Instant })) })
export type HeartbeatEvent = typeof HeartbeatEvent.Type

export const heartbeatEvent = (at: Date): HeartbeatEvent => ({ event: "heartbeat", data: { at: at.toISOString() } })

/**
 * A live stream as the API sends it: its events, a heartbeat every `heartbeatMs` between them, and
 * an end when the access token expires (the app reconnects with a fresh one: a revoked session
 * does not keep listening). A store that fails mid-stream ends it too, for the same reconnection.
 */
export const liveStream = <Event, E>(events: Stream.Stream<Event, E>, options: { readonly tokenExpiresAt: Date; readonly heartbeatMs: number }): Stream.Stream<Event | HeartbeatEvent> =>
  events.pipe(
    Stream.merge(
      Stream.tick(Duration.millis(options.heartbeatMs)).pipe(Stream.drop(1), Stream.mapEffect(() => Effect.map(Clock.currentTimeMillis, (now) => heartbeatEvent(new Date(now))))),
      { haltStrategy: "left" }
    ),
    Stream.interruptWhen(Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sleep(Duration.millis(Math.max(0, options.tokenExpiresAt.getTime() - now))))),
    Stream.catchCause((cause) => Stream.fromEffect(Effect.logWarning("live stream ended by a failure; the app reconnects").pipe(Effect.annotateLogs({ cause: Cause.pretty(cause) }))).pipe(Stream.drain))
  )
