import { Effect, Exit, Option, Scope, Stream } from "effect"
import { OrderNotFound, type OrdersUnavailable, ProviderNotFoundForOrders } from "./errors.ts"
import { finalStatuses, initialPaymentStatus, type Order, type OrderChange } from "./Order.ts"
import { makeOrderAccess, type Viewer } from "./orderAccess.ts"
import { OrderFeed, type OrderFeedSignal } from "./OrderFeed.ts"
import { type ChangeScope, OrderRepository } from "./OrderRepository.ts"

/**
 * What a live stream sends: a change with its order, or `Ready` once it has caught up (everything
 * up to `position` was sent; what follows is live).
 */
export type FeedItem =
  | { readonly _tag: "Change"; readonly change: OrderChange; readonly order: Order }
  | { readonly _tag: "Ready"; readonly position: number }

// A stream far behind (a provider's tablet offline for a day) catches up page by page.
const replayPageSize = 100

/**
 * Whether a change shows in its provider's feed. An order waiting for its Wave or CinetPay payment
 * is not the provider's yet: it appears when paid (its `paid` change), and one that was never
 * paid (cancelled or expired unpaid) never appears. The provider's list follows the same rule.
 */
export const providerSeesChange = (change: Pick<OrderChange, "change">, order: Pick<Order, "paymentMethod" | "paymentStatus" | "totals">) =>
  order.paymentStatus !== "unpaid" &&
  !(change.change === "created" && initialPaymentStatus(order.paymentMethod, order.totals.totalXof) === "awaiting")

const isFinal = (change: OrderChange) => finalStatuses.includes(change.to)

/**
 * The live streams of orders: a customer (or the provider's owner, or an admin) follows one order,
 * a provider's owner follows all of that provider's orders. A stream first sends what was missed
 * since `after` (the last position the app received: Last-Event-ID), read from the store, then
 * `Ready`, then each change as it commits. The feed only wakes the stream: an entry that follows
 * the last one sent is passed on as it came, anything else (an entry out of order, a gap, a lost
 * connection) is read again from the store, so nothing is lost, repeated or reordered.
 */
export const makeFollowOrders = Effect.gen(function*() {
  const orders = yield* OrderRepository
  const feed = yield* OrderFeed
  const access = yield* makeOrderAccess

  /** The scope's changes after `after`, oldest first, each with its order as it is now. */
  const readSince = (scope: ChangeScope, after: number) =>
    Effect.gen(function*() {
      const changes: Array<OrderChange> = []
      while (true) {
        const page = yield* orders.changesSince(scope, changes.at(-1)?.position ?? after, replayPageSize)
        changes.push(...page)
        if (page.length < replayPageSize) break
      }
      const orderIds = [...new Set(changes.map((change) => change.orderId))]
      const found = yield* Effect.forEach(orderIds, (id) => orders.findById(id), { concurrency: 4 })
      const byId = new Map(found.flatMap((order) => Option.isSome(order) ? [[order.value.id, order.value] as const] : []))
      return changes.flatMap((change) => {
        const order = byId.get(change.orderId)
        return order === undefined ? [] : [{ change, order }]
      })
    })

  const follow = (scope: ChangeScope, after: number | null, shows: (change: OrderChange, order: Order) => boolean) =>
    Effect.gen(function*() {
      // Subscribed before the stream is answered (a feed that cannot be followed is a 503, not an
      // empty 200), and before the store is read (a change committed in between is in one or the
      // other). The subscription lasts as long as the stream.
      const subscription = yield* Scope.make()
      const signals = yield* Scope.provide(feed.subscribe(scope), subscription).pipe(
        Effect.onError((cause) => Scope.close(subscription, Exit.failCause(cause)))
      )
      return Stream.unwrap(startFrom(scope, after, shows, signals)).pipe(Stream.ensuring(Scope.close(subscription, Exit.void)))
    })

  const startFrom = (scope: ChangeScope, after: number | null, shows: (change: OrderChange, order: Order) => boolean, signals: Stream.Stream<OrderFeedSignal>) =>
    Effect.gen(function*() {
      let last = after ?? ("providerId" in scope ? yield* orders.feedPosition(scope.providerId) : 0)

      const sent = (entries: ReadonlyArray<{ readonly change: OrderChange; readonly order: Order }>): ReadonlyArray<FeedItem> =>
        entries.flatMap(({ change, order }) => {
          if (change.position <= last) return []
          last = change.position
          return shows(change, order) ? [{ _tag: "Change", change, order } as const] : []
        })

      const caughtUp = Stream.suspend(() => Stream.fromIterableEffect(Effect.map(readSince(scope, last), sent)))

      const onSignal = (signal: OrderFeedSignal): Stream.Stream<FeedItem, OrdersUnavailable> => {
        if (signal._tag === "Entry") {
          const { position } = signal.entry.change
          if (position <= last) return Stream.empty
          // A provider's positions run 1, 2, 3...: the next one is the entry itself. An order's
          // changes are spread among its provider's, so a gap there tells nothing: read them.
          if ("providerId" in scope && position === last + 1) return Stream.fromIterable(sent([signal.entry]))
        }
        return caughtUp
      }

      return caughtUp.pipe(
        Stream.concat(Stream.suspend(() => Stream.make<[FeedItem]>({ _tag: "Ready", position: last }))),
        Stream.concat(Stream.flatMap(signals, onSignal))
      )
    })

  return {
    /**
     * One order's changes, all of them from the start without `after`. The stream ends after the
     * order's final change; `None` when it has ended and nothing is left to send (the app stops).
     */
    followOrder: Effect.fn("Orders.followOrder")(function*(viewer: Viewer, orderId: string, after: number | null) {
      const found = yield* orders.findById(orderId)
      if (Option.isNone(found) || !(yield* access.maySee(viewer, found.value))) return yield* new OrderNotFound()
      const order = found.value
      if (finalStatuses.includes(order.status) && after !== null && (yield* orders.changesSince({ orderId: order.id }, after, 1)).length === 0) {
        return Option.none()
      }
      const stream = yield* follow({ orderId: order.id }, after, () => true)
      return Option.some(Stream.takeUntil(stream, (item) => item._tag === "Change" && isFinal(item.change)))
    }),
    /** A provider's new and changed orders, from now without `after` (the app loads the list first). */
    followProvider: Effect.fn("Orders.followProvider")(function*(viewer: Viewer, providerId: string, after: number | null) {
      if (!(yield* access.managesProvider(viewer, providerId))) return yield* new ProviderNotFoundForOrders()
      return yield* follow({ providerId }, after, providerSeesChange)
    })
  }
})
