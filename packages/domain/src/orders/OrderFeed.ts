import { Context, type Effect, Schema, type Scope, type Stream } from "effect"
import { Order, OrderChange } from "./Order.ts"
import type { ChangeScope } from "./OrderRepository.ts"

/** A committed change as the live streams carry it, with its order as the change left it. */
export const OrderFeedEntry = Schema.Struct({ change: OrderChange, order: Order })
export type OrderFeedEntry = typeof OrderFeedEntry.Type

/**
 * What a subscription receives: an entry of its order or provider, or word that some may have been
 * missed (the connection to the other instances was lost and is back): read them from the store.
 */
export type OrderFeedSignal =
  | { readonly _tag: "Entry"; readonly entry: OrderFeedEntry }
  | { readonly _tag: "Resync" }

/** The live feed cannot be followed now (Redis down): the apps poll the tracking meanwhile. */
export class OrderFeedUnavailable extends Schema.TaggedError<OrderFeedUnavailable>()("OrderFeedUnavailable", {
  cause: Schema.Defect()
}) {}

/**
 * Tells every API instance of the changes committed anywhere (a request, the worker's timers, a
 * gateway's payment), so that whichever instance holds a customer's or a provider's stream passes
 * them on. It only wakes streams up: the store is the record, and a stream reads from it whatever
 * an entry shows it missed (entries can be lost or come out of order across instances).
 */
export class OrderFeed extends Context.Service<OrderFeed, {
  /** After the change committed. Never fails: an entry lost here is found in the store by the streams. */
  readonly publish: (entry: OrderFeedEntry) => Effect.Effect<void>
  /**
   * The signals of one order's or one provider's changes, from the moment the effect succeeds (the
   * subscription is in place: nothing published after it is missed) until its scope closes.
   */
  readonly subscribe: (scope: ChangeScope) => Effect.Effect<Stream.Stream<OrderFeedSignal>, OrderFeedUnavailable, Scope.Scope>
}>()("nelo/orders/OrderFeed") {}
