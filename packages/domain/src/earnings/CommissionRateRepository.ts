import { Context, type Effect, type Option } from "effect"
import type { BasisPoints } from "../shared/Xof.ts"
import type { CommissionRate, RateParty } from "./CommissionRate.ts"
import type { EarningsUnavailable } from "./errors.ts"

/**
 * The commission overrides per provider and per driver, each from its effective date. Only ever
 * appended to: the history of a party's rates is kept whole.
 */
export class CommissionRateRepository extends Context.Service<CommissionRateRepository, {
  /**
   * The override in force at `at`: the one with the latest effective date at or before it (of two
   * with the same date, the one set last); none when the party has none by then (the default
   * applies), or for an id naming nobody.
   */
  readonly rateAt: (party: RateParty, at: Date) => Effect.Effect<Option.Option<BasisPoints>, EarningsUnavailable>
  /** Records an override (its rules are the caller's: Earnings.setRate). */
  readonly setRate: (party: RateParty, rate: BasisPoints, effectiveFrom: Date, setBy: string, now: Date) => Effect.Effect<CommissionRate, EarningsUnavailable>
  /** The party's overrides in the order they take effect (effective date, then the order they were set in). */
  readonly history: (party: RateParty) => Effect.Effect<ReadonlyArray<CommissionRate>, EarningsUnavailable>
}>()("nelo/earnings/CommissionRateRepository") {}
