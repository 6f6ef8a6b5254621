import { Context, type Effect, type Option } from "effect"
import type { NewDomainEvent } from "../events/DomainEvent.ts"
import type { Account, Freeze, Gateway } from "./Account.ts"
import type { LedgerUnavailable } from "./errors.ts"
import type { BalanceOutOfRange, InsufficientFunds } from "./ledgerRules.ts"
import type { LedgerTransaction, TransactionType } from "./LedgerTransaction.ts"

/** An account as seen under its row lock, inside the transaction that posts to it. */
export interface LockedAccount {
  readonly account: Account
  readonly balanceXof: number
  readonly freeze: Freeze | null
  /** When it was last unfrozen, if ever. */
  readonly lastUnfrozenAt: Date | null
}

/** A customer's outflows (transfers and payments sent) since the start of the day and of the month. */
export interface Outflow {
  readonly todayXof: number
  readonly monthXof: number
}

export interface OutflowWindow {
  readonly accountId: string
  readonly dayStart: Date
  readonly monthStart: Date
}

/** A transfer whose sender's new receivers since `since` the guard wants to see (the fan-out rule). */
export interface FanOutWindow {
  readonly senderAccountId: string
  readonly receiverAccountId: string
  readonly since: Date
}

/** What a guard sees: every account of the transaction locked, and the outflow asked for (if any). */
export interface LockedState {
  readonly accounts: ReadonlyMap<string, LockedAccount>
  readonly outflow: Outflow | null
  /**
   * When a fan-out window was given: the distinct customers the sender first paid at or after
   * `since` (or after the sender's last unfreeze, if later: an unfreeze starts the count afresh),
   * this transfer's receiver included when the sender never paid them before.
   */
  readonly newReceivers: number | null
}

/**
 * A transaction to write. `guard` is a rule of the domain run by the store after it has locked every
 * account (in lockOrder) and before it writes: what it checks (freezes, limits) cannot change
 * between the check and the write. Returning an error refuses the transaction and writes nothing.
 */
export interface PostRequest<E> {
  readonly transaction: LedgerTransaction
  readonly outflowWindow: OutflowWindow | null
  readonly fanOutWindow: FanOutWindow | null
  readonly guard: (state: LockedState) => E | undefined
  /** Events written in the same database transaction (the outbox). */
  readonly events: ReadonlyArray<NewDomainEvent>
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
  readonly amountXof: number
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

/** Everything `audit` needs, read in one consistent snapshot. */
export interface LedgerFacts {
  readonly accounts: ReadonlyArray<{ readonly account: Account; readonly storedBalanceXof: number; readonly postedSumXof: number }>
  /** Transactions whose postings do not sum to zero, or have fewer than two. */
  readonly unbalancedTransactions: ReadonlyArray<{ readonly id: string; readonly sumXof: number; readonly postings: number }>
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
  /** NELO's own accounts: revenue, and one clearing account per gateway. */
  readonly platformRevenue: Effect.Effect<Account, LedgerUnavailable>
  readonly clearingOf: (gateway: Gateway) => Effect.Effect<Account, LedgerUnavailable>
  /**
   * Writes the transaction, or finds the one already written under its idempotency key (whatever its
   * content: the caller compares). Fails with the guard's error, InsufficientFunds or
   * BalanceOutOfRange, writing nothing.
   */
  readonly post: <E>(request: PostRequest<E>) => Effect.Effect<Posted, E | InsufficientFunds | BalanceOutOfRange | LedgerUnavailable>
  readonly findTransaction: (id: string) => Effect.Effect<Option.Option<LedgerTransaction>, LedgerUnavailable>
  /** Which of these idempotency keys have a transaction written (one read for a page of them). */
  readonly writtenKeys: (idempotencyKeys: ReadonlyArray<string>) => Effect.Effect<ReadonlySet<string>, LedgerUnavailable>
  /** The reversal of a transaction, if one was written. */
  readonly reversalOf: (id: string) => Effect.Effect<Option.Option<LedgerTransaction>, LedgerUnavailable>
  readonly stateOf: (accountId: string) => Effect.Effect<LockedAccount, LedgerUnavailable>
  readonly outflow: (window: OutflowWindow) => Effect.Effect<Outflow, LedgerUnavailable>
  readonly history: (query: HistoryQuery) => Effect.Effect<ReadonlyArray<AccountEntry>, LedgerUnavailable>
  /**
   * Freezes ({ freeze }) or unfreezes ({ unfreeze }, with its own reason and author) an account, recording the change in its freeze history and
   * the events in the outbox, in one transaction. False when it already was in that state.
   */
  readonly setFreeze: (
    accountId: string,
    change: { readonly freeze: Freeze } | { readonly unfreeze: Freeze },
    events: ReadonlyArray<NewDomainEvent>
  ) => Effect.Effect<boolean, LedgerUnavailable>
  readonly facts: Effect.Effect<LedgerFacts, LedgerUnavailable>
}>()("nelo/wallet/Ledger") {}
