import { type Context, Duration, Effect, Option, Stream } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import type { Cart, CartItem } from "@nelo/domain/orders/Cart"
import { Orders } from "@nelo/domain/orders/Orders"
import { Earnings } from "@nelo/domain/earnings/Earnings"
import type { PromotionBenefit, PromotionTerms } from "@nelo/domain/orders/Promotion"
import { basisPoints, xof } from "@nelo/domain/shared/Xof"
import { NeloApi } from "../NeloApi.ts"
import { CurrentUser } from "../shared/Authentication.ts"
import type { BenefitView } from "./views.ts"
import type { OrdersUnavailable } from "@nelo/domain/orders/errors"
import type { FeedItem } from "@nelo/domain/orders/followOrders"
import type { Order } from "@nelo/domain/orders/Order"
import { HttpConfig } from "../HttpConfig.ts"
import { Deliveries } from "@nelo/domain/deliveries/Deliveries"
import { liveStream as sendLive } from "../shared/liveStream.ts"
import { deliveryTrackingView, type OrderStreamEvent, orderStreamEvent, orderView, promotionView, quoteView, trackingView } from "./views.ts"

const defaultPageSize = 20

type ItemPayload = { readonly productId: string; readonly quantity: number; readonly options?: ReadonlyArray<string> } | { readonly gasProductId: string; readonly quantity: number; readonly sale: "refill" | "new" }

const cartItem = (item: ItemPayload): CartItem =>
  "gasProductId" in item ? item : { productId: item.productId, quantity: item.quantity, options: item.options ?? [] }

const cartOf = (payload: { readonly providerId: string; readonly items: ReadonlyArray<ItemPayload>; readonly addressId: string; readonly promoCode?: string }) => ({
  providerId: payload.providerId,
  items: payload.items.map(cartItem),
  addressId: payload.addressId,
  promoCode: payload.promoCode ?? null
})

const pageQuery = (query: { readonly status?: ReadonlyArray<"pending" | "confirmed" | "preparing" | "ready" | "picked_up" | "delivering" | "delivered" | "cancelled" | "failed">; readonly cursor?: string; readonly limit?: number }) => ({
  statuses: query.status ?? null,
  cursor: query.cursor ?? null,
  limit: query.limit ?? defaultPageSize
})

const page = (found: { readonly orders: ReadonlyArray<Order>; readonly nextCursor: string | null }, forCustomer: (order: Order) => boolean) => ({
  items: found.orders.map((order) => orderView(order, null, forCustomer(order))),
  nextCursor: found.nextCursor
})

/**
 * Whether the viewer is the order's customer: the only one its delivery code is shown to. Its
 * provider's owner and admins see the order, not the code (an admin sees it on their own orders).
 */
const isCustomerOf = (viewer: { readonly userId: string }) => (order: Order) => order.customerId === viewer.userId

/** On the provider's routes: never the delivery code, even on an order its owner placed himself. */
const notCustomer = () => false

export const OrdersHandlers = HttpApiBuilder.group(NeloApi, "orders", Effect.fn(function*(handlers) {
  const orders = yield* Orders
  const deliveries = yield* Deliveries
  const { liveHeartbeatMs, liveTrackingIntervalMs } = yield* HttpConfig

  /**
   * The customer's stream also carries where the driver is: every `liveTrackingIntervalMs` the
   * delivery is looked at, and sent when it changed (he moved, the ETA moved, a driver was found).
   * The order is read again each time: its status decides what is shown.
   */
  const trackingEvents = (viewer: Context.Service.Shape<typeof CurrentUser>, orderId: string): Stream.Stream<OrderStreamEvent> =>
    Stream.tick(Duration.millis(liveTrackingIntervalMs)).pipe(
      Stream.mapEffect(() => Effect.flatMap(orders.get(viewer, orderId), (order) => deliveries.trackingOf(order, true))),
      Stream.map(deliveryTrackingView),
      Stream.filter((view): view is NonNullable<typeof view> => view !== null),
      Stream.changesWith((left, right) => JSON.stringify(left) === JSON.stringify(right)),
      Stream.map((data): OrderStreamEvent => ({ event: "delivery.tracking", data })),
      // A store that cannot be read now is tried again at the next tick's stream (the app reconnects).
      Stream.catchCause(() => Stream.empty)
    )

  /**
   * A live stream as the API sends it: its items as events, with the heartbeats and the end at the
   * token's expiry of every live stream (the app reconnects with a fresh token and Last-Event-ID).
   */
  const liveStream = (items: Stream.Stream<FeedItem, OrdersUnavailable>, tokenExpiresAt: Date, forCustomer: (order: Order) => boolean) =>
    sendLive(Stream.map(items, (item) => orderStreamEvent(item, forCustomer)), { tokenExpiresAt, heartbeatMs: liveHeartbeatMs })
  return handlers.handleAll({
    quote: ({ payload }) =>
      Effect.gen(function*() {
        const cart: Cart = { ...cartOf(payload), paymentMethod: payload.paymentMethod ?? null }
        return quoteView(yield* orders.quote((yield* CurrentUser).userId, cart))
      }),
    place: ({ payload }) =>
      Effect.gen(function*() {
        const viewer = yield* CurrentUser
        const order = yield* orders.place(viewer.userId, {
          ...cartOf(payload),
          paymentMethod: payload.paymentMethod,
          note: payload.note?.trim() || null,
          pin: payload.pin ?? null,
          idempotencyKey: payload.idempotencyKey
        })
        return orderView(order, yield* orders.checkoutOf(order), isCustomerOf(viewer)(order))
      }),
    list: ({ query }) =>
      Effect.gen(function*() {
        const viewer = yield* CurrentUser
        return page(yield* orders.listMine(viewer.userId, pageQuery(query)), isCustomerOf(viewer))
      }),
    get: ({ params }) =>
      Effect.gen(function*() {
        const viewer = yield* CurrentUser
        const order = yield* orders.get(viewer, params.orderId)
        return orderView(order, yield* orders.checkoutOf(order), isCustomerOf(viewer)(order))
      }),
    cancel: ({ params, payload }) =>
      Effect.gen(function*() {
        const viewer = yield* CurrentUser
        const order = yield* orders.cancelByCustomer(viewer.userId, params.orderId, payload.reason, payload.refundTo)
        return orderView(order, null, isCustomerOf(viewer)(order))
      }),
    tracking: ({ params }) =>
      Effect.gen(function*() {
        const viewer = yield* CurrentUser
        const tracking = yield* orders.tracking(viewer, params.orderId)
        const forCustomer = isCustomerOf(viewer)(tracking.order)
        return trackingView(tracking, forCustomer, yield* deliveries.trackingOf(tracking.order, forCustomer))
      }),
    orderEvents: ({ params, headers }) =>
      Effect.gen(function*() {
        const viewer = yield* CurrentUser
        const stream = yield* orders.followOrder(viewer, params.orderId, headers["last-event-id"] ?? null)
        // The customer's own stream carries the code; its provider's owner or an admin following it does not.
        if (Option.isNone(stream)) return undefined
        const order = yield* orders.get(viewer, params.orderId)
        const events = liveStream(stream.value, viewer.expiresAt, isCustomerOf(viewer))
        return isCustomerOf(viewer)(order) ? Stream.merge(events, trackingEvents(viewer, order.id), { haltStrategy: "left" }) : events
      }),
    providerOrderEvents: ({ params, headers }) =>
      Effect.gen(function*() {
        const viewer = yield* CurrentUser
        return liveStream(yield* orders.followProvider(viewer, params.providerId, headers["last-event-id"] ?? null), viewer.expiresAt, notCustomer)
      }),
    providerOrders: ({ params, query }) => Effect.gen(function*() { return page(yield* orders.listForProvider(yield* CurrentUser, params.providerId, pageQuery(query)), notCustomer) }),
    confirm: ({ params, payload }) => Effect.gen(function*() { return orderView(yield* orders.confirm(yield* CurrentUser, params.orderId, payload.preparationMinutes), null, false) }),
    reject: ({ params, payload }) => Effect.gen(function*() { return orderView(yield* orders.reject(yield* CurrentUser, params.orderId, payload.reason), null, false) }),
    preparing: ({ params }) => Effect.gen(function*() { return orderView(yield* orders.startPreparing(yield* CurrentUser, params.orderId), null, false) }),
    ready: ({ params }) => Effect.gen(function*() { return orderView(yield* orders.markReady(yield* CurrentUser, params.orderId), null, false) })
  })
}))

const benefitOf = (view: BenefitView): PromotionBenefit =>
  view.kind === "percent_off"
    ? { _tag: "PercentOff", basisPoints: basisPoints(view.basisPoints) }
    : view.kind === "amount_off"
    ? { _tag: "AmountOff", amountXof: xof(view.amountXof) }
    : { _tag: "DeliveryOff", basisPoints: basisPoints(view.basisPoints) }

type TermsPayload = Omit<PromotionTerms, "benefit" | "minimumSubtotalXof" | "maximumDiscountXof" | "budgetXof"> & {
  readonly benefit: BenefitView
  readonly minimumSubtotalXof: number
  readonly maximumDiscountXof: number | null
  readonly budgetXof: number | null
}

/** The terms as the domain holds them: francs and rates through their constructors. */
const termsOf = <T extends Partial<TermsPayload>>(payload: T): Partial<PromotionTerms> => {
  const terms: Record<string, unknown> = { ...payload }
  if (payload.benefit !== undefined) terms.benefit = benefitOf(payload.benefit)
  if (payload.minimumSubtotalXof !== undefined) terms.minimumSubtotalXof = xof(payload.minimumSubtotalXof)
  if (payload.maximumDiscountXof !== undefined) terms.maximumDiscountXof = payload.maximumDiscountXof === null ? null : xof(payload.maximumDiscountXof)
  if (payload.budgetXof !== undefined) terms.budgetXof = payload.budgetXof === null ? null : xof(payload.budgetXof)
  return terms as Partial<PromotionTerms>
}

export const OrdersAdminHandlers = HttpApiBuilder.group(NeloApi, "ordersAdmin", Effect.fn(function*(handlers) {
  const orders = yield* Orders
  const earnings = yield* Earnings
  return handlers.handleAll({
    refund: ({ params, payload }) =>
      Effect.gen(function*() {
        const refunded = yield* earnings.refund(yield* CurrentUser, params.orderId, { ...payload, amountXof: xof(payload.amountXof) })
        return { ...refunded, createdAt: refunded.createdAt.toISOString() }
      }),
    cancel: ({ params, payload }) =>
      // An admin's answer: never the delivery code, even on an order of their own (their GET shows it).
      Effect.gen(function*() { return orderView(yield* orders.cancelByAdmin(yield* CurrentUser, params.orderId, payload.reason, payload.responsible ?? "platform", payload.refundTo), null, false) }),
    createPromotion: ({ payload }) =>
      Effect.gen(function*() { return promotionView(yield* orders.promotions.create(yield* CurrentUser, termsOf(payload) as PromotionTerms)) }),
    listPromotions: ({ query }) =>
      Effect.gen(function*() {
        const found = yield* orders.promotions.list(yield* CurrentUser, { activeOnly: query.active === "true", cursor: query.cursor ?? null, limit: query.limit ?? defaultPageSize })
        return { items: found.promotions.map(promotionView), nextCursor: found.nextCursor }
      }),
    getPromotion: ({ params }) => Effect.gen(function*() { return promotionView(yield* orders.promotions.get(yield* CurrentUser, params.promotionId)) }),
    updatePromotion: ({ params, payload }) =>
      Effect.gen(function*() { return promotionView(yield* orders.promotions.update(yield* CurrentUser, params.promotionId, termsOf(payload))) }),
    deactivatePromotion: ({ params }) => Effect.gen(function*() { return promotionView(yield* orders.promotions.deactivate(yield* CurrentUser, params.promotionId)) }),
    deliveryFees: () => Effect.gen(function*() { return yield* orders.deliveryFees.current(yield* CurrentUser) }),
    setDeliveryFees: ({ payload }) =>
      Effect.gen(function*() {
        return yield* orders.deliveryFees.replace(yield* CurrentUser, {
          bands: payload.bands.map((band) => ({ upToM: band.upToM, feeXof: xof(band.feeXof) })),
          beyondPerKmXof: xof(payload.beyondPerKmXof)
        })
      })
  })
}))
