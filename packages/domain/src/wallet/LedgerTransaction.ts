import { Schema } from "effect"
import type { Xof } from "../shared/Xof.ts"

/** DESIGN.md's transaction types, and the reversal that corrects any of them. */
export const TransactionType = Schema.Literals(["topup", "payment", "refund", "transfer", "commission", "payout", "cash_collection", "reversal"])
export type TransactionType = typeof TransactionType.Type

/** Who or what caused a transaction: the audit trail. */
export interface TransactionCause {
  readonly kind: "user" | "admin" | "webhook" | "system"
  /** The user id, the admin's id, the gateway event id, or the job's name. */
  readonly id: string
}

/** Adds a signed whole number of francs to one account's balance. */
export interface Posting {
  readonly accountId: string
  readonly amountXof: Xof
}

/**
 * A set of postings summing to zero, written at once, never updated nor deleted. Its idempotency
 * key is unique: the same request or webhook replayed finds it instead of writing a second one.
 */
export interface LedgerTransaction {
  readonly id: string
  readonly type: TransactionType
  readonly idempotencyKey: string
  readonly postings: ReadonlyArray<Posting>
  readonly cause: TransactionCause
  /** For a reversal: the transaction it cancels. */
  readonly reversesId: string | null
  /** What the people involved see: the sender's note on a transfer, the gateway's reference of a top-up. */
  readonly note: string | null
  readonly reference: string | null
  readonly createdAt: Date
}
