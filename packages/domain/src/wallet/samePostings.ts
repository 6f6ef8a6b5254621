import type { LedgerTransaction } from "./LedgerTransaction.ts"

/**
 * Whether a transaction found under an idempotency key is the one asked for again: same type, same
 * postings. A key reused for another amount or receiver must not pass as a replay.
 */
export const samePostings = (found: Pick<LedgerTransaction, "type" | "postings">, asked: Pick<LedgerTransaction, "type" | "postings">): boolean => {
  if (found.type !== asked.type || found.postings.length !== asked.postings.length) return false
  const amounts = new Map(found.postings.map((posting) => [posting.accountId, posting.amountXof]))
  return asked.postings.every((posting) => amounts.get(posting.accountId) === posting.amountXof)
}
