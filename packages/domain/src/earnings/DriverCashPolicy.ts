import { Context, Layer } from "effect"
import type { Phone } from "../shared/Phone.ts"

/**
 * The numbers of the drivers' cash follow-up (the cap itself is the deliveries' DriverPolicy:
 * cashInHandCapXof). Deployments set them from config (EARNINGS_CASH_* variables).
 */
export interface DriverCashPolicyNumbers {
  /** Cash held longer than this (its oldest unremitted collection) is overdue: admins are alerted. */
  readonly maximumAgeMs: number
  /** Who receives the daily alert by SMS. */
  readonly alertPhones: ReadonlyArray<Phone>
  /** When the daily alert runs, in minutes after midnight in Abidjan (UTC all year): 480 = 08:00. */
  readonly alertAtMinutes: number
}

export const defaultDriverCashPolicy: DriverCashPolicyNumbers = {
  maximumAgeMs: 48 * 3_600_000,
  alertPhones: [],
  alertAtMinutes: 8 * 60
}

export class DriverCashPolicy extends Context.Service<DriverCashPolicy, DriverCashPolicyNumbers>()("nelo/earnings/DriverCashPolicy") {
  /** The defaults, for tests and development; the apps read theirs from config. */
  static readonly defaults = Layer.succeed(DriverCashPolicy, defaultDriverCashPolicy)
}
