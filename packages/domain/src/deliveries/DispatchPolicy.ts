import { Context, Layer } from "effect"
import type { Phone } from "../shared/Phone.ts"
import type { FailureReason } from "./Delivery.ts"
import { defaultMatchingSettings, type MatchingSettings } from "./MatchingSettings.ts"

/**
 * The numbers of dispatch and of the handover. Defaults are the product's decisions for Tiassalé
 * (REFERENCE.md's dispatch practice elsewhere for the offers); deployments tune them from config
 * (DISPATCH_* variables).
 */
export interface DispatchPolicyNumbers {
  readonly matching: MatchingSettings
  /** Offers sent at once, to the best this many. */
  readonly offersPerBatch: number
  /** How long an offer stays open. */
  readonly offerTimeoutMs: number
  /** The search radii around the pickup, growing. */
  readonly radiiM: ReadonlyArray<number>
  /** Batches sent at one radius before it grows. */
  readonly batchesPerRadius: number
  /** How many drivers around the pickup are read per search (the nearest). */
  readonly candidatesPerSearch: number
  /** An unassigned delivery is tried again this often... */
  readonly retryIntervalMs: number
  /** ...until this long after it first became unassigned: then the order is cancelled and refunded. */
  readonly giveUpAfterMs: number
  /** A driver who lets this many offers in a row time out is set offline (and told by SMS). */
  readonly timeoutsBeforeOffline: number
  /** Offers go out this long before the food is ready: about a driver's ride to the pickup. */
  readonly dispatchLeadMs: number
  /** Wrong delivery codes before completion is locked and an admin called. */
  readonly wrongCodeAttemptsAllowed: number
  /** A failed delivery's paid order is refunded to the customer's wallet for these reasons (the others were the customer's doing). */
  readonly refundedFailures: ReadonlyArray<FailureReason>
  /** The ETA: the distance as the crow flies times this (roads wind)... */
  readonly roadFactor: number
  /** ...at this average speed (a motorbike in town, stops included). */
  readonly averageSpeedKmh: number
  /**
   * The platform's commission on the delivery fee, in basis points: what an offer shows the driver
   * he earns (fee − commission). The earnings context settles it, overridable per driver.
   */
  readonly driverCommissionBasisPoints: number
  /** Who is alerted by SMS when an order finds no driver or a handover is locked (the admins on duty). */
  readonly alertPhones: ReadonlyArray<Phone>
  /** A customer may rate an order this long after its delivery. */
  readonly ratingWindowMs: number
}

/**
 * Offers: 3 at once, 30 s each (between Uber's 15 s and Deliveroo's 100 s: a rider on a cheap phone
 * in the sun needs a moment to read it); 3 km, 5 km, then 8 km (Tiassalé and the villages around
 * it), 3 batches each. Unassigned: a retry every minute for 30 minutes, then the customer is
 * refunded rather than left waiting. Offline after 3 time-outs in a row (Deliveroo's rule). The lead
 * is 10 minutes: most of town is under 3 km of a restaurant at 20 km/h. A failure the customer
 * caused (absent, unreachable, refused, an address nobody could find) is not refunded by default:
 * the food was made and carried; the others are.
 */
export const defaultDispatchPolicy: DispatchPolicyNumbers = {
  matching: defaultMatchingSettings,
  offersPerBatch: 3,
  offerTimeoutMs: 30_000,
  radiiM: [3_000, 5_000, 8_000],
  batchesPerRadius: 3,
  candidatesPerSearch: 50,
  retryIntervalMs: 60_000,
  giveUpAfterMs: 30 * 60_000,
  timeoutsBeforeOffline: 3,
  dispatchLeadMs: 10 * 60_000,
  wrongCodeAttemptsAllowed: 5,
  refundedFailures: ["order_damaged", "vehicle_problem", "unsafe", "other"],
  roadFactor: 1.3,
  averageSpeedKmh: 20,
  driverCommissionBasisPoints: 1_000,
  alertPhones: [],
  ratingWindowMs: 7 * 24 * 3_600_000
}

export class DispatchPolicy extends Context.Service<DispatchPolicy, DispatchPolicyNumbers>()("nelo/deliveries/DispatchPolicy") {
  /** The defaults, for tests and development; the apps read theirs from config. */
  static readonly defaults = Layer.succeed(DispatchPolicy, defaultDispatchPolicy)
}
