import { Schema } from "effect"
import type { DeliveryDetails, OfferDetails } from "@nelo/domain/deliveries/Deliveries"
import { DeliveryStatus, FailureReason, type Delivery } from "@nelo/domain/deliveries/Delivery"
import { DriverStatus } from "@nelo/domain/deliveries/Driver"
import { deliveryLoadOf } from "@nelo/domain/deliveries/DeliveryLoad"
import { OfferStatus } from "@nelo/domain/deliveries/Offer"
import { averageStars } from "@nelo/domain/deliveries/Rating"
import { BottleSizeKg, GasBrand } from "@nelo/domain/catalogue/Product"
import { GasSale, OrderStatus, PaymentMethod } from "@nelo/domain/orders/Order"
import type { DriverProfile, LocationUpdate } from "@nelo/domain/deliveries/Drivers"
import type { LivePosition } from "@nelo/domain/deliveries/LocationPoint"
import type { Rating } from "@nelo/domain/deliveries/Rating"
import { Vehicle } from "@nelo/domain/deliveries/Vehicle"
import { KycStatus } from "@nelo/domain/users/Kyc"
import { FiniteBetween, Francs, Id, Instant, IntBetween, Text } from "../shared/bounded.ts"
import { Point } from "../shared/bounded.ts"

const PositionView = Schema.Struct({
  location: Point,
  accuracyM: FiniteBetween(0, 100_000),
  headingDeg: Schema.NullOr(FiniteBetween(0, 360)),
  speedMps: Schema.NullOr(FiniteBetween(0, 1_000)),
  recordedAt: Instant
})

const positionView = (position: LivePosition | null): typeof PositionView.Type | null =>
  position === null ? null : {
    location: position.location,
    accuracyM: position.accuracyM,
    headingDeg: position.headingDeg,
    speedMps: position.speedMps,
    recordedAt: position.recordedAt.toISOString()
  }

/** A driver as their app shows them. */
export const DriverView = Schema.Struct({
  userId: Id,
  vehicle: Vehicle,
  plate: Schema.NullOr(Text(20)),
  zoneId: Id,
  status: DriverStatus,
  statusChangedAt: Instant,
  /** The KYC review of their identity and licence: online only once `approved`. */
  kycStatus: KycStatus,
  /** Customers' ratings: their mean (1..5, null before the first) and how many. */
  rating: Schema.Struct({ average: Schema.NullOr(FiniteBetween(1, 5)), count: IntBetween(0, 100_000_000) }),
  /** Where they were last seen (null before a first point). */
  position: Schema.NullOr(PositionView),
  /**
   * Cash collected at doors and held for NELO, and the cap past which no cash order is offered
   * (nor going online); acceptance and completion over the last offers (null before any); the
   * deliveries handed over today.
   */
  activity: Schema.Struct({
    cashHeldXof: Francs,
    cashCapXof: Francs,
    acceptanceRate: Schema.NullOr(FiniteBetween(0, 1)),
    completionRate: Schema.NullOr(FiniteBetween(0, 1)),
    deliveredToday: IntBetween(0, 100_000)
  }),
  createdAt: Instant
})

export interface DriverActivity {
  readonly cashHeldXof: number
  readonly cashCapXof: number
  readonly acceptanceRate: number | null
  readonly completionRate: number | null
  readonly deliveredToday: number
}

const rate = (value: number | null) => value === null ? null : Math.round(value * 1000) / 1000

export const driverView = (profile: DriverProfile, activity: DriverActivity): typeof DriverView.Type => ({
  userId: profile.driver.userId,
  vehicle: profile.driver.vehicle,
  plate: profile.driver.plate,
  zoneId: profile.driver.zoneId,
  status: profile.driver.status,
  statusChangedAt: profile.driver.statusChangedAt.toISOString(),
  kycStatus: profile.kycStatus,
  rating: {
    average: averageStars(profile.driver.ratingSum, profile.driver.ratingCount),
    count: profile.driver.ratingCount
  },
  position: positionView(profile.position),
  activity: { ...activity, acceptanceRate: rate(activity.acceptanceRate), completionRate: rate(activity.completionRate) },
  createdAt: profile.driver.createdAt.toISOString()
})

/** What became of a batch of points: how many were kept, which were dropped and why, and the position now. */
export const LocationUpdateView = Schema.Struct({
  kept: IntBetween(0, 50),
  dropped: Schema.Array(Schema.Struct({
    index: IntBetween(0, 49),
    reason: Schema.Literals(["older_than_last", "from_the_future", "inaccurate"])
  })).pipe(Schema.check(Schema.isMaxLength(50))),
  position: Schema.NullOr(PositionView)
})

export const locationUpdateView = (update: LocationUpdate): typeof LocationUpdateView.Type => ({
  kept: update.kept.length,
  dropped: update.dropped,
  position: positionView(update.position)
})

const Meters = IntBetween(0, 100_000_000)
const Zone = Schema.Struct({ id: Id, slug: Text(100), name: Text(200) })
const Place = Schema.Struct({ name: Text(200), location: Point, landmark: Text(500) })
const Bottles = Schema.Array(Schema.Struct({ sizeKg: FiniteBetween(0, 1_000), quantity: IntBetween(0, 10_000), emptiesToCollect: IntBetween(0, 10_000) })).pipe(Schema.check(Schema.isMaxLength(100)))

/** An open offer: enough to decide in 30 s; the exact address comes with the delivery, once accepted. */
export const OfferView = Schema.Struct({
  id: Id,
  deliveryId: Id,
  reference: Text(20),
  expiresAt: Instant,
  pickup: Place,
  distanceToPickupM: Meters,
  /** The customer's zone (quartier): the address itself once accepted. */
  destinationZone: Zone,
  /** From the pickup to the customer. */
  deliveryDistanceM: Meters,
  /** What the driver earns for it: the delivery fee less the platform's commission. */
  earningXof: Francs,
  itemCount: IntBetween(0, 100_000),
  /** Gas bottles to carry, and empties to collect at the door. */
  gasBottles: Bottles,
  /** Cash orders: the amount to collect at the door; null when paid in advance. */
  cashToCollectXof: Schema.NullOr(Francs)
})

export const offerView = (details: OfferDetails): typeof OfferView.Type => ({
  id: details.offer.id,
  deliveryId: details.offer.deliveryId,
  reference: details.reference,
  expiresAt: details.offer.expiresAt.toISOString(),
  pickup: details.pickup,
  distanceToPickupM: details.offer.distanceToPickupM,
  destinationZone: details.destinationZone,
  deliveryDistanceM: details.deliveryDistanceM,
  earningXof: details.earningXof,
  itemCount: details.load.itemCount,
  gasBottles: details.load.gasBottles,
  cashToCollectXof: details.cashToCollectXof
})

export const OffersView = Schema.Struct({ offers: Schema.Array(OfferView).pipe(Schema.check(Schema.isMaxLength(100))) })

/** An offer once answered. */
export const OfferAnswerView = Schema.Struct({ id: Id, deliveryId: Id, status: OfferStatus })

const LineView = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("product"), name: Text(200), quantity: IntBetween(1, 50), options: Schema.Array(Text(200)).pipe(Schema.check(Schema.isMaxLength(50))) }),
  Schema.Struct({ kind: Schema.Literal("gas"), brand: GasBrand, bottleSizeKg: BottleSizeKg, sale: GasSale, quantity: IntBetween(1, 50), emptyBottlesToCollect: IntBetween(0, 50) })
])

/**
 * A delivery as its driver (and admins) see it: where to pick it up, the exact address and the
 * customer to call, what to carry (the checklist), the cash to collect, and its steps. Never the
 * delivery code: the customer gives it at the door.
 */
export const DeliveryView = Schema.Struct({
  id: Id,
  orderId: Id,
  reference: Text(20),
  status: DeliveryStatus,
  orderStatus: OrderStatus,
  driverId: Schema.NullOr(Id),
  pickup: Place,
  destination: Schema.Struct({ label: Text(200), location: Point, landmark: Text(500), zone: Zone }),
  deliveryDistanceM: Meters,
  customer: Schema.NullOr(Schema.Struct({ firstName: Text(200), phone: Text(20) })),
  note: Schema.NullOr(Text(500)),
  lines: Schema.Array(LineView).pipe(Schema.check(Schema.isMaxLength(100))),
  itemCount: IntBetween(0, 100_000),
  gasBottles: Bottles,
  paymentMethod: PaymentMethod,
  earningXof: Francs,
  cashToCollectXof: Schema.NullOr(Francs),
  cashCollectedXof: Schema.NullOr(Francs),
  wrongCodeAttempts: IntBetween(0, 100),
  completionLocked: Schema.Boolean,
  failure: Schema.NullOr(Schema.Struct({ reason: FailureReason, note: Schema.NullOr(Text(500)) })),
  assignedAt: Schema.NullOr(Instant),
  pickedUpAt: Schema.NullOr(Instant),
  deliveredAt: Schema.NullOr(Instant),
  createdAt: Instant,
  updatedAt: Instant
})

const instantOrNull = (date: Date | null) => date === null ? null : date.toISOString()

export const deliveryView = (details: DeliveryDetails): typeof DeliveryView.Type => {
  const { delivery, order } = details
  const load = deliveryLoadOf(order.lines)
  return {
    id: delivery.id,
    orderId: order.id,
    reference: order.reference,
    status: delivery.status,
    orderStatus: order.status,
    driverId: delivery.driverId,
    pickup: order.pickup,
    destination: { label: order.destination.label, location: order.destination.location, landmark: order.destination.landmark, zone: order.destination.zone },
    deliveryDistanceM: order.distanceM,
    customer: details.customer,
    note: order.note,
    lines: order.lines.map((line) =>
      line.kind === "product"
        ? { kind: "product" as const, name: line.name, quantity: line.quantity, options: line.options.map((option) => option.name) }
        : { kind: "gas" as const, brand: line.brand, bottleSizeKg: line.bottleSizeKg, sale: line.sale, quantity: line.quantity, emptyBottlesToCollect: line.emptyBottlesToCollect }
    ),
    itemCount: load.itemCount,
    gasBottles: load.gasBottles,
    paymentMethod: order.paymentMethod,
    earningXof: details.earningXof,
    cashToCollectXof: details.cashToCollectXof,
    cashCollectedXof: delivery.cashCollectedXof,
    wrongCodeAttempts: delivery.wrongCodeAttempts,
    completionLocked: delivery.completionLockedAt !== null,
    failure: delivery.failure,
    assignedAt: instantOrNull(delivery.assignedAt),
    pickedUpAt: instantOrNull(delivery.pickedUpAt),
    deliveredAt: instantOrNull(delivery.deliveredAt),
    createdAt: delivery.createdAt.toISOString(),
    updatedAt: delivery.updatedAt.toISOString()
  }
}

/** The delivery the driver holds, or null. */
export const CurrentDeliveryView = Schema.Struct({ delivery: Schema.NullOr(DeliveryView) })

/** A delivery in the admins' list. */
export const DeliverySummaryView = Schema.Struct({
  id: Id,
  orderId: Id,
  status: DeliveryStatus,
  driverId: Schema.NullOr(Id),
  dispatchAt: Instant,
  unassignedSince: Schema.NullOr(Instant),
  batchesSent: IntBetween(0, 100_000),
  createdAt: Instant,
  updatedAt: Instant
})

export const deliverySummaryView = (delivery: Delivery): typeof DeliverySummaryView.Type => ({
  id: delivery.id,
  orderId: delivery.orderId,
  status: delivery.status,
  driverId: delivery.driverId,
  dispatchAt: delivery.dispatchAt.toISOString(),
  unassignedSince: instantOrNull(delivery.unassignedSince),
  batchesSent: delivery.progress.batchCount,
  createdAt: delivery.createdAt.toISOString(),
  updatedAt: delivery.updatedAt.toISOString()
})

export const DeliveriesPage = Schema.Struct({
  deliveries: Schema.Array(DeliverySummaryView).pipe(Schema.check(Schema.isMaxLength(100))),
  /** Pass it back as ?cursor= for the next page; null on the last. */
  nextCursor: Schema.NullOr(Text(64))
})

/** A customer's rating of their delivered order, as given: stars for the driver and for the provider. */
export const RatingView = Schema.Struct({
  orderId: Id,
  driver: IntBetween(1, 5),
  provider: IntBetween(1, 5),
  comment: Schema.NullOr(Text(500)),
  createdAt: Instant
})

export const ratingView = (rating: Rating): typeof RatingView.Type => ({
  orderId: rating.orderId,
  driver: rating.driverStars,
  provider: rating.providerStars,
  comment: rating.comment,
  createdAt: rating.createdAt.toISOString()
})
