import { PgClient } from "@effect/sql-pg"
import { Array as Arr, Clock, Effect, Layer, Option, Result, Stream } from "effect"
import { SqlClient, type SqlError } from "effect/sql"
import type { Account, AccountKind, Freeze, Gateway, OwnedAccountKind } from "@nelo/domain/wallet/Account"
import { LedgerUnavailable } from "@nelo/domain/wallet/errors"
import { type AccountEntry, type KindBalance, Ledger, type LedgerFacts, type TypeSums, type LockedAccount, type LockedReads, type Posted, type PostRequest } from "@nelo/domain/wallet/Ledger"
import { applyPostings, type BalanceOutOfRange, checkPostings, type InsufficientFunds, lockOrder } from "@nelo/domain/wallet/ledgerRules"
import { countsAsOutflow } from "@nelo/domain/wallet/outflowLimits"
import type { LedgerTransaction, TransactionType } from "@nelo/domain/wallet/LedgerTransaction"
import { uuidV7 } from "../ids/IdGeneratorUuidV7.ts"
import { isUuid } from "./isUuid.ts"
import { isXof, type Xof, xof } from "@nelo/domain/shared/Xof"

interface AccountRow {
  readonly id: string
  readonly kind: string
  readonly ownerId: string | null
  readonly gateway: string | null
  readonly balanceXof: bigint
  readonly frozenReason: string | null
  readonly frozenByKind: string | null
  readonly frozenById: string | null
  readonly frozenAt: Date | null
  readonly lastUnfrozenAt: Date | null
}

interface TransactionRow {
  readonly id: string
  readonly type: string
  readonly idempotencyKey: string
  readonly causeKind: string
  readonly causeId: string
  readonly reversesId: string | null
  readonly note: string | null
  readonly reference: string | null
  readonly createdAt: Date
}

interface PostingRow {
  readonly transactionId: string
  readonly accountId: string
  readonly amountXof: bigint
}

interface EntryRow extends TransactionRow {
  readonly entryAmountXof: bigint
  readonly reversedById: string | null
  readonly counterpartyUserId: string | null
}

// About 200 bytes each: a bound on memory, cleared whole when reached (a few misses, then warm again).
const maximumCachedWallets = 100_000

const accountColumns = "id, kind, owner_id, gateway, balance_xof, frozen_reason, frozen_by_kind, frozen_by_id, frozen_at, last_unfrozen_at"
const transactionColumns = "t.id, t.type, t.idempotency_key, t.cause_kind, t.cause_id, t.reverses_id, t.note, t.reference, t.created_at"

const unavailable = (cause: unknown) => new LedgerUnavailable({ cause })
/** Any failure of the store (SQL, outbox, an unreadable value) as LedgerUnavailable, wrapped once. */
const orUnavailable = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, LedgerUnavailable, R> =>
  Effect.mapError(effect, (failure) => failure instanceof LedgerUnavailable ? failure : unavailable(failure))

/** Money is whole francs in bigint columns; a value JavaScript cannot hold exactly is refused, never rounded. */
const toXof = (value: bigint | string | number): Xof => {
  const amount = Number(value)
  if (!isXof(amount)) throw new Error(`amount ${value} is not a safe integer of francs`)
  return amount
}

// The CHECK constraints of migration 0006 guarantee the literal values.
const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  kind: row.kind as AccountKind,
  ownerId: row.ownerId,
  gateway: row.gateway as Gateway | null
})

const toLocked = (row: AccountRow): LockedAccount => ({
  account: toAccount(row),
  balanceXof: toXof(row.balanceXof),
  freeze: row.frozenAt === null
    ? null
    : { reason: row.frozenReason!, causedBy: { kind: row.frozenByKind as Freeze["causedBy"]["kind"], id: row.frozenById! }, at: row.frozenAt },
  lastUnfrozenAt: row.lastUnfrozenAt
})

const toTransaction = (row: TransactionRow, postings: ReadonlyArray<PostingRow>): LedgerTransaction => ({
  id: row.id,
  type: row.type as TransactionType,
  idempotencyKey: row.idempotencyKey,
  postings: postings.filter((posting) => posting.transactionId === row.id).map((posting) => ({
    accountId: posting.accountId,
    amountXof: toXof(posting.amountXof)
  })),
  cause: { kind: row.causeKind as LedgerTransaction["cause"]["kind"], id: row.causeId },
  reversesId: row.reversesId,
  note: row.note,
  reference: row.reference,
  createdAt: row.createdAt
})

/** Reading failed or a stored amount cannot be held: the store is unusable as it stands. */
const decoded = <A>(decode: () => A) => Effect.try({ try: decode, catch: unavailable })

/** A transaction read with its postings aggregated as two arrays in position order (account ids, amounts as text). */
const withAggregatedPostings = (row: {
  readonly id: string
  readonly type: string
  readonly idempotencyKey: string
  readonly causeKind: string
  readonly causeId: string
  readonly reversesId: string | null
  readonly note: string | null
  readonly reference: string | null
  readonly createdAt: Date
  readonly postingAccounts: ReadonlyArray<string>
  readonly postingAmounts: ReadonlyArray<string>
}): LedgerTransaction => ({
  id: row.id,
  type: row.type as TransactionType,
  idempotencyKey: row.idempotencyKey,
  postings: row.postingAccounts.map((accountId, index) => ({ accountId, amountXof: toXof(row.postingAmounts[index]!) })),
  cause: { kind: row.causeKind as LedgerTransaction["cause"]["kind"], id: row.causeId },
  reversesId: row.reversesId,
  note: row.note,
  reference: row.reference,
  createdAt: row.createdAt
})

// Failures that end the database transaction (rolling it back) without being the store's fault.
class Refused<E> {
  readonly _tag = "Refused"
  readonly error: E
  constructor(error: E) {
    this.error = error
  }
}
class Replayed {
  readonly _tag = "Replayed"
  readonly transaction: LedgerTransaction
  constructor(transaction: LedgerTransaction) {
    this.transaction = transaction
  }
}

/**
 * The ledger in Postgres. A post is one database transaction (a savepoint inside the caller's, when
 * it runs in a Transactional): the accounts' rows locked in one global order (no deadlock between
 * opposite transfers), the reads the guard asked for and the guard and balance rules checked on
 * what is locked, then the transaction, its postings and the balances written together. A failure
 * anywhere rolls all of it back.
 */
export const LedgerPostgres = Layer.effect(Ledger, Effect.gen(function*() {
  const sql = yield* PgClient.PgClient
  const accountCols = sql.literal(accountColumns)
  const transactionCols = sql.literal(transactionColumns)
  // NELO's own accounts never change once opened: read once per process. Nor does which account
  // is a person's wallet (its balance and freeze are always read under lock, never from here).
  const ownAccounts = new Map<string, Account>()
  // Cached once committed: an account opened inside a caller's transaction is not there for the
  // others until it commits, and is gone if it rolls back (a cached id would name no account).
  const remember = (cache: () => void) => sql.afterCommit(Effect.sync(cache))

  const readTransactions = (rows: ReadonlyArray<TransactionRow>) =>
    Effect.gen(function*() {
      if (rows.length === 0) return []
      const postings = yield* sql<PostingRow>`
        SELECT transaction_id, account_id, amount_xof FROM wallet.postings
        WHERE transaction_id IN ${sql.in(rows.map((row) => row.id))} ORDER BY transaction_id, position`
      return yield* decoded(() => rows.map((row) => toTransaction(row, postings)))
    })
  const first = (transactions: ReadonlyArray<LedgerTransaction>) => Option.fromNullishOr(transactions[0])

  const findByKey = (idempotencyKey: string) =>
    sql<TransactionRow>`SELECT ${transactionCols} FROM wallet.transactions t WHERE t.idempotency_key = ${idempotencyKey}`.pipe(
      Effect.flatMap(readTransactions),
      Effect.map(first)
    )

  /** Opens the account on first use: the unique indexes make concurrent openers find the same one. */
  const openAccount = (find: () => Effect.Effect<ReadonlyArray<AccountRow>, SqlError.SqlError>, open: { readonly kind: AccountKind; readonly ownerId: string | null; readonly gateway: Gateway | null }) =>
    Effect.gen(function*() {
      const found = yield* find()
      if (found[0] !== undefined) return toAccount(found[0])
      const id = uuidV7(yield* Clock.currentTimeMillis)
      yield* sql`INSERT INTO wallet.accounts (id, kind, owner_id, gateway) VALUES (${id}, ${open.kind}, ${open.ownerId}::uuid, ${open.gateway}) ON CONFLICT DO NOTHING`
      const opened = yield* find()
      if (opened[0] === undefined) return yield* Effect.die(new Error(`the ${open.kind} account could not be opened`))
      return toAccount(opened[0])
    }).pipe(orUnavailable)

  /**
   * The account of one kind an owner holds (a person's wallet, a provider's escrow, a driver's cash
   * in hand, a provider's or a driver's earnings), opened on first use. Which account it is never changes: cached per kind after the
   * commit that opened it (its balance and freeze are always read under lock, never from here).
   */
  const ownedAccount = (kind: OwnedAccountKind) => {
    const cache = new Map<string, Account>()
    return (ownerId: string) =>
      Effect.suspend(() => {
        const cached = cache.get(ownerId)
        if (cached !== undefined) return Effect.succeed(cached)
        return openAccount(
          () => sql<AccountRow>`SELECT ${accountCols} FROM wallet.accounts WHERE kind = ${kind} AND owner_id = ${ownerId}`,
          { kind, ownerId, gateway: null }
        ).pipe(Effect.tap((account) => remember(() => {
          if (cache.size >= maximumCachedWallets) cache.clear()
          cache.set(ownerId, account)
        })))
      })
  }

  const ownAccount = (key: string, find: () => Effect.Effect<ReadonlyArray<AccountRow>, SqlError.SqlError>, open: { readonly kind: AccountKind; readonly gateway: Gateway | null }) =>
    Effect.suspend(() => {
      const cached = ownAccounts.get(key)
      return cached !== undefined ? Effect.succeed(cached) : Effect.tap(openAccount(find, { ...open, ownerId: null }), (account) => remember(() => ownAccounts.set(key, account)))
    })

  // The primitive reads a guard may ask for (LockedReads). Outflow postings are marked when written
  // (counts_as_outflow) and covered by a partial index: a short range per account.
  const outflowSinceQuery = (accountId: string, since: ReadonlyArray<Date>) => {
    const earliest = since.reduce((min, instant) => (instant < min ? instant : min), since[0]!)
    return sql`ARRAY[${sql.join(", ", false)(since.map((instant) => sql`coalesce(-sum(p.amount_xof) FILTER (WHERE p.created_at >= ${instant}), 0)::bigint`))}]
      FROM wallet.postings p
      WHERE p.account_id = ${accountId} AND p.counts_as_outflow AND p.created_at >= ${earliest}`
  }
  // Pairs first seen since `since` are exactly the receivers never paid before it.
  const receiversFirstPaidSinceQuery = (read: NonNullable<LockedReads["receiversFirstPaidSince"]>) =>
    sql`(SELECT count(*)::integer FROM wallet.transfer_pairs WHERE sender_account_id = ${read.senderAccountId} AND first_at >= ${read.since})`
  const paidBeforeQuery = (read: NonNullable<LockedReads["paidBefore"]>) =>
    sql`EXISTS (SELECT 1 FROM wallet.transfer_pairs WHERE sender_account_id = ${read.senderAccountId} AND receiver_account_id = ${read.receiverAccountId})`

  const sums = (values: ReadonlyArray<bigint | string>) => values.map(toXof)

  /**
   * Everything a post does, in four statements (a transfer's cost is mostly round trips): lock,
   * look for the key and sum the outflow, write it all, and the commit around them. Fails with
   * Refused or Replayed to roll back.
   */
  const write = <E>(request: PostRequest<E>) =>
    Effect.gen(function*() {
      const { transaction } = request
      const ids = lockOrder(transaction.postings)
      // ORDER BY before the lock: rows are locked in that order, the same in every transaction.
      // NO KEY UPDATE excludes every other writer of these rows without blocking foreign-key checks.
      const rows = yield* sql<AccountRow>`
        SELECT ${accountCols} FROM wallet.accounts WHERE id IN ${sql.in(ids)} ORDER BY id FOR NO KEY UPDATE`
      const locked = new Map<string, LockedAccount>()
      for (const row of rows) locked.set(row.id, yield* decoded(() => toLocked(row)))
      const unknown = ids.find((id) => !locked.has(id))
      if (unknown !== undefined) return yield* Effect.die(new Error(`posting to an unknown account ${unknown}`))

      // A statement after the lock: its snapshot sees what a concurrent post of the same key (or a
      // concurrent outflow of this wallet) committed while this one waited for the locks.
      const reads = request.reads?.(locked) ?? {}
      const outflow = reads.outflowSince !== undefined && reads.outflowSince.since.length > 0 ? reads.outflowSince : undefined
      const [seen] = yield* sql<{ writtenId: string | null; outflowSinceXof: ReadonlyArray<string> | null; receiversFirstPaidSince: number | null; paidBefore: boolean | null }>`
        SELECT (SELECT t.id FROM wallet.transactions t WHERE t.idempotency_key = ${transaction.idempotencyKey}) AS written_id,
          ${outflow === undefined ? sql`NULL::text[]` : sql`(SELECT ${outflowSinceQuery(outflow.accountId, outflow.since)})::text[]`} AS outflow_since_xof,
          ${reads.receiversFirstPaidSince === undefined ? sql`NULL::integer` : receiversFirstPaidSinceQuery(reads.receiversFirstPaidSince)} AS receivers_first_paid_since,
          ${reads.paidBefore === undefined ? sql`NULL::boolean` : paidBeforeQuery(reads.paidBefore)} AS paid_before`
      if (seen!.writtenId !== null) {
        const written = yield* findByKey(transaction.idempotencyKey)
        if (Option.isSome(written)) return yield* Effect.fail(new Replayed(written.value))
      }
      const outflowSinceXof = reads.outflowSince === undefined ? null : outflow === undefined ? [] : yield* decoded(() => sums(seen!.outflowSinceXof ?? []))
      const refusal = request.guard?.({
        accounts: locked,
        outflowSinceXof,
        receiversFirstPaidSince: seen!.receiversFirstPaidSince,
        paidBefore: seen!.paidBefore
      })
      if (refusal !== undefined) return yield* Effect.fail(new Refused(refusal))
      const balances = new Map([...locked].map(([id, state]) => [id, state.balanceXof]))
      const after = applyPostings(transaction.postings, new Map([...locked].map(([id, state]) => [id, state.account])), balances)
      if (Result.isFailure(after)) return yield* Effect.fail(new Refused<InsufficientFunds | BalanceOutOfRange>(after.failure))

      // One statement: the transaction, its postings and the balances. Any unique conflict (key, id,
      // reversed transaction) inserts no transaction, and then nothing else happens either (the other
      // parts read the inserted row). Under READ COMMITTED the insert waits for a concurrent inserter
      // of the same key and then sees its row.
      const accountIds = transaction.postings.map((posting) => posting.accountId)
      const amounts = transaction.postings.map((posting) => posting.amountXof)
      const updated = yield* sql<{ id: string; balanceXof: bigint }>`
        WITH inserted AS (
          INSERT INTO wallet.transactions ${sql.insert({
            id: transaction.id,
            type: transaction.type,
            idempotencyKey: transaction.idempotencyKey,
            causeKind: transaction.cause.kind,
            causeId: transaction.cause.id,
            reversesId: transaction.reversesId,
            note: transaction.note,
            reference: transaction.reference,
            createdAt: transaction.createdAt
          })} ON CONFLICT DO NOTHING RETURNING id, created_at
        ), change AS (
          SELECT account_id, amount_xof, (position - 1)::smallint AS position
          FROM unnest(${accountIds}::uuid[], ${amounts}::bigint[]) WITH ORDINALITY AS change (account_id, amount_xof, position)
        ), posted AS (
          INSERT INTO wallet.postings (transaction_id, account_id, position, amount_xof, created_at, counts_as_outflow)
          SELECT inserted.id, change.account_id, change.position, change.amount_xof, inserted.created_at,
            change.amount_xof < 0 AND ${countsAsOutflow(transaction.type)}
          FROM inserted, change
        )${transaction.type === "transfer" ? sql`, paired AS (
          INSERT INTO wallet.transfer_pairs (sender_account_id, receiver_account_id, first_at)
          SELECT sender.account_id, receiver.account_id, inserted.created_at
          FROM inserted, change sender, change receiver
          WHERE sender.amount_xof < 0 AND receiver.amount_xof > 0
          ON CONFLICT DO NOTHING
        )` : sql``}
        UPDATE wallet.accounts a SET balance_xof = a.balance_xof + change.amount_xof
        FROM change, inserted
        WHERE a.id = change.account_id
        RETURNING a.id, a.balance_xof`
      if (updated.length === 0) {
        const concurrent = yield* findByKey(transaction.idempotencyKey)
        if (Option.isSome(concurrent)) return yield* Effect.fail(new Replayed(concurrent.value))
        return yield* Effect.fail(unavailable(new Error(`transaction ${transaction.id} conflicts: its id is taken or its original already reversed`)))
      }
      // Compared with what the rule computed: a difference would mean a write this transaction did
      // not see, so nothing is committed.
      const expected = after.success
      if (updated.length !== ids.length || updated.some((row) => Number(row.balanceXof) !== expected.get(row.id))) {
        return yield* Effect.die(new Error(`balances of transaction ${transaction.id} differ from the locked ones`))
      }
      return { transaction, replayed: false }
    })

  return Ledger.of({
    walletOf: ownedAccount("customer_wallet"),

    findWallet: (userId) =>
      !isUuid(userId) ? Effect.succeed(Option.none()) : sql<AccountRow>`
        SELECT ${accountCols} FROM wallet.accounts WHERE kind = 'customer_wallet' AND owner_id = ${userId}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), toAccount)),
        orUnavailable
      ),

    escrowOf: ownedAccount("orders_escrow"),

    cashInHandOf: ownedAccount("driver_cash_in_hand"),

    providerEarningsOf: ownedAccount("provider_earnings"),

    driverEarningsOf: ownedAccount("driver_earnings"),

    cashHeldBy: (driverIds) => {
      // Ids naming no uuid name no driver: 0, without reaching the uuid column. Postgres answers
      // uuids in lower case, whatever case they were asked in.
      const asked = [...new Set(driverIds.filter(isUuid).map((id) => id.toLowerCase()))]
      const held = (balances: ReadonlyMap<string, Xof>) => new Map(driverIds.map((id) => [id, balances.get(id.toLowerCase()) ?? xof(0)]))
      if (asked.length === 0) return Effect.succeed(held(new Map()))
      // One read on the (kind, owner_id) unique index, whatever the number of drivers.
      return sql<{ ownerId: string; heldXof: bigint }>`
        SELECT owner_id, -balance_xof AS held_xof FROM wallet.accounts
        WHERE kind = 'driver_cash_in_hand' AND owner_id = ANY(${asked}::uuid[])`.pipe(
        Effect.flatMap((rows) => decoded(() => held(new Map(rows.map((row) => [row.ownerId, toXof(row.heldXof)]))))),
        orUnavailable
      )
    },

    driverCashBalances: sql<{ driverId: string; cashInHandXof: bigint; earningsXof: bigint }>`
      SELECT c.owner_id AS driver_id, c.balance_xof AS cash_in_hand_xof, coalesce(e.balance_xof, 0) AS earnings_xof
      FROM wallet.accounts c
      LEFT JOIN wallet.accounts e ON e.kind = 'driver_earnings' AND e.owner_id = c.owner_id
      WHERE c.kind = 'driver_cash_in_hand' AND c.balance_xof <> 0
      ORDER BY c.owner_id`.pipe(
      Effect.flatMap((rows) => decoded(() => rows.map((row) => ({ driverId: row.driverId, cashInHandXof: toXof(row.cashInHandXof), earningsXof: toXof(row.earningsXof) })))),
      orUnavailable
    ),

    platformRevenue: ownAccount(
      "platform_revenue",
      () => sql<AccountRow>`SELECT ${accountCols} FROM wallet.accounts WHERE kind = 'platform_revenue'`,
      { kind: "platform_revenue", gateway: null }
    ),

    clearingOf: (gateway) =>
      ownAccount(
        `gateway_clearing:${gateway}`,
        () => sql<AccountRow>`SELECT ${accountCols} FROM wallet.accounts WHERE kind = 'gateway_clearing' AND gateway = ${gateway}`,
        { kind: "gateway_clearing", gateway }
      ),

    payoutsInFlight: ownAccount(
      "payouts_in_flight",
      () => sql<AccountRow>`SELECT ${accountCols} FROM wallet.accounts WHERE kind = 'payouts_in_flight'`,
      { kind: "payouts_in_flight", gateway: null }
    ),

    earningsToPay: ({ minimumXof, at, countFrom }) =>
      // The balance at `at` is today's less what was posted after it; the settlements counted are the
      // commission transactions' postings on the account in the period. Both read the account's
      // postings (by account id), for the accounts at or over the minimum only.
      sql<AccountRow & { balanceAtXof: bigint; settlementCount: bigint }>`
        SELECT ${accountCols},
          a.balance_xof - coalesce((SELECT sum(p.amount_xof) FROM wallet.postings p
            WHERE p.account_id = a.id AND ${at === null ? sql`false` : sql`p.created_at > ${at}`}), 0) AS balance_at_xof,
          ${countFrom === null ? sql`0` : sql`(SELECT count(*) FROM wallet.postings p JOIN wallet.transactions t ON t.id = p.transaction_id
            WHERE p.account_id = a.id AND t.type = 'commission' AND p.created_at >= ${countFrom}${at === null ? sql`` : sql` AND p.created_at <= ${at}`})`} AS settlement_count
        FROM wallet.accounts a
        WHERE a.kind IN ('provider_earnings', 'driver_earnings') AND a.balance_xof >= ${minimumXof}
        ORDER BY a.id`.pipe(
        Effect.flatMap((rows) => decoded(() => rows.map((row) => ({
          account: toAccount(row),
          balanceXof: toXof(row.balanceXof),
          balanceAtXof: toXof(row.balanceAtXof),
          settlementCount: Number(row.settlementCount)
        })))),
        orUnavailable
      ),

    officeCash: ownAccount(
      "office_cash",
      () => sql<AccountRow>`SELECT ${accountCols} FROM wallet.accounts WHERE kind = 'office_cash'`,
      { kind: "office_cash", gateway: null }
    ),

    post: <E>(request: PostRequest<E>) => {
      const { transaction } = request
      // A request breaking these is a bug of its caller, not a refusal: it must not reach the store.
      const checked = checkPostings(transaction.postings)
      if (Result.isFailure(checked)) return Effect.die(checked.failure)
      if ((transaction.type === "reversal") !== (transaction.reversesId !== null)) {
        return Effect.die(new Error("a reversal, and only a reversal, names the transaction it reverses"))
      }
      // No look for the key before the transaction: replays are rare next to first posts, and the
      // look after the locks finds them anyway.
      return sql.withTransaction(write(request)).pipe(
        Effect.catch((failure): Effect.Effect<Posted, E | InsufficientFunds | BalanceOutOfRange | LedgerUnavailable> =>
          failure instanceof Replayed
            ? Effect.succeed({ transaction: failure.transaction, replayed: true })
            : failure instanceof Refused
            ? Effect.fail(failure.error as E | InsufficientFunds | BalanceOutOfRange)
            : Effect.fail(failure instanceof LedgerUnavailable ? failure : unavailable(failure))
        )
      )
    },

    findTransaction: (id) =>
      !isUuid(id) ? Effect.succeed(Option.none()) : sql<TransactionRow>`
        SELECT ${transactionCols} FROM wallet.transactions t WHERE t.id = ${id}`.pipe(
        Effect.flatMap(readTransactions),
        Effect.map(first),
        orUnavailable
      ),

    findByKey: (idempotencyKey) => orUnavailable(findByKey(idempotencyKey)),

    writtenKeys: (idempotencyKeys) =>
      idempotencyKeys.length === 0 ? Effect.succeed(new Set<string>()) : sql<{ idempotencyKey: string }>`
        SELECT idempotency_key FROM wallet.transactions WHERE idempotency_key IN ${sql.in(idempotencyKeys)}`.pipe(
        Effect.map((rows) => new Set(rows.map((row) => row.idempotencyKey))),
        orUnavailable
      ),

    reversalOf: (id) =>
      !isUuid(id) ? Effect.succeed(Option.none()) : sql<TransactionRow>`
        SELECT ${transactionCols} FROM wallet.transactions t WHERE t.reverses_id = ${id}`.pipe(
        Effect.flatMap(readTransactions),
        Effect.map(first),
        orUnavailable
      ),

    stateOf: (accountId) =>
      Effect.gen(function*() {
        const rows = isUuid(accountId) ? yield* sql<AccountRow>`SELECT ${accountCols} FROM wallet.accounts WHERE id = ${accountId}` : []
        if (rows[0] === undefined) return yield* Effect.die(new Error(`unknown account ${accountId}`))
        return yield* decoded(() => toLocked(rows[0]!))
      }).pipe(orUnavailable),

    outflowSince: (accountId, since) =>
      !isUuid(accountId) || since.length === 0 ? Effect.succeed(since.map(() => xof(0))) : sql<{ outflowSinceXof: ReadonlyArray<string> }>`
        SELECT (SELECT ${outflowSinceQuery(accountId, since)})::text[] AS outflow_since_xof`.pipe(
        Effect.flatMap((rows) => decoded(() => sums(rows[0]?.outflowSinceXof ?? []))),
        orUnavailable
      ),

    history: (query) => {
      if (!isUuid(query.accountId) || (query.beforeId !== null && !isUuid(query.beforeId))) return Effect.succeed([])
      if (query.limit <= 0 || (query.types !== null && query.types.length === 0)) return Effect.succeed([])
      return Effect.gen(function*() {
        const rows = yield* sql<EntryRow>`
          SELECT ${transactionCols}, p.amount_xof AS entry_amount_xof,
            (SELECT r.id FROM wallet.transactions r WHERE r.reverses_id = t.id) AS reversed_by_id,
            CASE WHEN t.type = 'transfer' THEN (
              SELECT a.owner_id FROM wallet.postings other JOIN wallet.accounts a ON a.id = other.account_id
              WHERE other.transaction_id = t.id AND other.account_id <> p.account_id AND a.kind = 'customer_wallet'
              ORDER BY other.position LIMIT 1
            ) END AS counterparty_user_id
          FROM wallet.postings p JOIN wallet.transactions t ON t.id = p.transaction_id
          WHERE p.account_id = ${query.accountId}
            ${query.beforeId === null ? sql`` : sql`AND p.transaction_id < ${query.beforeId}`}
            ${query.types === null ? sql`` : sql`AND t.type IN ${sql.in(query.types)}`}
          ORDER BY p.transaction_id DESC
          LIMIT ${Math.floor(query.limit)}`
        const transactions = yield* readTransactions(rows)
        return yield* decoded(() =>
          rows.map((row, index): AccountEntry => ({
            transaction: transactions[index]!,
            amountXof: toXof(row.entryAmountXof),
            counterpartyUserId: row.counterpartyUserId,
            reversedById: row.reversedById
          }))
        )
      }).pipe(orUnavailable)
    },

    setFreeze: (accountId, change) => {
      if (!isUuid(accountId)) return Effect.succeed(false)
      const freezing = "freeze" in change
      const details = freezing ? change.freeze : change.unfreeze
      return sql.withTransaction(Effect.gen(function*() {
        // Conditional: of two admins racing, the second finds it already in that state.
        const changed = freezing
          ? yield* sql`
            UPDATE wallet.accounts SET frozen_reason = ${details.reason}, frozen_by_kind = ${details.causedBy.kind},
              frozen_by_id = ${details.causedBy.id}, frozen_at = ${details.at}
            WHERE id = ${accountId} AND frozen_at IS NULL RETURNING id`
          : yield* sql`
            UPDATE wallet.accounts SET frozen_reason = NULL, frozen_by_kind = NULL, frozen_by_id = NULL, frozen_at = NULL,
              last_unfrozen_at = ${details.at}
            WHERE id = ${accountId} AND frozen_at IS NOT NULL RETURNING id`
        if (changed.length === 0) return false
        yield* sql`INSERT INTO wallet.freezes ${sql.insert({
          id: uuidV7(yield* Clock.currentTimeMillis),
          accountId,
          action: freezing ? "freeze" : "unfreeze",
          reason: details.reason,
          byKind: details.causedBy.kind,
          byId: details.causedBy.id,
          at: details.at
        })}`
        return true
      })).pipe(orUnavailable)
    },

    // Statements (issue 13). A period's entries of one account through its (account_id,
    // transaction_id) index, in id order (time order: ids are UUIDv7), the created_at range filtered
    // on the way: streamed from the server (the driver pauses the socket when the reader lags), each
    // row carrying its transaction's postings as arrays, so no second query per batch.
    entriesBetween: (query) => {
      if (!isUuid(query.accountId) || (query.afterId !== null && !isUuid(query.afterId))) return Stream.empty
      if (query.limit !== null && query.limit <= 0) return Stream.empty
      // Without the client's name transforms (columns aliased in camelCase here): renaming every
      // key of every row cost more than the query itself on a 100,000-line export.
      const raw = sql.withoutTransforms()
      const rows = raw<TransactionRow & { entryAmountXof: string; reversedById: string | null; postingAccounts: ReadonlyArray<string>; postingAmounts: ReadonlyArray<string> }>`
        SELECT t.id, t.type, t.idempotency_key AS "idempotencyKey", t.cause_kind AS "causeKind", t.cause_id AS "causeId",
          t.reverses_id AS "reversesId", t.note, t.reference, t.created_at AS "createdAt", p.amount_xof::text AS "entryAmountXof",
          (SELECT r.id FROM wallet.transactions r WHERE r.reverses_id = t.id) AS "reversedById",
          o.accounts AS "postingAccounts", o.amounts AS "postingAmounts"
        FROM wallet.postings p JOIN wallet.transactions t ON t.id = p.transaction_id
        CROSS JOIN LATERAL (
          SELECT array_agg(o.account_id::text ORDER BY o.position) AS accounts, array_agg(o.amount_xof::text ORDER BY o.position) AS amounts
          FROM wallet.postings o WHERE o.transaction_id = t.id
        ) o
        WHERE p.account_id = ${query.accountId} AND p.created_at >= ${query.from} AND p.created_at < ${query.to}
          ${query.afterId === null ? raw`` : raw`AND p.transaction_id > ${query.afterId}`}
        ORDER BY p.transaction_id
        ${query.limit === null ? raw`` : raw`LIMIT ${Math.floor(query.limit)}`}`
      // Decoded a chunk at a time (the driver hands rows over in batches): one effect per chunk, not per row.
      return (query.limit === null ? rows.stream : Stream.fromIterableEffect(rows)).pipe(
        Stream.mapArrayEffect((chunk) =>
          decoded(() => Arr.map(chunk, (row): AccountEntry => ({
            transaction: withAggregatedPostings(row),
            amountXof: toXof(row.entryAmountXof),
            counterpartyUserId: null,
            reversedById: row.reversedById
          })))
        ),
        Stream.mapError((failure) => failure instanceof LedgerUnavailable ? failure : unavailable(failure))
      )
    },

    sumsBetween: (query) =>
      !isUuid(query.accountId) || (query.throughId !== null && !isUuid(query.throughId)) ? Effect.succeed([]) : sql<{ type: string; inXof: string; outXof: string; count: number }>`
        SELECT t.type, coalesce(sum(p.amount_xof) FILTER (WHERE p.amount_xof > 0), 0)::text AS in_xof,
          coalesce(sum(p.amount_xof) FILTER (WHERE p.amount_xof < 0), 0)::text AS out_xof, count(*)::integer AS count
        FROM wallet.postings p JOIN wallet.transactions t ON t.id = p.transaction_id
        WHERE p.account_id = ${query.accountId} AND p.created_at >= ${query.from} AND p.created_at < ${query.to}
          ${query.throughId === null ? sql`` : sql`AND p.transaction_id <= ${query.throughId}`}
        GROUP BY t.type ORDER BY t.type`.pipe(
        Effect.flatMap((rows) => decoded(() => rows.map((row): TypeSums => ({ type: row.type as TransactionType, inXof: toXof(row.inXof), outXof: toXof(row.outXof), count: row.count })))),
        orUnavailable
      ),

    balanceBefore: (accountId, before) =>
      !isUuid(accountId) ? Effect.succeed(xof(0)) : sql<{ balanceXof: string }>`
        SELECT coalesce(sum(amount_xof), 0)::text AS balance_xof FROM wallet.postings WHERE account_id = ${accountId} AND created_at < ${before}`.pipe(
        Effect.flatMap((rows) => decoded(() => toXof(rows[0]?.balanceXof ?? "0"))),
        orUnavailable
      ),

    // One pass over the postings up to the instant (an admin's check, not a request's path).
    kindBalancesAt: (at) =>
      sql<{ kind: string; accounts: number; balanceXof: string }>`
        SELECT a.kind, count(*)::integer AS accounts, coalesce(sum(posted.sum), 0)::text AS balance_xof
        FROM wallet.accounts a
        LEFT JOIN (SELECT account_id, sum(amount_xof) AS sum FROM wallet.postings WHERE created_at <= ${at} GROUP BY account_id) posted ON posted.account_id = a.id
        GROUP BY a.kind ORDER BY a.kind`.pipe(
        Effect.flatMap((rows) => decoded(() => rows.map((row): KindBalance => ({ kind: row.kind as AccountKind, accounts: row.accounts, balanceXof: toXof(row.balanceXof) })))),
        orUnavailable
      ),

    transactionsBetween: (query) =>
      query.types.length === 0 ? Stream.empty : sql<TransactionRow & { postingAccounts: ReadonlyArray<string>; postingAmounts: ReadonlyArray<string> }>`
        SELECT ${transactionCols},
          (SELECT array_agg(o.account_id::text ORDER BY o.position) FROM wallet.postings o WHERE o.transaction_id = t.id) AS posting_accounts,
          (SELECT array_agg(o.amount_xof::text ORDER BY o.position) FROM wallet.postings o WHERE o.transaction_id = t.id) AS posting_amounts
        FROM wallet.transactions t
        WHERE t.type IN ${sql.in(query.types)} AND t.created_at >= ${query.from} AND t.created_at < ${query.to}
        ORDER BY t.id`.stream.pipe(
        Stream.mapEffect((row) =>
          decoded(() => withAggregatedPostings(row))
        ),
        Stream.mapError((failure) => failure instanceof LedgerUnavailable ? failure : unavailable(failure))
      ),

    facts: sql.withTransaction(Effect.gen(function*() {
      const accounts = yield* sql<AccountRow & { postedSumXof: string }>`
        SELECT ${sql.literal(accountColumns.split(", ").map((column) => `a.${column}`).join(", "))},
          coalesce(posted.sum, 0)::text AS posted_sum_xof
        FROM wallet.accounts a
        LEFT JOIN (SELECT account_id, sum(amount_xof) AS sum FROM wallet.postings GROUP BY account_id) posted ON posted.account_id = a.id
        ORDER BY a.id`
      const unbalanced = yield* sql<{ id: string; sumXof: string; postings: number }>`
        SELECT t.id, coalesce(sum(p.amount_xof), 0)::text AS sum_xof, count(p.account_id)::integer AS postings
        FROM wallet.transactions t LEFT JOIN wallet.postings p ON p.transaction_id = t.id
        GROUP BY t.id HAVING coalesce(sum(p.amount_xof), 0) <> 0 OR count(p.account_id) < 2
        ORDER BY t.id`
      const duplicates = yield* sql<{ idempotencyKey: string }>`
        SELECT idempotency_key FROM wallet.transactions GROUP BY idempotency_key HAVING count(*) > 1 ORDER BY idempotency_key`
      // A reversal is broken when it reverses nothing, reverses a transaction reversed more than
      // once, or its postings are not exactly the original's negated (each account appears once
      // per transaction, so two set differences decide equality).
      const broken = yield* sql<{ id: string }>`
        SELECT r.id FROM wallet.transactions r
        WHERE (r.type = 'reversal' OR r.reverses_id IS NOT NULL) AND (
          r.reverses_id IS NULL
          OR NOT EXISTS (SELECT 1 FROM wallet.transactions o WHERE o.id = r.reverses_id)
          OR (SELECT count(*) FROM wallet.transactions twice WHERE twice.reverses_id = r.reverses_id) > 1
          OR EXISTS (
            (SELECT account_id, amount_xof FROM wallet.postings WHERE transaction_id = r.id
             EXCEPT SELECT account_id, -amount_xof FROM wallet.postings WHERE transaction_id = r.reverses_id)
            UNION ALL
            (SELECT account_id, -amount_xof FROM wallet.postings WHERE transaction_id = r.reverses_id
             EXCEPT SELECT account_id, amount_xof FROM wallet.postings WHERE transaction_id = r.id)))
        ORDER BY r.id`
      const [count] = yield* sql<{ transactions: bigint }>`SELECT count(*) AS transactions FROM wallet.transactions`
      return yield* decoded((): LedgerFacts => ({
        accounts: accounts.map((row) => ({ account: toAccount(row), storedBalanceXof: toXof(row.balanceXof), postedSumXof: toXof(row.postedSumXof) })),
        unbalancedTransactions: unbalanced.map((row) => ({ id: row.id, sumXof: toXof(row.sumXof), postings: row.postings })),
        duplicateIdempotencyKeys: duplicates.map((row) => row.idempotencyKey),
        brokenReversals: broken.map((row) => row.id),
        transactionCount: toXof(count?.transactions ?? 0n)
      }))
    })).pipe(
      // One snapshot for every query: the audit compares numbers read at the same instant.
      Effect.provideService(SqlClient.BeginTransaction, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"),
      orUnavailable
    )
  })
}))
