import { Context, type Effect } from "effect"
import type { EarningsUnavailable } from "./errors.ts"

/**
 * The days the drivers' cash alert was run: one row per Abidjan day, so that the daily job, run
 * again the same day (a restart, two workers), alerts nobody twice.
 */
export class CashAlertLog extends Context.Service<CashAlertLog, {
  /**
   * Records that the alert of `day` (YYYY-MM-DD, Abidjan) is being sent now, naming `drivers`
   * drivers; false, writing nothing, when that day was already recorded. Inside a Transactional
   * run, with the alert's events: undone with them.
   */
  readonly claimDay: (day: string, at: Date, drivers: number) => Effect.Effect<boolean, EarningsUnavailable>
}>()("nelo/earnings/CashAlertLog") {}
