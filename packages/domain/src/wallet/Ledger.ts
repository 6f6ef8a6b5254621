import { Context, type Effect, type Option, type Stream } from "effect"
import type { Account, AccountKind, Freeze, Gateway } from "./Account.ts"
import type { LedgerUnavailable } from "./errors.ts"
import type { BalanceOutOfRange, InsufficientFunds } from "./ledgerRules.ts"
import type { LedgerTransaction, TransactionType } from "./LedgerTransaction.ts"
import type { Xof } from "../shared/Xof.ts"

/** An account as seen under its row lock, inside the transaction that posts to it. */
export interface LockedAccount {
  readonly account: Account
  readonly balanceXof: Xof
  readonly freeze: Freeze | null
  /** When it was last unfrozen, if ever. */
  readonly lastUnfrozenAt: Date | null
}

/**
 * What a guard needs read under the locks, asked once the accounts are locked (the instants may
 * depend on them: a rule counting from an account's last unfreeze). Primitive reads, so that a new
 * rule needs no new query: each rule is the domain's, written over these.
 */
export interface LockedReads {
  /** The account's outflow postings (countsAsOutflow), summed as positive francs, at or after each instant. */
  readonly outflowSince?: { readonly accountId: string; readonly since: ReadonlyArray<Date> }
  /** How many distinct customer wallets the sender paid by transfer for the first time at or after `since`. */
  readonly receiversFirstPaidSince?: { readonly senderAccountId: string; readonly since: Date }
  /** Whether the sender ever paid this receiver by transfer. */
  readonly paidBefore?: { readonly senderAccountId: string; readonly receiverAccountId: string }
}

/** What a guard sees: every account of the transaction locked, and the reads it asked for (null when not asked). */
export interface LockedState {
  readonly accounts: ReadonlyMap<string, LockedAccount>
  /** Aligned with `outflowSince.since`. */
  readonly outflowSinceXof: ReadonlyArray<Xof> | null
  readonly receiversFirstPaidSince: number | null
  readonly paidBefore: boolean | null
}

/**
 * A transaction to write. `guard` is a rule of the domain run by the store after it has locked every
 * account (in lockOrder) and made the reads asked for, before it writes: what it checks (freezes,
 * limits) cannot change between the check and the write. Returning an error refuses the
 * transaction and writes nothing. Events are the caller's: appended to the outbox in the same
 * Transactional run as the post.
 */
export interface PostRequest<E> {
  readonly transaction: LedgerTransaction
  readonly reads?: (accounts: ReadonlyMap<string, LockedAccount>) => LockedReads
  readonly guard?: (state: LockedState) => E | undefined
}

export interface Posted {
  readonly transaction: LedgerTransaction
  /** True when the idempotency key was already taken: this is the transaction written then, unchanged. */
  readonly replayed: boolean
}

/** One line of an account's history: a transaction seen from that account. */
export interface AccountEntry {
  readonly transaction: LedgerTransaction
  /** The posting on this account: positive in, negative out. */
  readonly amountXof: Xof
  /** For transfers: the other customer wallet's owner. */
  readonly counterpartyUserId: string | null
  /** The id of the reversal that cancelled this transaction, if any. */
  readonly reversedById: string | null
}

export interface HistoryQuery {
  readonly accountId: string
  /** Transactions strictly older than this id (ids are time-ordered UUIDv7). */
  readonly beforeId: string | null
  readonly types: ReadonlyArray<TransactionType> | null
  readonly limit: number
}

/** An earnings account a payout run looks at (Ledger.earningsToPay). */
export interface EarningsToPay {
  readonly account: Account
  readonly balanceXof: Xof
  readonly balanceAtXof: Xof
  readonly settlementCount: number
}

/** A driver's cash in hand and earnings, as stored (signed): what the drivers' cash report reads. */
export interface DriverCashBalance {
  readonly driverId: string
  /** Negative while he holds cash for NELO. */
  readonly cashInHandXof: Xof
  /** What NELO owes him; 0 when he has no earnings account yet. */
  readonly earningsXof: Xof
}

/**
 * An account's entries created in [from, to), in transaction id order (ids are time-ordered), after
 * `afterId` when given, at most `limit` when given (statements: a page, or the whole period streamed).
 */
export interface PeriodQuery {
  readonly accountId: string
  readonly from: Date
  readonly to: Date
  readonly afterId: string | null
  readonly limit: number | null
}

/** An account's entries of one transaction type summed: what came in (positive postings) and went out (negative). */
export interface TypeSums {
  readonly type: TransactionType
  readonly inXof: Xof
  readonly outXof: Xof
  readonly count: number
}

/** The balance of every account of a kind at an instant, and how many accounts it holds. */
export interface KindBalance {
  readonly kind: AccountKind
  readonly accounts: number
  readonly balanceXof: Xof
}

/** Everything `audit` needs, read in one consistent snapshot. */
export interface LedgerFacts {
  readonly accounts: ReadonlyArray<{ readonly account: Account; readonly storedBalanceXof: Xof; readonly postedSumXof: Xof }>
  /** Transactions whose postings do not sum to zero, or have fewer than two. */
  readonly unbalancedTransactions: ReadonlyArray<{ readonly id: string; readonly sumXof: Xof; readonly postings: number }>
  readonly duplicateIdempotencyKeys: ReadonlyArray<string>
  /** Reversals whose reversed transaction is missing or reversed more than once. */
  readonly brokenReversals: ReadonlyArray<string>
  readonly transactionCount: number
}

/**
 * The double-entry ledger. Postings and transactions are only ever inserted; balances change only
 * with them, in the same transaction, under row locks taken in lockOrder.
 */
export class Ledger extends Context.Service<Ledger, {
  /** The customer wallet account of a user, opened on first use. */
  readonly walletOf: (userId: string) => Effect.Effect<Account, LedgerUnavailable>
  /** Looks a wallet up without opening it. */
  readonly findWallet: (userId: string) => Effect.Effect<Option.Option<Account>, LedgerUnavailable>
  /**
   * The escrow of a provider's orders in progress, opened on first use: one account per provider
   * spreads the row locks of concurrent orders instead of queueing them all on one row.
   */
  readonly escrowOf: (providerId: string) => Effect.Effect<Account, LedgerUnavailable>
  /**
   * The cash a driver collected on delivery and still holds for NELO, opened on first use: its
   * balance is negative while the driver owes NELO that cash (never refused for going below zero).
   */
  readonly cashInHandOf: (driverId: string) => Effect.Effect<Account, LedgerUnavailable>
  /**
   * What NELO owes a provider (settled orders, less what refunds took back) until paid out, opened
   * on first use. It may go below zero (a refund after settlement): recovered from later earnings.
   */
  readonly providerEarningsOf: (providerId: string) => Effect.Effect<Account, LedgerUnavailable>
  /** What NELO owes a driver for his deliveries until paid out, opened on first use; may go below zero as a provider's does. */
  readonly driverEarningsOf: (driverId: string) => Effect.Effect<Account, LedgerUnavailable>
  /**
   * For each driver given, the cash they hold for NELO in positive francs (their cash-in-hand balance
   * negated): 0 for a driver with no such account yet, or an id naming none. Every id given is a key.
   * One read for the whole list (matching asks it for a batch of drivers).
   */
  readonly cashHeldBy: (driverIds: ReadonlyArray<string>) => Effect.Effect<ReadonlyMap<string, Xof>, LedgerUnavailable>
  /**
   * Every driver whose cash-in-hand balance is not zero, with that balance and his earnings'
   * balance, in driver id order. One read, whatever the number of drivers.
   */
  readonly driverCashBalances: Effect.Effect<ReadonlyArray<DriverCashBalance>, LedgerUnavailable>
  /** NELO's own accounts: revenue, and one clearing account per gateway. */
  readonly platformRevenue: Effect.Effect<Account, LedgerUnavailable>
  readonly clearingOf: (gateway: Gateway) => Effect.Effect<Account, LedgerUnavailable>
  /** Earnings on their way to payees: sent to a gateway or exported, not yet confirmed paid. */
  readonly payoutsInFlight: Effect.Effect<Account, LedgerUnavailable>
  /** The cash drivers handed in at NELO's office, until banked. */
  readonly officeCash: Effect.Effect<Account, LedgerUnavailable>
  /**
   * The earnings accounts (providers' and drivers') whose balance now is at least `minimumXof`, in
   * id order, with their balance at `at` (null: now) and the settlements they received in
   * [countFrom, at] (0 without countFrom): what a payout run or a manual batch pays. One read.
   */
  readonly earningsToPay: (query: { readonly minimumXof: Xof; readonly at: Date | null; readonly countFrom: Date | null }) => Effect.Effect<ReadonlyArray<EarningsToPay>, LedgerUnavailable>
  /**
   * Writes the transaction, or finds the one already written under its idempotency key (whatever its
   * content: the caller compares). Fails with the guard's error, InsufficientFunds or
   * BalanceOutOfRange, writing nothing.
   */
  readonly post: <E>(request: PostRequest<E>) => Effect.Effect<Posted, E | InsufficientFunds | BalanceOutOfRange | LedgerUnavailable>
  readonly findTransaction: (id: string) => Effect.Effect<Option.Option<LedgerTransaction>, LedgerUnavailable>
  /** The transaction written under an idempotency key (an order's payment or refund), if any. */
  readonly findByKey: (idempotencyKey: string) => Effect.Effect<Option.Option<LedgerTransaction>, LedgerUnavailable>
  /** Which of these idempotency keys have a transaction written (one read for a page of them). */
  readonly writtenKeys: (idempotencyKeys: ReadonlyArray<string>) => Effect.Effect<ReadonlySet<string>, LedgerUnavailable>
  /** The reversal of a transaction, if one was written. */
  readonly reversalOf: (id: string) => Effect.Effect<Option.Option<LedgerTransaction>, LedgerUnavailable>
  readonly stateOf: (accountId: string) => Effect.Effect<LockedAccount, LedgerUnavailable>
  /** The account's outflow postings summed as positive francs at or after each instant (as the guard's read, without locks). */
  readonly outflowSince: (accountId: string, since: ReadonlyArray<Date>) => Effect.Effect<ReadonlyArray<Xof>, LedgerUnavailable>
  readonly history: (query: HistoryQuery) => Effect.Effect<ReadonlyArray<AccountEntry>, LedgerUnavailable>
  /**
   * Freezes ({ freeze }) or unfreezes ({ unfreeze }, with its own reason and author) an account,
   * recording the change in its freeze history. False when it already was in that state.
   */
  readonly setFreeze: (
    accountId: string,
    change: { readonly freeze: Freeze } | { readonly unfreeze: Freeze }
  ) => Effect.Effect<boolean, LedgerUnavailable>
  readonly facts: Effect.Effect<LedgerFacts, LedgerUnavailable>
  /** An account's entries of a period (PeriodQuery), streamed: a whole year is read with bounded memory. */
  readonly entriesBetween: (query: PeriodQuery) => Stream.Stream<AccountEntry, LedgerUnavailable>
  /** An account's entries created in [from, to) (and with an id up to `throughId` when given), summed per transaction type. */
  readonly sumsBetween: (query: { readonly accountId: string; readonly from: Date; readonly to: Date; readonly throughId: string | null }) => Effect.Effect<ReadonlyArray<TypeSums>, LedgerUnavailable>
  /** An account's balance at an instant: the sum of its postings created strictly before it. */
  readonly balanceBefore: (accountId: string, before: Date) => Effect.Effect<Xof, LedgerUnavailable>
  /** Every kind's balance at an instant: the sum of the postings created at or before it (the trial balance). */
  readonly kindBalancesAt: (at: Date) => Effect.Effect<ReadonlyArray<KindBalance>, LedgerUnavailable>
  /** The transactions of these types created in [from, to), in id order, streamed. */
  readonly transactionsBetween: (query: { readonly from: Date; readonly to: Date; readonly types: ReadonlyArray<TransactionType> }) => Stream.Stream<LedgerTransaction, LedgerUnavailable>
}>()("nelo/wallet/Ledger") {}
