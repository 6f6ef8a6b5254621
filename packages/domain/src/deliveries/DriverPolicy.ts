import { Context, Layer } from "effect"
import { type Xof, xof } from "../shared/Xof.ts"

/**
 * The numbers of the drivers' rules. Defaults are the product's decisions for Tiassalé; deployments
 * tune them from config (DRIVERS_* variables).
 */
export interface DriverPolicyNumbers {
  /** A point less precise than this is dropped: 50 m puts a driver on the wrong street. */
  readonly maximumAccuracyM: number
  /** Points claiming to be from further ahead than this (a phone's clock is off) are dropped. */
  readonly futureToleranceMs: number
  /** A position older than this does not count: the driver is not offered work, and cannot go online on it. */
  readonly freshLocationMs: number
  /** Online with no point for this long: set offline, and told by SMS. */
  readonly offlineAfterSilenceMs: number
  /** The cash a driver may hold for the platform: no cash offers, and not online, beyond it. */
  readonly cashInHandCapXof: Xof
  /** During a delivery, a point is kept in its trail when this far from the last kept... */
  readonly trailMinDistanceM: number
  /** ...or this long after it. */
  readonly trailMinIntervalMs: number
}

export const defaultDriverPolicy: DriverPolicyNumbers = {
  maximumAccuracyM: 50,
  futureToleranceMs: 60_000,
  freshLocationMs: 2 * 60_000,
  offlineAfterSilenceMs: 10 * 60_000,
  cashInHandCapXof: xof(50_000),
  trailMinDistanceM: 25,
  trailMinIntervalMs: 30_000
}

export class DriverPolicy extends Context.Service<DriverPolicy, DriverPolicyNumbers>()("nelo/deliveries/DriverPolicy") {
  /** The defaults, for tests and development; the apps read theirs from config. */
  static readonly defaults = Layer.succeed(DriverPolicy, defaultDriverPolicy)
}
