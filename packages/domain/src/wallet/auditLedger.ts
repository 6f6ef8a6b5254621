import { Effect } from "effect"
import { mustStayNonNegative } from "./Account.ts"
import { Ledger, type LedgerFacts } from "./Ledger.ts"

export interface AuditDifference {
  readonly rule: "balance_differs_from_postings" | "balances_do_not_sum_to_zero" | "negative_balance" | "unbalanced_transaction" | "duplicate_idempotency_key" | "broken_reversal"
  readonly subject: string
  readonly detail: string
}

export interface AuditReport {
  readonly accounts: number
  readonly transactions: number
  /** Summed as bigint: past 2^53 it would say so by not being zero anyway. */
  readonly totalXof: number
  readonly differences: ReadonlyArray<AuditDifference>
}

/** Every ledger invariant, checked on facts read in one snapshot; an empty list means all hold. */
export const auditFacts = (facts: LedgerFacts): AuditReport => {
  const differences: Array<AuditDifference> = []
  let total = 0n
  for (const { account, postedSumXof, storedBalanceXof } of facts.accounts) {
    total += BigInt(storedBalanceXof)
    if (storedBalanceXof !== postedSumXof) {
      differences.push({ rule: "balance_differs_from_postings", subject: account.id, detail: `solde enregistré ${storedBalanceXof}, somme des écritures ${postedSumXof} (${account.kind})` })
    }
    if (mustStayNonNegative(account.kind) && storedBalanceXof < 0) {
      differences.push({ rule: "negative_balance", subject: account.id, detail: `${account.kind} à ${storedBalanceXof}` })
    }
  }
  if (total !== 0n) differences.push({ rule: "balances_do_not_sum_to_zero", subject: "ledger", detail: `la somme de tous les soldes vaut ${total}` })
  for (const transaction of facts.unbalancedTransactions) {
    differences.push({ rule: "unbalanced_transaction", subject: transaction.id, detail: `${transaction.postings} écritures de somme ${transaction.sumXof}` })
  }
  for (const key of facts.duplicateIdempotencyKeys) differences.push({ rule: "duplicate_idempotency_key", subject: key, detail: "plusieurs transactions" })
  for (const id of facts.brokenReversals) differences.push({ rule: "broken_reversal", subject: id, detail: "n'annule rien, ou pas exactement" })
  return { accounts: facts.accounts.length, transactions: facts.transactionCount, totalXof: Number(total), differences }
}

/** The audit over the ledger's facts as they are now. */
export const makeAuditLedger = Ledger.useSync((ledger) => Effect.map(ledger.facts, auditFacts).pipe(Effect.withSpan("Wallet.audit")))
