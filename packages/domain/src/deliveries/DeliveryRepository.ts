import { Context, type Effect, type Option } from "effect"
import type { Delivery, DeliveryStatus } from "./Delivery.ts"
import type { DeliveriesUnavailable } from "./errors.ts"
import type { OfferAnswer } from "./matchingFactors.ts"
import type { Offer } from "./Offer.ts"
import type { TrailPoint } from "./LocationPoint.ts"

export type CreateDeliveryOutcome =
  | { readonly _tag: "Created"; readonly delivery: Delivery }
  /** The order has its delivery already (an event relayed twice): nothing was written. */
  | { readonly _tag: "Exists"; readonly delivery: Delivery }

export interface DeliveryListQuery {
  /** Only these statuses; null: all. */
  readonly statuses: ReadonlyArray<DeliveryStatus> | null
  /** Deliveries strictly older than this id (ids are time-ordered UUIDv7): newest first. */
  readonly beforeId: string | null
  readonly limit: number
}

/**
 * Deliveries and their offers. Writes run inside the caller's Transactional: a delivery's change,
 * its offers, the order's change and their events commit together. Lock order, everywhere: a
 * driver's row (DriverRepository.lock) before a delivery's, a delivery's before its order's.
 */
export class DeliveryRepository extends Context.Service<DeliveryRepository, {
  /** One delivery per order: a second create for the order finds the first. */
  readonly create: (delivery: Delivery) => Effect.Effect<CreateDeliveryOutcome, DeliveriesUnavailable>
  readonly findById: (id: string) => Effect.Effect<Option.Option<Delivery>, DeliveriesUnavailable>
  readonly findByOrder: (orderId: string) => Effect.Effect<Option.Option<Delivery>, DeliveriesUnavailable>
  /** The delivery under its row lock, for a change decided on what it is now. */
  readonly lock: (id: string) => Effect.Effect<Option.Option<Delivery>, DeliveriesUnavailable>
  readonly update: (delivery: Delivery) => Effect.Effect<void, DeliveriesUnavailable>
  /** The delivery the driver holds (assigned, picked up or delivering), if any: at most one. */
  readonly activeOf: (driverId: string) => Effect.Effect<Option.Option<Delivery>, DeliveriesUnavailable>
  /** Of these drivers, those holding a delivery: one read for a search's candidates. */
  readonly withActiveDelivery: (driverIds: ReadonlyArray<string>) => Effect.Effect<ReadonlySet<string>, DeliveriesUnavailable>
  readonly list: (query: DeliveryListQuery) => Effect.Effect<ReadonlyArray<Delivery>, DeliveriesUnavailable>
  /** Deliveries the driver handed over since `since`: his day. */
  readonly deliveredCount: (driverId: string, since: Date) => Effect.Effect<number, DeliveriesUnavailable>

  readonly insertOffers: (offers: ReadonlyArray<Offer>) => Effect.Effect<void, DeliveriesUnavailable>
  /** A delivery's offers, oldest first. */
  readonly offersOf: (deliveryId: string) => Effect.Effect<ReadonlyArray<Offer>, DeliveriesUnavailable>
  readonly findOffer: (id: string) => Effect.Effect<Option.Option<Offer>, DeliveriesUnavailable>
  /** Writes the offers' answers (status, reason, when). */
  readonly updateOffers: (offers: ReadonlyArray<Offer>) => Effect.Effect<void, DeliveriesUnavailable>
  /** The driver's offers still open (maybe past their time: the caller compares), oldest first. */
  readonly openOffersOf: (driverId: string) => Effect.Effect<ReadonlyArray<Offer>, DeliveriesUnavailable>
  /**
   * Each driver's last `window` offers he answered (accepted, rejected, expired or released; not
   * the withdrawn and open ones), newest first, each with whether its delivery ended handed over
   * by him. Every id asked is in the map (none answered: empty). The rules that count them are
   * the domain's (`recentOffersOf`, `trailingTimeoutsOf`).
   */
  readonly recentAnswers: (driverIds: ReadonlyArray<string>, window: number) => Effect.Effect<ReadonlyMap<string, ReadonlyArray<OfferAnswer>>, DeliveriesUnavailable>
  /** Appends points to their deliveries' trails. */
  readonly appendTrail: (points: ReadonlyArray<TrailPoint>) => Effect.Effect<void, DeliveriesUnavailable>
  /** A delivery's trail, in time order. */
  readonly trailOf: (deliveryId: string) => Effect.Effect<ReadonlyArray<TrailPoint>, DeliveriesUnavailable>
}>()("nelo/deliveries/DeliveryRepository") {}
