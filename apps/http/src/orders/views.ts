import { Schema } from "effect"
import type { CartProblem } from "@nelo/domain/orders/CartProblem"
import { cartProblemMessage } from "@nelo/domain/orders/messages"
import { ActorKind, deliveryCodeLength, deliveryCodePattern, GasSale, OrderChangeKind, OrderStatus, PaymentMethod, PaymentStatus, PromotionFunder, type Order, type OrderChange, type OrderLine } from "@nelo/domain/orders/Order"
import type { OrderTracking } from "@nelo/domain/orders/readOrders"
import type { FeedItem } from "@nelo/domain/orders/followOrders"
import type { Quote } from "@nelo/domain/orders/quoteCart"
import { PromotionRefusalReason, type Promotion } from "@nelo/domain/orders/Promotion"
import { BottleSizeKg, GasBrand } from "@nelo/domain/catalogue/Product"
import { Gateway } from "@nelo/domain/wallet/Account"
import { bandsAscending } from "@nelo/domain/orders/DeliveryFeeSchedule"
import { FiniteBetween, Francs, Id, Instant, IntBetween, Point, Text } from "../shared/bounded.ts"
import type { DeliveryTracking } from "@nelo/domain/deliveries/Deliveries"
import { DeliveryStatus } from "@nelo/domain/deliveries/Delivery"
import { Vehicle } from "@nelo/domain/deliveries/Vehicle"
import { ProblemMessage } from "../shared/problem.ts"
import { EventData, HeartbeatEvent } from "../shared/liveStream.ts"

// ---- Cart problems: each reason a cart cannot be ordered, with a stable code and its line ----

const cartProblemCodes = {
  ProviderNotFound: "provider_not_found",
  ProviderClosed: "provider_closed",
  ProviderNotDelivering: "provider_not_delivering",
  ItemNotFound: "item_not_found",
  ItemUnavailable: "item_unavailable",
  OutOfStock: "out_of_stock",
  QuantityOutOfRange: "quantity_out_of_range",
  OptionNotOffered: "option_not_offered",
  OptionChoicesInvalid: "option_choices_invalid",
  AddressNotFound: "address_not_found",
  AddressOutsideZones: "address_outside_zones",
  AddressTooFar: "address_too_far",
  PromotionRefused: "promotion_refused",
  CashAboveMaximum: "cash_above_maximum",
  CashRefusedAfterFailures: "cash_refused_after_failures"
} as const satisfies { readonly [Tag in CartProblem["_tag"]]: string }

type CartProblemCode = typeof cartProblemCodes[keyof typeof cartProblemCodes]
const tagOfCode = Object.fromEntries(Object.entries(cartProblemCodes).map(([tag, code]) => [code, tag])) as Record<CartProblemCode, CartProblem["_tag"]>

const Count = IntBetween(0, 1_000_000)

/** One reason, as apps read it: `code` to switch on, `line` (0 first) to point at, the figures that go with it. */
export const CartProblemView = Schema.Struct({
  code: Schema.Literals(Object.values(cartProblemCodes) as unknown as ReadonlyArray<CartProblemCode>),
  message: ProblemMessage,
  line: Schema.optionalKey(IntBetween(0, 100)),
  name: Schema.optionalKey(Text(200)),
  availableQuantity: Schema.optionalKey(Count),
  minimum: Schema.optionalKey(Count),
  maximum: Schema.optionalKey(Count),
  optionId: Schema.optionalKey(Id),
  group: Schema.optionalKey(Text(200)),
  minChoices: Schema.optionalKey(Count),
  maxChoices: Schema.optionalKey(Count),
  chosen: Schema.optionalKey(Count),
  distanceM: Schema.optionalKey(IntBetween(0, 40_000_000)),
  radiusM: Schema.optionalKey(IntBetween(0, 40_000_000)),
  promoCode: Schema.optionalKey(Schema.NullOr(Text(40))),
  reason: Schema.optionalKey(PromotionRefusalReason),
  minimumSubtotalXof: Schema.optionalKey(Schema.NullOr(Francs)),
  maximumXof: Schema.optionalKey(Francs),
  failedOrders: Schema.optionalKey(Count),
  nextOpenAt: Schema.optionalKey(Schema.NullOr(Instant))
})
export type CartProblemView = typeof CartProblemView.Type

export const cartProblemView = (problem: CartProblem): CartProblemView => {
  const { _tag, ...fields } = problem as CartProblem & Record<string, unknown>
  const view: Record<string, unknown> = { code: cartProblemCodes[_tag], message: cartProblemMessage(problem) }
  for (const [key, value] of Object.entries(fields)) {
    if (key === "code") view.promoCode = value
    else view[key] = value instanceof Date ? value.toISOString() : value
  }
  return view as CartProblemView
}

/** Back from the wire, for clients built from the API (the typed test client). */
export const cartProblemFromView = (view: CartProblemView): CartProblem => {
  const { code, message: _message, promoCode, nextOpenAt, ...fields } = view
  return {
    _tag: tagOfCode[code],
    ...fields,
    ...(promoCode === undefined ? {} : { code: promoCode }),
    ...(nextOpenAt === undefined ? {} : { nextOpenAt: nextOpenAt === null ? null : new Date(nextOpenAt) })
  } as unknown as CartProblem
}

// ---- Orders ----

const ChosenOptionView = Schema.Struct({ id: Id, groupName: Text(80), name: Text(80), priceDeltaXof: Francs })

const LineView = Schema.Union([
  Schema.Struct({
    kind: Schema.Literal("product"),
    productId: Id,
    name: Text(120),
    unitPriceXof: Francs,
    quantity: IntBetween(1, 50),
    options: Schema.Array(ChosenOptionView).pipe(Schema.check(Schema.isMaxLength(50))),
    lineTotalXof: Francs
  }),
  Schema.Struct({
    kind: Schema.Literal("gas"),
    gasProductId: Id,
    brand: GasBrand,
    bottleSizeKg: BottleSizeKg,
    sale: GasSale,
    unitPriceXof: Francs,
    quantity: IntBetween(1, 50),
    /** Empty bottles of this brand and size the driver collects at the door (refills). */
    emptyBottlesToCollect: IntBetween(0, 50),
    lineTotalXof: Francs
  })
])

const lineView = (line: OrderLine) => line

const PlaceView = Schema.Struct({ name: Text(200), location: Point, landmark: Text(300) })

const DestinationView = Schema.Struct({
  addressId: Id,
  label: Text(50),
  location: Point,
  landmark: Text(300),
  zone: Schema.Struct({ id: Id, slug: Text(100), name: Text(200) })
})

const PromotionAppliedView = Schema.Struct({
  promotionId: Id,
  code: Schema.NullOr(Text(40)),
  discountXof: Francs,
  fundedBy: PromotionFunder
})

/**
 * The order's delivery code, for its customer's eyes only: they read it out to the driver at the
 * door, who needs it to complete the delivery. Anyone else who saw it (the provider, an admin, the
 * driver himself) could complete a delivery that never reached the customer.
 */
const DeliveryCode = Schema.String.pipe(Schema.check(Schema.isPattern(deliveryCodePattern), Schema.isMaxLength(deliveryCodeLength)))

/** The key present for the order's customer alone; absent for everyone else. */
const deliveryCodeFor = (order: Order, forCustomer: boolean): { readonly deliveryCode?: string } =>
  forCustomer ? { deliveryCode: order.deliveryCode } : {}

export const OrderView = Schema.Struct({
  id: Id,
  reference: Text(16),
  status: OrderStatus,
  customerId: Id,
  providerId: Id,
  paymentMethod: PaymentMethod,
  paymentStatus: PaymentStatus,
  lines: Schema.Array(LineView).pipe(Schema.check(Schema.isMaxLength(30))),
  subtotalXof: Francs,
  deliveryFeeXof: Francs,
  discountXof: Francs,
  totalXof: Francs,
  promotion: Schema.NullOr(PromotionAppliedView),
  pickup: PlaceView,
  destination: DestinationView,
  distanceM: IntBetween(0, 40_000_000),
  note: Schema.NullOr(Text(500)),
  preparationMinutes: Schema.NullOr(IntBetween(1, 1440)),
  cancellation: Schema.NullOr(Schema.Struct({
    by: ActorKind,
    responsible: Schema.Literals(["customer", "provider", "driver", "platform", "system"]),
    reason: Text(500)
  })),
  /**
   * For a Wave or CinetPay order awaiting its payment: the gateway's page to open (the gateway may
   * be the other one when the one asked for was down). Null otherwise, and in lists.
   */
  payment: Schema.NullOr(Schema.Struct({ gateway: Gateway, paymentUrl: Text(2000) })),
  /** 4 digits to read out to the driver at the door. Only in the order's customer's own answers. */
  deliveryCode: Schema.optionalKey(DeliveryCode),
  createdAt: Instant,
  updatedAt: Instant
})
export type OrderView = typeof OrderView.Type

/**
 * An order as the API shows it. `forCustomer`: the viewer is the order's customer (not merely an
 * admin or its provider's owner), the only one shown its delivery code.
 */
export const orderView = (order: Order, payment: { readonly gateway: "wave" | "cinetpay"; readonly paymentUrl: string } | null, forCustomer: boolean): OrderView => ({
  id: order.id,
  reference: order.reference,
  status: order.status,
  customerId: order.customerId,
  providerId: order.providerId,
  paymentMethod: order.paymentMethod,
  paymentStatus: order.paymentStatus,
  lines: order.lines.map(lineView),
  ...order.totals,
  promotion: order.promotion,
  pickup: order.pickup,
  destination: order.destination,
  distanceM: order.distanceM,
  note: order.note,
  preparationMinutes: order.preparationMinutes,
  cancellation: order.cancellation === null ? null : { by: order.cancellation.by.kind, responsible: order.cancellation.responsible, reason: order.cancellation.reason },
  payment,
  ...deliveryCodeFor(order, forCustomer),
  createdAt: order.createdAt.toISOString(),
  updatedAt: order.updatedAt.toISOString()
})

export const OrdersPage = Schema.Struct({
  items: Schema.Array(OrderView).pipe(Schema.check(Schema.isMaxLength(50))),
  nextCursor: Schema.NullOr(Text(500))
})

// ---- Quote ----

export const QuoteView = Schema.Struct({
  /** True when the cart can be ordered as it is (with the payment method given, if any). */
  orderable: Schema.Boolean,
  problems: Schema.Array(CartProblemView).pipe(Schema.check(Schema.isMaxLength(100))),
  lines: Schema.Array(LineView).pipe(Schema.check(Schema.isMaxLength(30))),
  subtotalXof: Francs,
  deliveryFeeXof: Francs,
  discountXof: Francs,
  totalXof: Francs,
  distanceM: Schema.NullOr(IntBetween(0, 40_000_000)),
  promotion: Schema.NullOr(Schema.Struct({ ...PromotionAppliedView.fields, label: Text(120) }))
})

export const quoteView = (quote: Quote): typeof QuoteView.Type => ({
  orderable: quote.problems.length === 0,
  problems: quote.problems.map(cartProblemView),
  lines: quote.lines.map(lineView),
  ...quote.totals,
  distanceM: quote.distanceM,
  promotion: quote.promotion
})

// ---- Tracking ----

const Position = IntBetween(0, Number.MAX_SAFE_INTEGER)

const TimelineEntryView = Schema.Struct({
  id: IntBetween(1, Number.MAX_SAFE_INTEGER),
  /** The change's place in the live stream: a Last-Event-ID to follow the order from here. */
  position: Position,
  change: OrderChangeKind,
  status: OrderStatus,
  actorKind: ActorKind,
  reason: Schema.NullOr(Text(500)),
  at: Instant
})

const timelineEntryView = (change: OrderChange): typeof TimelineEntryView.Type => ({
  id: change.id,
  position: change.position,
  change: change.change,
  status: change.to,
  actorKind: change.actor.kind,
  reason: change.reason,
  at: change.at.toISOString()
})

const DriverPositionView = Schema.Struct({ location: Point, headingDeg: Schema.NullOr(FiniteBetween(0, 360)), recordedAt: Instant })

export const DeliveryTrackingView = Schema.Struct({
  status: DeliveryStatus,
  driver: Schema.NullOr(Schema.Struct({ firstName: Text(200), vehicle: Vehicle, rating: Schema.NullOr(FiniteBetween(1, 5)), maskedPhone: Text(32) })),
  position: Schema.NullOr(DriverPositionView),
  etaAt: Schema.NullOr(Instant)
})

export const deliveryTrackingView = (delivery: DeliveryTracking | null): typeof DeliveryTrackingView.Type | null =>
  delivery === null ? null : {
    status: delivery.status,
    driver: delivery.driver,
    position: delivery.position === null ? null : { location: delivery.position.location, headingDeg: delivery.position.headingDeg, recordedAt: delivery.position.recordedAt.toISOString() },
    etaAt: delivery.etaAt === null ? null : delivery.etaAt.toISOString()
  }

export const TrackingView = Schema.Struct({
  orderId: Id,
  reference: Text(16),
  status: OrderStatus,
  timeline: Schema.Array(TimelineEntryView).pipe(Schema.check(Schema.isMaxLength(100))),
  pickup: PlaceView,
  destination: DestinationView,
  /**
   * The delivery once the order is confirmed (null before): its status, its driver once one
   * accepted (first name, vehicle, rating, a masked phone), and, to the customer only while the
   * driver holds it, his live position and the estimated arrival.
   */
  delivery: Schema.NullOr(DeliveryTrackingView),
  /** The same code as the order's: only in its customer's own tracking. */
  deliveryCode: Schema.optionalKey(DeliveryCode)
})

/** `forCustomer`: the viewer is the order's customer, the only one shown its delivery code. */
export const trackingView = (tracking: OrderTracking, forCustomer: boolean, delivery: DeliveryTracking | null): typeof TrackingView.Type => ({
  orderId: tracking.order.id,
  reference: tracking.order.reference,
  status: tracking.order.status,
  timeline: tracking.timeline.map(timelineEntryView),
  pickup: tracking.order.pickup,
  destination: tracking.order.destination,
  delivery: deliveryTrackingView(delivery),
  ...deliveryCodeFor(tracking.order, forCustomer)
})

// ---- Live streams (Server-Sent Events) ----

const changeEventNames = OrderChangeKind.literals.map((kind) => `order.${kind}` as const)

/** An event's id: its position, in decimal. */
const EventId = Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{1,16}$/u)))

/**
 * The events of a live stream. `order.<change>` (order.created, order.confirmed...): one change,
 * with the order as it is after it (as it is now when the change is replayed); its id is its
 * position, sent back as Last-Event-ID to resume. `ready`: everything missed was sent, what follows
 * is live. `heartbeat` (no id): keeps proxies from closing a quiet connection.
 */
export const OrderStreamEvent = Schema.Union([
  Schema.Struct({
    id: EventId,
    event: Schema.Literals(changeEventNames),
    data: EventData(Schema.Struct({ position: Position, change: TimelineEntryView, order: OrderView }))
  }),
  Schema.Struct({ id: EventId, event: Schema.Literal("ready"), data: EventData(Schema.Struct({ position: Position })) }),
  HeartbeatEvent,
  /** The driver's position and the estimated arrival, to the customer while the driver holds the order: at most every 5 s, without an id (nothing to resume). */
  Schema.Struct({ event: Schema.Literal("delivery.tracking"), data: EventData(DeliveryTrackingView) })
])
export type OrderStreamEvent = typeof OrderStreamEvent.Type

/**
 * An item of a live stream as its event. `forCustomer`: whether the viewer is the customer of the
 * item's order (the only one shown its delivery code: never on a provider's stream).
 */
export const orderStreamEvent = (item: FeedItem, forCustomer: (order: Order) => boolean): OrderStreamEvent =>
  item._tag === "Ready"
    ? { id: String(item.position), event: "ready", data: { position: item.position } }
    : {
      id: String(item.change.position),
      event: `order.${item.change.change}`,
      // The page to pay on is in the answers to POST and GET: a stream does not open checkouts.
      data: { position: item.change.position, change: timelineEntryView(item.change), order: orderView(item.order, null, forCustomer(item.order)) }
    }

// ---- Promotions and fees (admin) ----

export const BenefitView = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("percent_off"), basisPoints: IntBetween(0, 10_000) }),
  Schema.Struct({ kind: Schema.Literal("amount_off"), amountXof: IntBetween(1, 10_000_000) }),
  Schema.Struct({ kind: Schema.Literal("delivery_off"), basisPoints: IntBetween(0, 10_000) })
])
export type BenefitView = typeof BenefitView.Type

export const benefitView = (benefit: Promotion["benefit"]): BenefitView =>
  benefit._tag === "PercentOff"
    ? { kind: "percent_off", basisPoints: benefit.basisPoints }
    : benefit._tag === "AmountOff"
    ? { kind: "amount_off", amountXof: benefit.amountXof }
    : { kind: "delivery_off", basisPoints: benefit.basisPoints }

export const PromotionView = Schema.Struct({
  id: Id,
  code: Schema.NullOr(Text(40)),
  label: Text(120),
  benefit: BenefitView,
  minimumSubtotalXof: Francs,
  maximumDiscountXof: Schema.NullOr(Francs),
  startsAt: Instant,
  endsAt: Schema.NullOr(Instant),
  maximumUses: Schema.NullOr(IntBetween(1, 10_000_000)),
  budgetXof: Schema.NullOr(Francs),
  perCustomerLimit: Schema.NullOr(IntBetween(1, 1_000)),
  firstOrderOnly: Schema.Boolean,
  providerId: Schema.NullOr(Id),
  fundedBy: PromotionFunder,
  active: Schema.Boolean,
  usesCount: IntBetween(0, 2_147_483_647),
  discountTotalXof: Francs,
  createdAt: Instant,
  updatedAt: Instant
})

export const promotionView = (promotion: Promotion): typeof PromotionView.Type => ({
  id: promotion.id,
  code: promotion.code,
  label: promotion.label,
  benefit: benefitView(promotion.benefit),
  minimumSubtotalXof: promotion.minimumSubtotalXof,
  maximumDiscountXof: promotion.maximumDiscountXof,
  startsAt: promotion.startsAt.toISOString(),
  endsAt: promotion.endsAt?.toISOString() ?? null,
  maximumUses: promotion.maximumUses,
  budgetXof: promotion.budgetXof,
  perCustomerLimit: promotion.perCustomerLimit,
  firstOrderOnly: promotion.firstOrderOnly,
  providerId: promotion.providerId,
  fundedBy: promotion.fundedBy,
  active: promotion.active,
  usesCount: promotion.usesCount,
  discountTotalXof: promotion.discountTotalXof,
  createdAt: promotion.createdAt.toISOString(),
  updatedAt: promotion.updatedAt.toISOString()
})

export const PromotionsPage = Schema.Struct({
  items: Schema.Array(PromotionView).pipe(Schema.check(Schema.isMaxLength(50))),
  nextCursor: Schema.NullOr(Text(500))
})

/** The bands in force: a distance up to `upToM` costs `feeXof`; past the last band, `beyondPerKmXof` per started km. */
export const DeliveryFeesView = Schema.Struct({
  bands: Schema.Array(Schema.Struct({ upToM: IntBetween(1, 100_000), feeXof: IntBetween(0, 100_000) })).pipe(
    Schema.check(Schema.isMinLength(1), Schema.isMaxLength(20), Schema.makeFilter(bandsAscending))
  ),
  beyondPerKmXof: IntBetween(0, 100_000)
})
