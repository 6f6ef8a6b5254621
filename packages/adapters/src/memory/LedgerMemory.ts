import { Clock, Effect, Layer, Option, Result, Semaphore } from "effect"
import { OutboxStore } from "@nelo/domain/events/OutboxStore"
import type { Account, AccountKind, Freeze, Gateway } from "@nelo/domain/wallet/Account"
import { countsAsOutflow } from "@nelo/domain/wallet/outflowLimits"
import { LedgerUnavailable } from "@nelo/domain/wallet/errors"
import { type AccountEntry, Ledger, type LedgerFacts, type LockedAccount, type FanOutWindow, type Outflow, type OutflowWindow, type Posted, type PostRequest } from "@nelo/domain/wallet/Ledger"
import { applyPostings, type BalanceOutOfRange, checkPostings, type InsufficientFunds, lockOrder } from "@nelo/domain/wallet/ledgerRules"
import type { LedgerTransaction } from "@nelo/domain/wallet/LedgerTransaction"
import { uuidV7 } from "../ids/IdGeneratorUuidV7.ts"
import { isUuid } from "../postgres/isUuid.ts"

interface StoredAccount {
  readonly account: Account
  balanceXof: number
  freeze: Freeze | null
  lastUnfrozenAt: Date | null
}

/** A transaction seen from one of its accounts. */
interface StoredEntry {
  readonly transaction: LedgerTransaction
  readonly amountXof: number
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
 * take the one permit: the checks, the outbox append and the write happen with no other writer in
 * between, and the write itself is one synchronous step, so readers never see half of it.
 */
export const LedgerMemory = Layer.effect(Ledger, Effect.gen(function*() {
  const outbox = yield* OutboxStore
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
      accounts.set(account.id, { account, balanceXof: 0, freeze: null, lastUnfrozenAt: null })
      accountIdByOwner.set(key, account.id)
      entriesByAccount.set(account.id, [])
      return account
    })

  const snapshot = (stored: StoredAccount): LockedAccount => ({ account: stored.account, balanceXof: stored.balanceXof, freeze: stored.freeze, lastUnfrozenAt: stored.lastUnfrozenAt })

  const outflowOf = (window: OutflowWindow): Outflow => {
    let todayXof = 0
    let monthXof = 0
    for (const entry of entriesByAccount.get(window.accountId) ?? []) {
      if (entry.amountXof >= 0 || !countsAsOutflow(entry.transaction.type)) continue
      if (entry.transaction.createdAt >= window.dayStart) todayXof -= entry.amountXof
      if (entry.transaction.createdAt >= window.monthStart) monthXof -= entry.amountXof
    }
    return { todayXof, monthXof }
  }

  const isCustomerWallet = (accountId: string) => accounts.get(accountId)?.account.kind === "customer_wallet"

  const newReceiversOf = (window: FanOutWindow): number => {
    const before = new Set<string>()
    const after = new Set<string>()
    for (const entry of entriesByAccount.get(window.senderAccountId) ?? []) {
      if (entry.amountXof >= 0 || entry.transaction.type !== "transfer") continue
      for (const posting of entry.transaction.postings) {
        if (posting.amountXof > 0 && isCustomerWallet(posting.accountId)) {
          ;(entry.transaction.createdAt < window.since ? before : after).add(posting.accountId)
        }
      }
    }
    if (!before.has(window.receiverAccountId)) after.add(window.receiverAccountId)
    return [...after].filter((receiver) => !before.has(receiver)).length
  }

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
      const outflow = request.outflowWindow === null ? null : outflowOf(request.outflowWindow)
      const fanOut = request.fanOutWindow
      const unfrozenAt = fanOut === null ? null : locked.get(fanOut.senderAccountId)?.lastUnfrozenAt ?? null
      const newReceivers = fanOut === null ? null : newReceiversOf(unfrozenAt !== null && unfrozenAt > fanOut.since ? { ...fanOut, since: unfrozenAt } : fanOut)
      const refusal = request.guard({ accounts: locked, outflow, newReceivers })
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

      yield* Effect.mapError(outbox.append(request.events), unavailable)
      const stored = copyOf(transaction)
      transactions.set(stored.id, stored)
      transactionIdByKey.set(stored.idempotencyKey, stored.id)
      if (stored.reversesId !== null) reversalIdByOriginal.set(stored.reversesId, stored.id)
      for (const posting of stored.postings) {
        accounts.get(posting.accountId)!.balanceXof = after.success.get(posting.accountId)!
        entriesByAccount.get(posting.accountId)!.push({ transaction: stored, amountXof: posting.amountXof })
      }
      return { transaction: stored, replayed: false }
    })

  return Ledger.of({
    walletOf: (userId) => open(`customer_wallet:${userId}`, "customer_wallet", userId, null),

    findWallet: (userId) =>
      Effect.sync(() => {
        const id = accountIdByOwner.get(`customer_wallet:${userId}`)
        return id === undefined ? Option.none() : Option.some(accounts.get(id)!.account)
      }),

    platformRevenue: open("platform_revenue", "platform_revenue", null, null),

    clearingOf: (gateway) => open(`gateway_clearing:${gateway}`, "gateway_clearing", null, gateway),

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

    outflow: (window) => Effect.sync(() => outflowOf(window)),

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

    setFreeze: (accountId, change, events) =>
      writer.withPermits(1)(Effect.uninterruptible(Effect.gen(function*() {
        const stored = accounts.get(accountId)
        const freezing = "freeze" in change
        if (stored === undefined || freezing === (stored.freeze !== null)) return false
        yield* Effect.mapError(outbox.append(events), unavailable)
        stored.freeze = freezing ? change.freeze : null
        if (!freezing) stored.lastUnfrozenAt = change.unfreeze.at
        freezeHistory.push({ accountId, action: freezing ? "freeze" : "unfreeze", change: freezing ? change.freeze : change.unfreeze })
        return true
      }))),

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
          postedSumXof: (entriesByAccount.get(stored.account.id) ?? []).reduce((sum, entry) => sum + entry.amountXof, 0)
        })),
        unbalancedTransactions: all
          .map((transaction) => ({ id: transaction.id, sumXof: transaction.postings.reduce((sum, posting) => sum + posting.amountXof, 0), postings: transaction.postings.length }))
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
