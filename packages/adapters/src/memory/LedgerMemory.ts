import { Clock, Effect, Layer, Option, Result, Semaphore, Stream } from "effect"
import { type Account, AccountKind, type Freeze, type Gateway, type OwnedAccountKind } from "@nelo/domain/wallet/Account"
import { countsAsOutflow } from "@nelo/domain/wallet/outflowLimits"
import { LedgerUnavailable } from "@nelo/domain/wallet/errors"
import { type AccountEntry, type KindBalance, Ledger, type LedgerFacts, type TypeSums, type LockedAccount, type LockedReads, type Posted, type PostRequest } from "@nelo/domain/wallet/Ledger"
import { applyPostings, type BalanceOutOfRange, checkPostings, type InsufficientFunds, lockOrder } from "@nelo/domain/wallet/ledgerRules"
import type { LedgerTransaction, TransactionType } from "@nelo/domain/wallet/LedgerTransaction"
import { uuidV7 } from "../ids/IdGeneratorUuidV7.ts"
import { isUuid } from "../postgres/isUuid.ts"
import { recordUndo } from "./memoryTransaction.ts"
import { type Xof, xof } from "@nelo/domain/shared/Xof"

interface StoredAccount {
  readonly account: Account
  balanceXof: Xof
  freeze: Freeze | null
  lastUnfrozenAt: Date | null
}

/** A transaction seen from one of its accounts. */
interface StoredEntry {
  readonly transaction: LedgerTransaction
  readonly amountXof: Xof
}

const unavailable = (cause: unknown) => new LedgerUnavailable({ cause })

// Stored apart from the caller's objects, so that nothing the caller does later changes the ledger.
const copyOf = (transaction: LedgerTransaction): LedgerTransaction => ({
  ...transaction,
  postings: transaction.postings.map((posting) => ({ accountId: posting.accountId, amountXof: posting.amountXof })),
  cause: { kind: transaction.cause.kind, id: transaction.cause.id },
  createdAt: new Date(transaction.createdAt.getTime())
})

/**
 * The ledger in memory, for unit tests, behaving as LedgerPostgres does. Writers (post, setFreeze)
 * take the one permit: the checks and the write happen with no other writer in between, and the
 * write itself is one synchronous step, so readers never see half of it. Inside a memory
 * transaction (TransactionalMemory) each write records how to undo it.
 */
export const LedgerMemory = Layer.effect(Ledger, Effect.gen(function*() {
  const writer = yield* Semaphore.make(1)
  const accounts = new Map<string, StoredAccount>()
  /** "kind:owner", "gateway_clearing:wave", "platform_revenue" → account id: one account each. */
  const accountIdByOwner = new Map<string, string>()
  const transactions = new Map<string, LedgerTransaction>()
  const transactionIdByKey = new Map<string, string>()
  const reversalIdByOriginal = new Map<string, string>()
  const entriesByAccount = new Map<string, Array<StoredEntry>>()
  const freezeHistory: Array<{ readonly accountId: string; readonly action: "freeze" | "unfreeze"; readonly change: Freeze }> = []

  const open = (key: string, kind: AccountKind, ownerId: string | null, gateway: Gateway | null) =>
    Effect.map(Clock.currentTimeMillis, (now): Account => {
      const existing = accountIdByOwner.get(key)
      if (existing !== undefined) return accounts.get(existing)!.account
      const account: Account = { id: uuidV7(now), kind, ownerId, gateway }
      accounts.set(account.id, { account, balanceXof: xof(0), freeze: null, lastUnfrozenAt: null })
      accountIdByOwner.set(key, account.id)
      entriesByAccount.set(account.id, [])
      return account
    })

  /** The account of one kind an owner holds (wallet, escrow, cash in hand, earnings): one each, opened on first use. */
  const ownedKey = (kind: AccountKind, ownerId: string) => `${kind}:${ownerId}`
  const openOwned = (kind: OwnedAccountKind) => (ownerId: string) => open(ownedKey(kind, ownerId), kind, ownerId, null)

  const snapshot = (stored: StoredAccount): LockedAccount => ({ account: stored.account, balanceXof: stored.balanceXof, freeze: stored.freeze, lastUnfrozenAt: stored.lastUnfrozenAt })

  const isCustomerWallet = (accountId: string) => accounts.get(accountId)?.account.kind === "customer_wallet"

  // The primitive reads a guard may ask for (LockedReads), as LedgerPostgres answers them.
  const outflowSince = (accountId: string, since: ReadonlyArray<Date>): ReadonlyArray<Xof> =>
    since.map((instant) => {
      let sum = 0
      for (const entry of entriesByAccount.get(accountId) ?? []) {
        if (entry.amountXof < 0 && countsAsOutflow(entry.transaction.type) && entry.transaction.createdAt >= instant) sum -= entry.amountXof
      }
      return xof(sum)
    })

  /** When the sender first paid each customer wallet by transfer. */
  const firstPaidBy = (senderAccountId: string): ReadonlyMap<string, Date> => {
    const first = new Map<string, Date>()
    for (const entry of entriesByAccount.get(senderAccountId) ?? []) {
      if (entry.amountXof >= 0 || entry.transaction.type !== "transfer") continue
      for (const posting of entry.transaction.postings) {
        if (posting.amountXof <= 0 || !isCustomerWallet(posting.accountId)) continue
        const known = first.get(posting.accountId)
        if (known === undefined || entry.transaction.createdAt < known) first.set(posting.accountId, entry.transaction.createdAt)
      }
    }
    return first
  }

  const read = (reads: LockedReads) => ({
    outflowSinceXof: reads.outflowSince === undefined ? null : outflowSince(reads.outflowSince.accountId, reads.outflowSince.since),
    receiversFirstPaidSince: reads.receiversFirstPaidSince === undefined
      ? null
      : [...firstPaidBy(reads.receiversFirstPaidSince.senderAccountId).values()].filter((at) => at >= reads.receiversFirstPaidSince!.since).length,
    paidBefore: reads.paidBefore === undefined ? null : firstPaidBy(reads.paidBefore.senderAccountId).has(reads.paidBefore.receiverAccountId)
  })

  const write = <E>(request: PostRequest<E>) =>
    Effect.gen(function*(): Effect.fn.Return<Posted, E | InsufficientFunds | BalanceOutOfRange | LedgerUnavailable> {
      const { transaction } = request
      const written = transactionIdByKey.get(transaction.idempotencyKey)
      if (written !== undefined) return { transaction: transactions.get(written)!, replayed: true }

      const locked = new Map<string, LockedAccount>()
      for (const id of lockOrder(transaction.postings)) {
        const stored = accounts.get(id)
        if (stored === undefined) return yield* Effect.die(new Error(`posting to an unknown account ${id}`))
        locked.set(id, snapshot(stored))
      }
      const refusal = request.guard?.({ accounts: locked, ...read(request.reads?.(locked) ?? {}) })
      if (refusal !== undefined) return yield* Effect.fail(refusal)
      const after = applyPostings(
        transaction.postings,
        new Map([...locked].map(([id, state]) => [id, state.account])),
        new Map([...locked].map(([id, state]) => [id, state.balanceXof]))
      )
      if (Result.isFailure(after)) return yield* Effect.fail(after.failure)
      // What Postgres's unique and foreign keys refuse: the store fails, nothing is written.
      if (transactions.has(transaction.id)) return yield* Effect.fail(unavailable(new Error(`transaction id ${transaction.id} is taken`)))
      if (transaction.reversesId !== null && (!transactions.has(transaction.reversesId) || reversalIdByOriginal.has(transaction.reversesId))) {
        return yield* Effect.fail(unavailable(new Error(`transaction ${transaction.reversesId} is unknown or already reversed`)))
      }

      const stored = copyOf(transaction)
      const before = new Map(stored.postings.map((posting) => [posting.accountId, accounts.get(posting.accountId)!.balanceXof]))
      transactions.set(stored.id, stored)
      transactionIdByKey.set(stored.idempotencyKey, stored.id)
      if (stored.reversesId !== null) reversalIdByOriginal.set(stored.reversesId, stored.id)
      for (const posting of stored.postings) {
        accounts.get(posting.accountId)!.balanceXof = after.success.get(posting.accountId)!
        entriesByAccount.get(posting.accountId)!.push({ transaction: stored, amountXof: posting.amountXof })
      }
      yield* recordUndo(() => {
        transactions.delete(stored.id)
        transactionIdByKey.delete(stored.idempotencyKey)
        if (stored.reversesId !== null) reversalIdByOriginal.delete(stored.reversesId)
        for (const [accountId, balanceXof] of before) {
          accounts.get(accountId)!.balanceXof = balanceXof
          const entries = entriesByAccount.get(accountId)!
          entries.splice(entries.findIndex((entry) => entry.transaction === stored), 1)
        }
      })
      return { transaction: stored, replayed: false }
    })

  return Ledger.of({
    walletOf: openOwned("customer_wallet"),

    findWallet: (userId) =>
      Effect.sync(() => {
        const id = accountIdByOwner.get(ownedKey("customer_wallet", userId))
        return id === undefined ? Option.none() : Option.some(accounts.get(id)!.account)
      }),

    escrowOf: openOwned("orders_escrow"),

    cashInHandOf: openOwned("driver_cash_in_hand"),

    providerEarningsOf: openOwned("provider_earnings"),

    driverEarningsOf: openOwned("driver_earnings"),

    cashHeldBy: (driverIds) =>
      Effect.sync(() =>
        new Map(driverIds.map((driverId) => {
          const id = accountIdByOwner.get(ownedKey("driver_cash_in_hand", driverId))
          // Subtracted from 0, not negated: a zero balance holds 0, not -0.
          return [driverId, id === undefined ? xof(0) : xof(0 - accounts.get(id)!.balanceXof)]
        }))
      ),

    driverCashBalances: Effect.sync(() =>
      [...accounts.values()]
        .filter((stored) => stored.account.kind === "driver_cash_in_hand" && stored.balanceXof !== 0)
        .sort((left, right) => left.account.ownerId! < right.account.ownerId! ? -1 : left.account.ownerId! > right.account.ownerId! ? 1 : 0)
        .map((stored) => {
          const earningsId = accountIdByOwner.get(ownedKey("driver_earnings", stored.account.ownerId!))
          return {
            driverId: stored.account.ownerId!,
            cashInHandXof: stored.balanceXof,
            earningsXof: earningsId === undefined ? xof(0) : accounts.get(earningsId)!.balanceXof
          }
        })
    ),

    platformRevenue: open("platform_revenue", "platform_revenue", null, null),

    clearingOf: (gateway) => open(`gateway_clearing:${gateway}`, "gateway_clearing", null, gateway),

    payoutsInFlight: open("payouts_in_flight", "payouts_in_flight", null, null),

    officeCash: open("office_cash", "office_cash", null, null),

    earningsToPay: ({ minimumXof, at, countFrom }) =>
      Effect.sync(() =>
        [...accounts.values()]
          .filter((stored) => (stored.account.kind === "provider_earnings" || stored.account.kind === "driver_earnings") && stored.balanceXof >= minimumXof)
          .sort((left, right) => left.account.id < right.account.id ? -1 : left.account.id > right.account.id ? 1 : 0)
          .map((stored) => {
            const entries = entriesByAccount.get(stored.account.id) ?? []
            const after = at === null ? 0 : entries.reduce((sum, entry) => entry.transaction.createdAt > at ? sum + entry.amountXof : sum, 0)
            const settlementCount = countFrom === null ? 0 : entries.filter((entry) =>
              entry.transaction.type === "commission" && entry.transaction.createdAt >= countFrom && (at === null || entry.transaction.createdAt <= at)
            ).length
            return { account: stored.account, balanceXof: stored.balanceXof, balanceAtXof: xof(stored.balanceXof - after), settlementCount }
          })
      ),

    post: (request) => {
      const { transaction } = request
      // A request breaking these is a bug of its caller, not a refusal: it must not reach the store.
      const checked = checkPostings(transaction.postings)
      if (Result.isFailure(checked)) return Effect.die(checked.failure)
      if ((transaction.type === "reversal") !== (transaction.reversesId !== null)) {
        return Effect.die(new Error("a reversal, and only a reversal, names the transaction it reverses"))
      }
      return writer.withPermits(1)(Effect.uninterruptible(write(request)))
    },

    findTransaction: (id) => Effect.sync(() => Option.fromNullishOr(transactions.get(id.toLowerCase()))),

    findByKey: (idempotencyKey) =>
      Effect.sync(() => {
        const id = transactionIdByKey.get(idempotencyKey)
        return id === undefined ? Option.none() : Option.fromNullishOr(transactions.get(id))
      }),

    writtenKeys: (idempotencyKeys) => Effect.sync(() => new Set(idempotencyKeys.filter((key) => transactionIdByKey.has(key)))),

    reversalOf: (id) =>
      Effect.sync(() => {
        const reversalId = reversalIdByOriginal.get(id.toLowerCase())
        return reversalId === undefined ? Option.none() : Option.some(transactions.get(reversalId)!)
      }),

    stateOf: (accountId) =>
      Effect.suspend(() => {
        const stored = accounts.get(accountId)
        return stored === undefined ? Effect.die(new Error(`unknown account ${accountId}`)) : Effect.succeed(snapshot(stored))
      }),

    outflowSince: (accountId, since) => Effect.sync(() => outflowSince(accountId, since)),

    history: (query) =>
      Effect.sync(() => {
        if (query.beforeId !== null && !isUuid(query.beforeId)) return []
        const beforeId = query.beforeId?.toLowerCase()
        return (entriesByAccount.get(query.accountId) ?? [])
          .filter((entry) =>
            (beforeId === undefined || entry.transaction.id < beforeId) && (query.types === null || query.types.includes(entry.transaction.type)))
          .sort((left, right) => (left.transaction.id < right.transaction.id ? 1 : left.transaction.id > right.transaction.id ? -1 : 0))
          .slice(0, Math.max(0, Math.floor(query.limit)))
          .map((entry): AccountEntry => {
            const other = entry.transaction.type !== "transfer"
              ? undefined
              : entry.transaction.postings.find((posting) => posting.accountId !== query.accountId && isCustomerWallet(posting.accountId))
            return {
              transaction: entry.transaction,
              amountXof: entry.amountXof,
              counterpartyUserId: other === undefined ? null : accounts.get(other.accountId)!.account.ownerId,
              reversedById: reversalIdByOriginal.get(entry.transaction.id) ?? null
            }
          })
      }),

    setFreeze: (accountId, change) =>
      writer.withPermits(1)(Effect.uninterruptible(Effect.gen(function*() {
        const stored = accounts.get(accountId)
        const freezing = "freeze" in change
        if (stored === undefined || freezing === (stored.freeze !== null)) return false
        const before = { freeze: stored.freeze, lastUnfrozenAt: stored.lastUnfrozenAt }
        stored.freeze = freezing ? change.freeze : null
        if (!freezing) stored.lastUnfrozenAt = change.unfreeze.at
        freezeHistory.push({ accountId, action: freezing ? "freeze" : "unfreeze", change: freezing ? change.freeze : change.unfreeze })
        yield* recordUndo(() => {
          stored.freeze = before.freeze
          stored.lastUnfrozenAt = before.lastUnfrozenAt
          freezeHistory.pop()
        })
        return true
      }))),

    // Statements (issue 13): an account's entries of a period, in id order, as LedgerPostgres reads them.
    entriesBetween: (query) =>
      Stream.fromIterableEffect(Effect.sync(() => {
        const afterId = query.afterId?.toLowerCase()
        const entries = (entriesByAccount.get(query.accountId) ?? [])
          .filter((entry) => entry.transaction.createdAt >= query.from && entry.transaction.createdAt < query.to && (afterId === undefined || entry.transaction.id > afterId))
          .sort((left, right) => (left.transaction.id < right.transaction.id ? -1 : left.transaction.id > right.transaction.id ? 1 : 0))
          .slice(0, query.limit === null ? undefined : Math.max(0, Math.floor(query.limit)))
        return entries.map((entry): AccountEntry => ({
          transaction: entry.transaction,
          amountXof: entry.amountXof,
          counterpartyUserId: null,
          reversedById: reversalIdByOriginal.get(entry.transaction.id) ?? null
        }))
      })),

    sumsBetween: (query) =>
      Effect.sync(() => {
        const throughId = query.throughId?.toLowerCase()
        const sums = new Map<TransactionType, { inXof: number; outXof: number; count: number }>()
        for (const entry of entriesByAccount.get(query.accountId) ?? []) {
          const { createdAt, id, type } = entry.transaction
          if (createdAt < query.from || createdAt >= query.to || (throughId !== undefined && id > throughId)) continue
          const sum = sums.get(type) ?? { inXof: 0, outXof: 0, count: 0 }
          if (entry.amountXof > 0) sum.inXof += entry.amountXof
          else sum.outXof += entry.amountXof
          sum.count++
          sums.set(type, sum)
        }
        return [...sums].sort(([left], [right]) => (left < right ? -1 : 1)).map(([type, sum]): TypeSums => ({ type, inXof: xof(sum.inXof), outXof: xof(sum.outXof), count: sum.count }))
      }),

    balanceBefore: (accountId, before) =>
      Effect.sync(() => xof((entriesByAccount.get(accountId) ?? []).reduce((sum, entry) => entry.transaction.createdAt < before ? sum + entry.amountXof : sum, 0))),

    kindBalancesAt: (at) =>
      Effect.sync(() =>
        AccountKind.literals.flatMap((kind): Array<KindBalance> => {
          const ofKind = [...accounts.values()].filter((stored) => stored.account.kind === kind)
          if (ofKind.length === 0) return []
          const balance = ofKind.reduce((sum, stored) =>
            sum + (entriesByAccount.get(stored.account.id) ?? []).reduce((inner, entry) => entry.transaction.createdAt <= at ? inner + entry.amountXof : inner, 0), 0)
          return [{ kind, accounts: ofKind.length, balanceXof: xof(balance) }]
        })
      ),

    transactionsBetween: (query) =>
      Stream.fromIterableEffect(Effect.sync(() =>
        [...transactions.values()]
          .filter((transaction) => query.types.includes(transaction.type) && transaction.createdAt >= query.from && transaction.createdAt < query.to)
          .sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0))
      )),

    facts: Effect.sync((): LedgerFacts => {
      const keys = new Map<string, number>()
      const reversals = new Map<string, number>()
      for (const transaction of transactions.values()) {
        keys.set(transaction.idempotencyKey, (keys.get(transaction.idempotencyKey) ?? 0) + 1)
        if (transaction.reversesId !== null) reversals.set(transaction.reversesId, (reversals.get(transaction.reversesId) ?? 0) + 1)
      }
      const exactlyReverses = (reversal: LedgerTransaction, original: LedgerTransaction) =>
        reversal.postings.length === original.postings.length &&
        reversal.postings.every((posting) => original.postings.some((other) => other.accountId === posting.accountId && other.amountXof === -posting.amountXof))
      const all = [...transactions.values()]
      return {
        accounts: [...accounts.values()].map((stored) => ({
          account: stored.account,
          storedBalanceXof: stored.balanceXof,
          postedSumXof: xof((entriesByAccount.get(stored.account.id) ?? []).reduce((sum, entry) => sum + entry.amountXof, 0))
        })),
        unbalancedTransactions: all
          .map((transaction) => ({ id: transaction.id, sumXof: xof(transaction.postings.reduce((sum, posting) => sum + posting.amountXof, 0)), postings: transaction.postings.length }))
          .filter((transaction) => transaction.sumXof !== 0 || transaction.postings < 2),
        duplicateIdempotencyKeys: [...keys].filter(([, count]) => count > 1).map(([key]) => key),
        brokenReversals: all
          .filter((transaction) => transaction.type === "reversal" || transaction.reversesId !== null)
          .filter((reversal) => {
            const original = reversal.reversesId === null ? undefined : transactions.get(reversal.reversesId)
            return original === undefined || reversals.get(original.id)! > 1 || !exactlyReverses(reversal, original)
          })
          .map((reversal) => reversal.id),
        transactionCount: transactions.size
      }
    })
  })
}))
