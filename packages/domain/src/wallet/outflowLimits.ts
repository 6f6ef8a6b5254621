import { LimitExceeded } from "./errors.ts"
import type { Outflow } from "./Ledger.ts"
import type { TransactionType } from "./LedgerTransaction.ts"
import type { OutflowLimits } from "./WalletPolicy.ts"

/**
 * The transactions whose money leaving a wallet counts against its limits: what the person sends
 * (transfers) or spends (payments). Top-ups, refunds and reversals do not; the ledgers mark the
 * postings by this rule when they write them.
 */
export const countsAsOutflow = (type: TransactionType): boolean => type === "transfer" || type === "payment"

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
