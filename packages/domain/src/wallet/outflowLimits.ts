import { LimitExceeded } from "./errors.ts"
import type { TransactionType } from "./LedgerTransaction.ts"
import type { OutflowLimits } from "./WalletPolicy.ts"

/**
 * The transactions whose money leaving a wallet counts against its limits: what the person sends
 * (transfers) or spends (payments). Top-ups, refunds and reversals do not; the ledgers mark the
 * postings by this rule when they write them.
 */
export const countsAsOutflow = (type: TransactionType): boolean => type === "transfer" || type === "payment"

/** A customer's outflows (transfers and payments sent) since the start of the day and of the month. */
export interface Outflow {
  readonly todayXof: number
  readonly monthXof: number
}

/** The instants the ledger sums outflows from, for the limits: the day's start, then the month's. */
export const outflowInstants = (periods: { readonly dayStart: Date; readonly monthStart: Date }): ReadonlyArray<Date> => [periods.dayStart, periods.monthStart]

/** The outflow from the ledger's sums at outflowInstants. */
export const outflowFrom = (sums: ReadonlyArray<number>): Outflow => ({ todayXof: sums[0] ?? 0, monthXof: sums[1] ?? 0 })

export interface Allowance {
  readonly limitXof: number
  readonly usedXof: number
  readonly remainingXof: number
}

const allowance = (limitXof: number, usedXof: number): Allowance => ({ limitXof, usedXof, remainingXof: Math.max(0, limitXof - usedXof) })

/** What is left to send today and this month. */
export const allowances = (limits: OutflowLimits, outflow: Outflow) => ({
  daily: allowance(limits.dailyXof, outflow.todayXof),
  monthly: allowance(limits.monthlyXof, outflow.monthXof)
})

/**
 * Exactly the remaining allowance passes; one franc more is refused, naming the period that binds
 * (the one with less left) and what is left in it.
 */
export const checkOutflow = (limits: OutflowLimits, outflow: Outflow, amountXof: number): LimitExceeded | undefined => {
  if (!(amountXof > 0)) throw new Error(`an outflow is a positive amount, got ${amountXof}`)
  const { daily, monthly } = allowances(limits, outflow)
  const binding = monthly.remainingXof < daily.remainingXof ? { period: "month" as const, ...monthly } : { period: "day" as const, ...daily }
  return amountXof > binding.remainingXof
    ? new LimitExceeded({ period: binding.period, limitXof: binding.limitXof, remainingXof: binding.remainingXof })
    : undefined
}
