import { Context, Layer } from "effect"
import { type Xof, xof } from "../shared/Xof.ts"

/** How payouts are made. Deployments set it from config (EARNINGS_PAYOUT_* variables). */
export interface PayoutPolicyNumbers {
  /** A payee is paid when their earnings reach this (the gateways' fees make smaller payouts wasteful). */
  readonly minimumXof: Xof
  /** Whether a driver's earnings first pay back the cash he holds for NELO, at a run. */
  readonly netCashAtPayout: boolean
  /** How long payouts wait after a payout number is changed (account takeover: the owner has time to notice). */
  readonly numberChangeHoldMs: number
  /** The longest manual batch, in days. */
  readonly maximumPeriodDays: number
}

export const defaultPayoutPolicy: PayoutPolicyNumbers = {
  minimumXof: xof(1_000),
  netCashAtPayout: false,
  numberChangeHoldMs: 24 * 3600_000,
  maximumPeriodDays: 62
}

export class PayoutPolicy extends Context.Service<PayoutPolicy, PayoutPolicyNumbers>()("nelo/earnings/PayoutPolicy") {
  static readonly defaults = Layer.succeed(PayoutPolicy, defaultPayoutPolicy)
}
