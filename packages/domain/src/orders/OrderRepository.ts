import { Context, type Effect, type Option } from "effect"
import type { OrdersUnavailable } from "./errors.ts"
import type { NewOrderChange, Order, OrderChange, OrderStatus } from "./Order.ts"

export type CreateOutcome =
  | { readonly _tag: "Created"; readonly order: Order; readonly change: OrderChange }
  /** The customer's idempotency key is taken: the order made with it (committed, or waited for). */
  | { readonly _tag: "KeyTaken"; readonly existing: Order }
  /** Another order has this reference: draw another. */
  | { readonly _tag: "ReferenceTaken" }

export interface OrderListQuery {
  /** Exactly one of the two: a customer's orders, or a provider's. */
  readonly customerId?: string | undefined
  readonly providerId?: string | undefined
  readonly statuses: ReadonlyArray<OrderStatus> | null
  /** Leave out orders whose gateway payment is awaited or never came (the provider's list: they were never its to act on). */
  readonly payableOnly?: boolean | undefined
  /** Orders strictly older than this id (ids are time-ordered UUIDv7): newest first. */
  readonly beforeId: string | null
  readonly limit: number
}

/** Whose changes a live stream follows. */
export type ChangeScope = { readonly orderId: string } | { readonly providerId: string }

/**
 * Orders and their history. Every write of an order comes with the history row of its change, in
 * the same statement batch; the caller runs them inside Transactional with its ledger postings,
 * stock and outbox events, so that an order, its money and its events commit together.
 */
export class OrderRepository extends Context.Service<OrderRepository, {
  /**
   * Inserts a new order with its first change. The customer's key is claimed first: a concurrent
   * request with the same key waits for this one and finds its order (KeyTaken).
   */
  readonly create: (order: Order, change: NewOrderChange) => Effect.Effect<CreateOutcome, OrdersUnavailable>
  readonly findById: (id: string) => Effect.Effect<Option.Option<Order>, OrdersUnavailable>
  readonly findByReference: (reference: string) => Effect.Effect<Option.Option<Order>, OrdersUnavailable>
  readonly findByKey: (customerId: string, idempotencyKey: string) => Effect.Effect<Option.Option<Order>, OrdersUnavailable>
  /**
   * The order under its row lock, for a change decided on what it is now: of two concurrent
   * commands, the second reads what the first wrote. Meant for inside a Transactional run.
   */
  readonly lock: (id: string) => Effect.Effect<Option.Option<Order>, OrdersUnavailable>
  /** Writes the order as changed and the row of that change; returns the row, numbered and positioned. */
  readonly update: (order: Order, change: NewOrderChange) => Effect.Effect<OrderChange, OrdersUnavailable>
  readonly history: (orderId: string) => Effect.Effect<ReadonlyArray<OrderChange>, OrdersUnavailable>
  /** Changes after `afterPosition` of one order or of one provider's orders, oldest first: what a live stream missed. */
  readonly changesSince: (scope: ChangeScope, afterPosition: number, limit: number) => Effect.Effect<ReadonlyArray<OrderChange>, OrdersUnavailable>
  /** The position of the provider's latest committed change (0 before its first): where a new live stream starts. */
  readonly feedPosition: (providerId: string) => Effect.Effect<number, OrdersUnavailable>
  readonly list: (query: OrderListQuery) => Effect.Effect<ReadonlyArray<Order>, OrdersUnavailable>
  /** Orders whose gateway refund is still awaited since before `updatedBefore`, oldest first: what the queue gave up on. */
  readonly awaitingRefund: (updatedBefore: Date, limit: number) => Effect.Effect<ReadonlyArray<string>, OrdersUnavailable>
  /** Ids of delivered orders after `afterId` (null: from the first), in id order, at most `limit`: the settlement back-fill's pages. */
  readonly deliveredAfter: (afterId: string | null, limit: number) => Effect.Effect<ReadonlyArray<string>, OrdersUnavailable>
  /** The customer's orders that were not cancelled: a first order has none. */
  readonly countNotCancelled: (customerId: string) => Effect.Effect<number, OrdersUnavailable>
  /** How the customer's latest cash orders ended (delivered or failed), newest first, at most `limit`. */
  readonly lastCashOutcomes: (customerId: string, limit: number) => Effect.Effect<ReadonlyArray<OrderStatus>, OrdersUnavailable>
}>()("nelo/orders/OrderRepository") {}
