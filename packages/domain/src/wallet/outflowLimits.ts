import { LimitExceeded } from "./errors.ts"
import type { TransactionType } from "./LedgerTransaction.ts"
import type { OutflowLimits } from "./WalletPolicy.ts"
import { type Xof, xof } from "../shared/Xof.ts"

/**
 * The transactions whose money leaving a wallet counts against its limits: what the person sends
 * (transfers) or spends (payments). Top-ups, refunds and reversals do not; the ledgers mark the
 * postings by this rule when they write them.
 */
export const countsAsOutflow = (type: TransactionType): boolean => type === "transfer" || type === "payment"

/** A customer's outflows (transfers and payments sent) since the start of the day and of the month. */
export interface Outflow {
  readonly todayXof: Xof
  readonly monthXof: Xof
}

/** The instants the ledger sums outflows from, for the limits: the day's start, then the month's. */
export const outflowInstants = (periods: { readonly dayStart: Date; readonly monthStart: Date }): ReadonlyArray<Date> => [periods.dayStart, periods.monthStart]

/** The outflow from the ledger's sums at outflowInstants. */
export const outflowFrom = (sums: ReadonlyArray<Xof>): Outflow => ({ todayXof: sums[0] ?? xof(0), monthXof: sums[1] ?? xof(0) })

export interface Allowance {
  readonly limitXof: Xof
  readonly usedXof: Xof
  readonly remainingXof: Xof
}

const allowance = (limitXof: Xof, usedXof: Xof): Allowance => ({ limitXof, usedXof, remainingXof: xof(Math.max(0, limitXof - usedXof)) })

/** What is left to send today and this month. */
export const allowances = (limits: OutflowLimits, outflow: Outflow) => ({
  daily: allowance(limits.dailyXof, outflow.todayXof),
  monthly: allowance(limits.monthlyXof, outflow.monthXof)
})

/**
 * Exactly the remaining allowance passes; one franc more is refused, naming the period that binds
 * (the one with less left) and what is left in it.
 */
export const checkOutflow = (limits: OutflowLimits, outflow: Outflow, amountXof: Xof): LimitExceeded | undefined => {
  if (!(amountXof > 0)) throw new Error(`an outflow is a positive amount, got ${amountXof}`)
  const { daily, monthly } = allowances(limits, outflow)
  const binding = monthly.remainingXof < daily.remainingXof ? { period: "month" as const, ...monthly } : { period: "day" as const, ...daily }
  return amountXof > binding.remainingXof
    ? new LimitExceeded({ period: binding.period, limitXof: binding.limitXof, remainingXof: binding.remainingXof })
    : undefined
}
