import { Effect, Option } from "effect"
import type { UserId } from "../users/User.ts"
import { OrderNotFound, ProviderNotFoundForOrders } from "./errors.ts"
import type { Order, OrderChange, OrderStatus } from "./Order.ts"
import { makeOrderAccess, type Viewer } from "./orderAccess.ts"
import { orderCursor } from "./orderCursor.ts"
import { OrderRepository } from "./OrderRepository.ts"
import { Ledger } from "../wallet/Ledger.ts"
import { PaymentIntentRepository } from "../payments/PaymentIntentRepository.ts"
import type { LedgerTransaction } from "../wallet/LedgerTransaction.ts"
import { orderRefundKey } from "./changeOrder.ts"
import { orderPaymentKey } from "./placeOrder.ts"

export interface OrderListInput {
  readonly statuses: ReadonlyArray<OrderStatus> | null
  readonly cursor: string | null
  readonly limit: number
}

/** The money of an order in the ledger: its payment into escrow and its refund, when written. */
export interface OrderMoney {
  readonly payment: LedgerTransaction | null
  readonly refund: LedgerTransaction | null
}

export interface OrderPage {
  readonly orders: ReadonlyArray<Order>
  readonly nextCursor: string | null
}

/** An order and what happened to it: the timeline a customer follows, and what tracking shows. */
export interface OrderTracking {
  readonly order: Order
  readonly timeline: ReadonlyArray<OrderChange>
}

/**
 * Reading orders: one order (its customer, its provider's owner or an admin; anyone else gets
 * not found), the customer's own list, a provider's list (its owner or an admin), newest first
 * with an opaque cursor, and an order's tracking (its timeline).
 */
export const makeReadOrders = Effect.gen(function*() {
  const orders = yield* OrderRepository
  const access = yield* makeOrderAccess
  const ledger = yield* Ledger
  const intents = yield* PaymentIntentRepository

  const page = (query: { readonly customerId?: string; readonly providerId?: string; readonly payableOnly?: boolean }, input: OrderListInput) =>
    Effect.gen(function*() {
      const beforeId = input.cursor === null ? null : yield* orderCursor.decode(input.cursor)
      // One more than asked: whether there is a next page, without a count.
      const found = yield* orders.list({ ...query, statuses: input.statuses, beforeId, limit: input.limit + 1 })
      const shown = found.slice(0, input.limit)
      return { orders: shown, nextCursor: found.length > input.limit ? orderCursor.encode(shown.at(-1)!.id) : null } satisfies OrderPage
    })

  const get = Effect.fn("Orders.get")(function*(viewer: Viewer, orderId: string) {
    const found = yield* orders.findById(orderId)
    if (Option.isNone(found) || !(yield* access.maySee(viewer, found.value))) return yield* new OrderNotFound()
    return found.value
  })

  return {
    get,
    getByReference: Effect.fn("Orders.getByReference")(function*(viewer: Viewer, reference: string) {
      const found = yield* orders.findByReference(reference.trim().toUpperCase())
      if (Option.isNone(found) || !(yield* access.maySee(viewer, found.value))) return yield* new OrderNotFound()
      return found.value
    }),
    /** The page a Wave or CinetPay order is paid on, while its payment is awaited (null otherwise). */
    checkoutOf: Effect.fn("Orders.checkoutOf")(function*(order: Order) {
      if (order.paymentStatus !== "awaiting" || order.status !== "pending") return null
      const intent = yield* intents.findByOrder(order.id)
      return Option.match(intent, {
        onNone: () => null,
        onSome: (found) => found.paymentUrl === null ? null : { gateway: found.gateway, paymentUrl: found.paymentUrl }
      })
    }),
    /** For support and the admin CLI: what the ledger holds of this order. */
    moneyOf: Effect.fn("Orders.moneyOf")(function*(order: Order) {
      const [payment, refund] = yield* Effect.all([ledger.findByKey(orderPaymentKey(order.id)), ledger.findByKey(orderRefundKey(order.id))], { concurrency: "unbounded" })
      return { payment: Option.getOrNull(payment), refund: Option.getOrNull(refund) } satisfies OrderMoney
    }),
    listMine: Effect.fn("Orders.listMine")(function*(customerId: UserId, input: OrderListInput) {
      return yield* page({ customerId }, input)
    }),
    listForProvider: Effect.fn("Orders.listForProvider")(function*(viewer: Viewer, providerId: string, input: OrderListInput) {
      if (!(yield* access.managesProvider(viewer, providerId))) return yield* new ProviderNotFoundForOrders()
      // An order waiting for its Wave or CinetPay payment is not the provider's yet: it appears once paid.
      return yield* page({ providerId, payableOnly: true }, input)
    }),
    tracking: Effect.fn("Orders.tracking")(function*(viewer: Viewer, orderId: string) {
      const order = yield* get(viewer, orderId)
      return { order, timeline: yield* orders.history(order.id) } satisfies OrderTracking
    })
  }
})
