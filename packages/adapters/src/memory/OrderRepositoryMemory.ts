import { Effect, Layer, Option } from "effect"
import { OrdersUnavailable } from "@nelo/domain/orders/errors"
import { deliveryCodePattern, type NewOrderChange, type Order, type OrderChange, type OrderStatus } from "@nelo/domain/orders/Order"
import { type CreateOutcome, OrderRepository } from "@nelo/domain/orders/OrderRepository"
import { isUuid } from "../postgres/isUuid.ts"
import { recordUndo } from "./memoryTransaction.ts"

const newestFirst = (left: Order, right: Order) => (left.id < right.id ? 1 : left.id > right.id ? -1 : 0)

/** What a uuid column holds for this text: lower case, or nothing for a malformed id. */
const uuidOf = (id: string) => isUuid(id) ? id.toLowerCase() : undefined

const refused = (reason: string) => new OrdersUnavailable({ cause: new Error(reason) })

/**
 * Orders and their history in memory, for unit tests, behaving as the Postgres adapter does. Every
 * method is one synchronous step, so concurrent fibers see each change whole; inside a memory
 * transaction (TransactionalMemory) each write records how to undo it. It knows neither the users
 * nor the providers: the foreign keys of Postgres are not checked here.
 */
export const OrderRepositoryMemory = Layer.sync(OrderRepository, () => {
  const orders = new Map<string, Order>()
  const idByReference = new Map<string, string>()
  const idByKey = new Map<string, string>()
  /** Every change, in id order. */
  const changes: Array<OrderChange> = []
  // Like an identity column: a number is never given twice, even when its change is taken back.
  let lastChangeId = 0
  const customerKey = (customerId: string, idempotencyKey: string) => `${customerId}\u0000${idempotencyKey}`

  /** Each provider's feed position; memory transactions run one at a time, so they commit in order too. */
  const feedPositions = new Map<string, number>()

  const append = (change: NewOrderChange, providerId: string) => {
    const previous = feedPositions.get(providerId) ?? 0
    const numbered: OrderChange = { ...change, id: ++lastChangeId, position: previous + 1 }
    changes.push(numbered)
    feedPositions.set(providerId, numbered.position)
    return Effect.as(
      recordUndo(() => {
        changes.splice(changes.indexOf(numbered), 1)
        feedPositions.set(providerId, previous)
      }),
      numbered
    )
  }

  const find = (id: string) => Effect.sync(() => {
    const key = uuidOf(id)
    return Option.fromNullishOr(key === undefined ? undefined : orders.get(key))
  })

  return OrderRepository.of({
    create: (order, change) =>
      Effect.suspend((): Effect.Effect<CreateOutcome, OrdersUnavailable> => {
        // What the uuid columns, the primary key and the CHECK constraints refuse in Postgres.
        const [id, customerId, providerId] = [order.id, order.customerId, order.providerId].map(uuidOf)
        const { subtotalXof, deliveryFeeXof, discountXof, totalXof } = order.totals
        if (id === undefined || customerId === undefined || providerId === undefined || change.orderId !== order.id || totalXof !== subtotalXof + deliveryFeeXof - discountXof ||
          !deliveryCodePattern.test(order.deliveryCode)) {
          return Effect.fail(refused(`order ${order.id} refused by the store`))
        }
        const key = customerKey(customerId, order.idempotencyKey)
        const existing = idByKey.get(key)
        if (existing !== undefined) return Effect.succeed({ _tag: "KeyTaken", existing: orders.get(existing)! })
        if (idByReference.has(order.reference)) return Effect.succeed({ _tag: "ReferenceTaken" })
        if (orders.has(id)) return Effect.fail(refused(`order id ${order.id} is taken by another order`))
        const stored: Order = { ...order, id, customerId, providerId }
        orders.set(stored.id, stored)
        idByReference.set(stored.reference, stored.id)
        idByKey.set(key, stored.id)
        return recordUndo(() => {
          orders.delete(stored.id)
          idByReference.delete(stored.reference)
          idByKey.delete(key)
        }).pipe(Effect.andThen(append({ ...change, orderId: id }, providerId)), Effect.map((numbered) => ({ _tag: "Created", order: stored, change: numbered })))
      }),

    findById: find,

    findByReference: (reference) => Effect.sync(() => Option.flatMap(Option.fromNullishOr(idByReference.get(reference)), (id) => Option.fromNullishOr(orders.get(id)))),

    findByKey: (customerId, idempotencyKey) =>
      Effect.sync(() => Option.flatMap(Option.fromNullishOr(idByKey.get(customerKey(uuidOf(customerId) ?? "", idempotencyKey))), (id) => Option.fromNullishOr(orders.get(id)))),

    // Memory transactions run one at a time: the order is as locked as it needs to be.
    lock: find,

    // Only what a change may change: the snapshots and the money of an order are written once.
    update: (order, change) =>
      Effect.suspend(() => {
        const current = change.orderId === order.id ? orders.get(uuidOf(order.id) ?? "") : undefined
        if (current === undefined) return Effect.fail(refused(`no order ${order.id} to update`))
        orders.set(current.id, {
          ...current,
          status: order.status,
          paymentStatus: order.paymentStatus,
          preparationMinutes: order.preparationMinutes,
          cancellation: order.cancellation,
          updatedAt: order.updatedAt
        })
        return Effect.andThen(recordUndo(() => orders.set(current.id, current)), append({ ...change, orderId: current.id }, current.providerId))
      }),

    history: (orderId) => Effect.sync(() => changes.filter((change) => change.orderId === uuidOf(orderId))),

    changesSince: (scope, afterPosition, limit) =>
      Effect.sync(() => {
        const belongs = "orderId" in scope
          ? (change: OrderChange) => change.orderId === uuidOf(scope.orderId)
          : (change: OrderChange) => orders.get(change.orderId)?.providerId === uuidOf(scope.providerId)
        return changes.filter((change) => change.position > afterPosition && belongs(change)).slice(0, Math.max(0, Math.floor(limit)))
      }),

    feedPosition: (providerId) => Effect.sync(() => feedPositions.get(uuidOf(providerId) ?? "") ?? 0),

    list: (query) => {
      if (query.customerId === undefined && query.providerId === undefined) return Effect.die(new Error("orders are listed for a customer or a provider"))
      return Effect.sync(() => {
        const [customerId, providerId, beforeId] = [query.customerId, query.providerId, query.beforeId ?? undefined].map((id) => id === undefined ? undefined : uuidOf(id) ?? null)
        if (customerId === null || providerId === null || beforeId === null) return []
        return [...orders.values()]
          .filter((order) =>
            (customerId === undefined || order.customerId === customerId) &&
            (providerId === undefined || order.providerId === providerId) &&
            (beforeId === undefined || order.id < beforeId) &&
            (query.statuses === null || query.statuses.includes(order.status)) &&
            (query.payableOnly !== true || (order.paymentStatus !== "awaiting" && order.paymentStatus !== "unpaid"))
          )
          .sort(newestFirst)
          .slice(0, Math.max(0, Math.floor(query.limit)))
      })
    },

    awaitingRefund: (updatedBefore, limit) =>
      Effect.sync(() =>
        [...orders.values()]
          .filter((order) => order.paymentStatus === "refunding" && order.updatedAt < updatedBefore)
          .sort((left, right) => left.updatedAt.getTime() - right.updatedAt.getTime())
          .slice(0, Math.max(0, Math.floor(limit)))
          .map((order) => order.id)
      ),

    deliveredAfter: (afterId, limit) =>
      Effect.sync(() => {
        // A malformed cursor names no order: nothing after it, as the uuid column refuses it.
        const after = afterId === null ? null : uuidOf(afterId)
        if (after === undefined) return []
        return [...orders.values()]
          .filter((order) => order.status === "delivered" && (after === null || order.id > after))
          .map((order) => order.id)
          .sort()
          .slice(0, Math.max(0, Math.floor(limit)))
      }),

    countNotCancelled: (customerId) =>
      Effect.sync(() => [...orders.values()].filter((order) => order.customerId === uuidOf(customerId) && order.status !== "cancelled").length),

    lastCashOutcomes: (customerId, limit) =>
      Effect.sync(() =>
        [...orders.values()]
          .filter((order) => order.customerId === uuidOf(customerId) && order.paymentMethod === "cash" && (order.status === "delivered" || order.status === "failed"))
          .sort((left, right) => right.updatedAt.getTime() - left.updatedAt.getTime() || newestFirst(left, right))
          .slice(0, Math.max(0, Math.floor(limit)))
          .map((order): OrderStatus => order.status)
      )
  })
})
