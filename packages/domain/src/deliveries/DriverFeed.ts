import { Context, type Effect, Schema, type Scope, type Stream } from "effect"

/**
 * What changed for a driver, as little as that: his open offers (one sent, withdrawn, expired or
 * answered), or the delivery he holds (assigned to him, cancelled...). No detail travels: his stream
 * reads them again from the store, so nothing sensitive goes through the feed and nothing sent can
 * be out of date.
 */
export const DriverFeedChange = Schema.Union([
  Schema.TaggedStruct("OffersChanged", {}),
  Schema.TaggedStruct("DeliveryChanged", { deliveryId: Schema.String.pipe(Schema.check(Schema.isMaxLength(64))) })
])
export type DriverFeedChange = typeof DriverFeedChange.Type

/**
 * What a subscription receives: a change, or word that some may have been missed (the connection
 * to the other instances was lost and is back): read everything from the store.
 */
export type DriverFeedSignal = DriverFeedChange | { readonly _tag: "Resync" }

/** The live feed cannot be followed now (Redis down): the driver's app polls its offers meanwhile. */
export class DriverFeedUnavailable extends Schema.TaggedError<DriverFeedUnavailable>()("DriverFeedUnavailable", {
  cause: Schema.Defect()
}) {}

/**
 * Tells every API instance of what changed for a driver, committed anywhere (a request, dispatch in
 * the worker), so that whichever instance holds the driver's stream re-reads it. It only wakes
 * streams up: the store is the record.
 */
export class DriverFeed extends Context.Service<DriverFeed, {
  /** After the commit. Never fails: a signal lost here is made up by the next one or the next connection's snapshot. */
  readonly publish: (driverId: string, change: DriverFeedChange) => Effect.Effect<void>
  /**
   * The signals of one driver, from the moment the effect succeeds (the subscription is in place:
   * nothing published after it is missed) until its scope closes.
   */
  readonly subscribe: (driverId: string) => Effect.Effect<Stream.Stream<DriverFeedSignal>, DriverFeedUnavailable, Scope.Scope>
}>()("nelo/deliveries/DriverFeed") {}
