import { Result, Schema } from "effect"
import { type Account, mustStayNonNegative } from "./Account.ts"
import type { LedgerTransaction, Posting } from "./LedgerTransaction.ts"
import { isXof, Xof, xof } from "../shared/Xof.ts"

export class PostingsUnbalanced extends Schema.TaggedError<PostingsUnbalanced>()("PostingsUnbalanced", {
  reason: Schema.Literals(["too_few", "not_whole_francs", "zero_amount", "same_account_twice", "sum_not_zero"])
}) {}

/** A balance past ±2^53 francs cannot be held exactly: refused rather than rounded. */
export class BalanceOutOfRange extends Schema.TaggedError<BalanceOutOfRange>()("BalanceOutOfRange", {
  accountId: Schema.String
}) {}

export class InsufficientFunds extends Schema.TaggedError<InsufficientFunds>()("InsufficientFunds", {
  accountId: Schema.String,
  balanceXof: Xof,
  missingXof: Xof
}) {}

/**
 * Postings a transaction may hold: at least two, each a non-zero safe integer of francs, each
 * account once, summing to exactly zero (nothing created, nothing lost).
 */
export const checkPostings = (postings: ReadonlyArray<Posting>): Result.Result<ReadonlyArray<Posting>, PostingsUnbalanced> => {
  if (postings.length < 2) return Result.fail(new PostingsUnbalanced({ reason: "too_few" }))
  // Summed as bigint: float partial sums of large amounts could round and hide an imbalance.
  let sum = 0n
  const accounts = new Set<string>()
  for (const posting of postings) {
    if (!isXof(posting.amountXof)) return Result.fail(new PostingsUnbalanced({ reason: "not_whole_francs" }))
    if (posting.amountXof === 0) return Result.fail(new PostingsUnbalanced({ reason: "zero_amount" }))
    if (accounts.has(posting.accountId)) return Result.fail(new PostingsUnbalanced({ reason: "same_account_twice" }))
    accounts.add(posting.accountId)
    sum += BigInt(posting.amountXof)
  }
  return sum === 0n ? Result.succeed(postings) : Result.fail(new PostingsUnbalanced({ reason: "sum_not_zero" }))
}

/**
 * The balances after the postings, given the balances before (only the accounts posted to are
 * needed). Refuses, changing nothing, when an account that must stay non-negative would go below zero.
 */
export const applyPostings = (
  postings: ReadonlyArray<Posting>,
  accounts: ReadonlyMap<string, Pick<Account, "kind">>,
  balancesXof: ReadonlyMap<string, Xof>
): Result.Result<ReadonlyMap<string, Xof>, InsufficientFunds | BalanceOutOfRange> => {
  const after = new Map(balancesXof)
  for (const posting of postings) {
    const before = balancesXof.get(posting.accountId) ?? xof(0)
    const sum = before + posting.amountXof
    if (!isXof(sum)) return Result.fail(new BalanceOutOfRange({ accountId: posting.accountId }))
    const balance = sum
    const account = accounts.get(posting.accountId)
    if (account !== undefined && mustStayNonNegative(account.kind) && balance < 0) {
      return Result.fail(new InsufficientFunds({ accountId: posting.accountId, balanceXof: before, missingXof: xof(-balance) }))
    }
    after.set(posting.accountId, balance)
  }
  return Result.succeed(after)
}

/**
 * The order in which a transaction's accounts are locked: by id. Every transaction locking in the
 * same global order, two transfers in opposite directions can never wait on each other (no deadlock).
 */
export const lockOrder = (postings: ReadonlyArray<Posting>): ReadonlyArray<string> =>
  [...new Set(postings.map((posting) => posting.accountId))].sort()

/** The postings that cancel a transaction: the same accounts, the opposite amounts. */
export const reversingPostings = (transaction: Pick<LedgerTransaction, "postings">): ReadonlyArray<Posting> =>
  transaction.postings.map((posting) => ({ accountId: posting.accountId, amountXof: xof(-posting.amountXof) }))
