import { Schema } from "effect"
import { GeoPoint } from "../geo/GeoPoint.ts"
import { BottleSizeKg, GasBrand } from "../catalogue/Product.ts"
import { Xof } from "../shared/Xof.ts"

/**
 * The plan's state machine (DESIGN.md): pending → confirmed → preparing → ready → picked_up →
 * delivering → delivered; cancelled before pickup (an admin later too); failed from delivering.
 */
export const OrderStatus = Schema.Literals(["pending", "confirmed", "preparing", "ready", "picked_up", "delivering", "delivered", "cancelled", "failed"])
export type OrderStatus = typeof OrderStatus.Type

/** States an order never leaves. */
export const finalStatuses: ReadonlyArray<OrderStatus> = ["delivered", "cancelled", "failed"]

export const PaymentMethod = Schema.Literals(["wallet", "wave", "cinetpay", "cash"])
export type PaymentMethod = typeof PaymentMethod.Type

/**
 * awaiting: a gateway order whose payment is not confirmed yet (nothing in escrow).
 * paid: the total sits in escrow. on_delivery: cash, paid at the door.
 * refunding: cancelled, its payment going back through the gateway it came by (the customer asked):
 * the escrow holds it until the gateway confirms the refund (or refuses it: then to the wallet).
 * refunded: the escrow went back to the payer (cancelled or rejected): to the wallet, or to the gateway.
 * unpaid: a gateway order cancelled before its payment came (expired): nothing to give back.
 */
export const PaymentStatus = Schema.Literals(["awaiting", "paid", "on_delivery", "refunding", "refunded", "unpaid"])

/** Where a cancelled order's payment goes back: the wallet (at once), or the gateway it came by. */
export const RefundDestination = Schema.Literals(["wallet", "original"])
export type RefundDestination = typeof RefundDestination.Type
export type PaymentStatus = typeof PaymentStatus.Type

/** How a new order stands with its money: a wallet order is paid as it is written (or not written at all). */
export const initialPaymentStatus = (method: PaymentMethod, totalXof: number): PaymentStatus =>
  method === "wallet" || totalXof === 0 ? "paid" : method === "cash" ? "on_delivery" : "awaiting"

/** Who makes a change: earnings charge the responsible party of a cancellation. */
export const ActorKind = Schema.Literals(["customer", "provider", "driver", "admin", "system"])
export type ActorKind = typeof ActorKind.Type

export const Actor = Schema.Struct({
  kind: ActorKind,
  /** The user's id; for the system, the rule or job that acted ("unconfirmed_timeout"). */
  id: Schema.String
})
export type Actor = typeof Actor.Type

export const Quantity = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 50 })))

export const ChosenOption = Schema.Struct({
  id: Schema.String,
  groupName: Schema.String,
  name: Schema.String,
  priceDeltaXof: Xof
})
export type ChosenOption = typeof ChosenOption.Type

/** A dish or grocery item, priced when ordered: later menu changes change no order. */
export const ProductLine = Schema.Struct({
  kind: Schema.Literal("product"),
  productId: Schema.String,
  name: Schema.String,
  /** Base price plus the chosen options' deltas. */
  unitPriceXof: Xof,
  quantity: Quantity,
  options: Schema.Array(ChosenOption),
  lineTotalXof: Xof
})
export type ProductLine = typeof ProductLine.Type

export const GasSale = Schema.Literals(["refill", "new"])
export type GasSale = typeof GasSale.Type

/**
 * Gas bottles. A refill is paid at the refill price and needs as many empty bottles of the same
 * brand and size handed to the driver (his checklist); a new bottle is sold at the new-bottle price,
 * the deposit included.
 */
export const GasLine = Schema.Struct({
  kind: Schema.Literal("gas"),
  gasProductId: Schema.String,
  brand: GasBrand,
  bottleSizeKg: BottleSizeKg,
  sale: GasSale,
  unitPriceXof: Xof,
  quantity: Quantity,
  emptyBottlesToCollect: Schema.Int,
  lineTotalXof: Xof
})
export type GasLine = typeof GasLine.Type

export const OrderLine = Schema.Union([ProductLine, GasLine])
export type OrderLine = typeof OrderLine.Type

/** subtotal = Σ lines; total = subtotal + deliveryFee − discount; every figure whole francs. */
export const OrderTotals = Schema.Struct({
  subtotalXof: Xof,
  deliveryFeeXof: Xof,
  discountXof: Xof,
  totalXof: Xof
})
export type OrderTotals = typeof OrderTotals.Type

export const PromotionFunder = Schema.Literals(["platform", "provider"])
export type PromotionFunder = typeof PromotionFunder.Type

/** The promotion an order used, as it was then: earnings charge the funder its part. */
export const AppliedPromotion = Schema.Struct({
  promotionId: Schema.String,
  code: Schema.NullOr(Schema.String),
  discountXof: Xof,
  fundedBy: PromotionFunder
})
export type AppliedPromotion = typeof AppliedPromotion.Type

/** The delivery address as it was when ordered: editing the address book changes no order. */
export const Destination = Schema.Struct({
  addressId: Schema.String,
  label: Schema.String,
  location: GeoPoint,
  landmark: Schema.String,
  zone: Schema.Struct({ id: Schema.String, slug: Schema.String, name: Schema.String })
})
export type Destination = typeof Destination.Type

/** Where the driver picks the order up, as it was when ordered. */
export const Pickup = Schema.Struct({
  name: Schema.String,
  location: GeoPoint,
  landmark: Schema.String
})
export type Pickup = typeof Pickup.Type

/** Why an order ended before delivery, and who caused it (earnings charge the responsible party). */
export const Cancellation = Schema.Struct({
  by: Actor,
  responsible: Schema.Literals(["customer", "provider", "driver", "platform", "system"]),
  reason: Schema.String
})
export type Cancellation = typeof Cancellation.Type

/** How many digits a delivery code has, and what one looks like (the store's CHECK says the same). */
export const deliveryCodeLength = 4
export const deliveryCodePattern = /^[0-9]{4}$/u

export const Order = Schema.Struct({
  id: Schema.String,
  /** ORD- and 8 Crockford characters: what people read out on the phone. */
  reference: Schema.String,
  customerId: Schema.String,
  providerId: Schema.String,
  status: OrderStatus,
  lines: Schema.Array(OrderLine),
  totals: OrderTotals,
  promotion: Schema.NullOr(AppliedPromotion),
  paymentMethod: PaymentMethod,
  paymentStatus: PaymentStatus,
  pickup: Pickup,
  destination: Destination,
  /** Provider to destination, as the fee was computed. */
  distanceM: Schema.Int,
  note: Schema.NullOr(Schema.String),
  /** Given by the provider when confirming. */
  preparationMinutes: Schema.NullOr(Schema.Int),
  cancellation: Schema.NullOr(Cancellation),
  /** The customer's key: the same order asked twice (a retry after a lost answer) is one order. */
  idempotencyKey: Schema.String,
  /** A digest of what was asked: the same key with another cart is refused. */
  requestDigest: Schema.String,
  /**
   * 4 digits the customer reads out to the driver at the door: the proof the order reached them.
   * Shown to the customer alone (never to the driver, the provider or an admin), asked at delivery.
   */
  deliveryCode: Schema.String,
  createdAt: Schema.Date,
  updatedAt: Schema.Date
})
export type Order = typeof Order.Type

/**
 * What happened to an order, one row per change, in order (`id` grows across all orders: the
 * live streams resume from it). `created` and `paid` are changes too, though `paid` keeps the status.
 */
export const OrderChangeKind = Schema.Literals([
  "created",
  "paid",
  "confirmed",
  "preparing",
  "ready",
  "picked_up",
  "delivering",
  "delivered",
  "cancelled",
  "failed",
  /** A cancelled order's payment came back through its gateway (or, refused there, to the wallet). */
  "refunded"
])
export type OrderChangeKind = typeof OrderChangeKind.Type

export const OrderChange = Schema.Struct({
  id: Schema.Number,
  /**
   * Where the change stands in its provider's feed: 1, 2, 3... in the order the changes committed
   * (so also in its order's own history). What a live stream resumes from (Last-Event-ID).
   */
  position: Schema.Number,
  orderId: Schema.String,
  change: OrderChangeKind,
  from: Schema.NullOr(OrderStatus),
  to: OrderStatus,
  actor: Actor,
  reason: Schema.NullOr(Schema.String),
  at: Schema.Date
})
export type OrderChange = typeof OrderChange.Type

/** A change as a use case writes it: the store numbers it and gives it its position. */
export type NewOrderChange = Omit<OrderChange, "id" | "position">
