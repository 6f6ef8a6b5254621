import { Context, Effect, Layer, Option, Stream } from "effect"
import { makeManagedProvider } from "../catalogue/providerAccess.ts"
import { DriverRepository } from "../deliveries/DriverRepository.ts"
import { DriverNotRegistered } from "../deliveries/errors.ts"
import { currentDate } from "../shared/currentDate.ts"
import { type Xof, xof } from "../shared/Xof.ts"
import type { Role, UserId } from "../users/User.ts"
import { requireAdmin } from "../users/setUserRoles.ts"
import { type Account, AccountKind } from "../wallet/Account.ts"
import { type AccountEntry, Ledger } from "../wallet/Ledger.ts"
import type { LedgerUnavailable } from "../wallet/errors.ts"
import type { TransactionType } from "../wallet/LedgerTransaction.ts"
import type { EarningsUnavailable } from "./errors.ts"
import { refundResponsibles } from "./keys.ts"
import { type SettlementRecord, SettlementRecordStore, type SettlementSums, type StatementParty } from "./SettlementRecord.ts"
import { StatementCursorInvalid, StatementPeriodInvalid } from "./statementErrors.ts"
import { abidjanDateOf, datesOf, maximumPeriodDays, type StatementPeriod, statementPeriod } from "./statementPeriod.ts"

/** Who asks: the authenticated user and their roles. */
export interface StatementActor {
  readonly userId: UserId
  readonly roles: ReadonlyArray<Role>
}

/** What a statement line is, from its ledger transaction: a settlement, a refund, a payout, or anything else by its type. */
export type StatementLineKind = "settlement" | "refund" | "payout" | "other"

/**
 * One entry of the party's earnings account. A settlement carries its order's figures for the party
 * (gross: the subtotal for a provider, the fee for a driver; commission; the discount it funded;
 * refunds charged before settlement; net: what was posted); other lines carry their amount only.
 * `balanceXof` is the account's balance just after the entry.
 */
export interface StatementLine {
  readonly transactionId: string
  readonly at: Date
  readonly type: TransactionType
  readonly kind: StatementLineKind
  readonly orderId: string | null
  readonly reference: string | null
  readonly grossXof: Xof | null
  readonly commissionXof: Xof | null
  readonly discountXof: Xof | null
  readonly refundsXof: Xof | null
  readonly amountXof: Xof
  readonly balanceXof: Xof
  readonly note: string | null
}

/**
 * A statement's totals over the period. gross, commission, discount and the refunds charged at
 * settlement come from the settlements' records; the rest from the ledger. They hold:
 * netEarned = gross − commission − discount − refunds (when every settlement has its record),
 * closing = opening + netEarned − payouts + other.
 */
export interface StatementTotals {
  readonly settledOrders: number
  readonly grossXof: Xof
  readonly commissionXof: Xof
  readonly discountXof: Xof
  /** Refunds charged to the party: at settlement (made before it) and after it (refund entries). */
  readonly refundsXof: Xof
  /** Settlements and refund entries on the account. */
  readonly netEarnedXof: Xof
  /** Paid out (payout entries, less payouts that failed and came back). */
  readonly payoutsXof: Xof
  /** Every other entry (cash netting, reversals...), summed. */
  readonly otherXof: Xof
  readonly openingBalanceXof: Xof
  readonly closingBalanceXof: Xof
  readonly lines: number
}

export interface StatementPage {
  readonly party: StatementParty
  readonly period: StatementPeriod
  readonly totals: StatementTotals
  readonly lines: ReadonlyArray<StatementLine>
  /** The last line's transaction id when more lines follow. */
  readonly nextCursor: string | null
}

export interface StatementExport {
  readonly party: StatementParty
  readonly period: StatementPeriod
  /** Every line of the period, in order, read as it is consumed (bounded memory). */
  readonly lines: Stream.Stream<StatementLine, LedgerUnavailable | EarningsUnavailable>
}

/** One Abidjan day of the revenue report. */
export interface RevenueDay {
  readonly date: string
  /** Orders settled that day. */
  readonly orders: number
  /** Their subtotals and delivery fees. */
  readonly grossXof: Xof
  readonly providerCommissionXof: Xof
  readonly driverCommissionXof: Xof
  /** Admin refunds of delivered orders made that day (before or after their settlement). */
  readonly refundsXof: Xof
  readonly providerFundedDiscountXof: Xof
  readonly platformFundedDiscountXof: Xof
  /** The platform revenue account's movement that day. */
  readonly platformNetXof: Xof
}

export interface RevenueReport {
  readonly period: StatementPeriod
  readonly days: ReadonlyArray<RevenueDay>
  readonly totals: Omit<RevenueDay, "date">
}

export interface TrialBalance {
  readonly at: Date
  /** Every kind of account, 0 for a kind without accounts. */
  readonly kinds: ReadonlyArray<{ readonly kind: AccountKind; readonly accounts: number; readonly balanceXof: Xof }>
  readonly totalXof: Xof
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu

/** The order a settlement or an admin refund is about, from its key (keys.ts). */
const orderIdOf = (key: string): string | null => {
  const match = /^order-(?:settlement|refund):([0-9a-fA-F-]{36})(?::|$)/u.exec(key)
  return match === null ? null : match[1]!
}

const adminRefundPattern = new RegExp(`^order-refund:[0-9a-fA-F-]{36}:\\d+:(?:${refundResponsibles.join("|")})$`, "u")

const kindOf = (entry: AccountEntry): StatementLineKind =>
  entry.transaction.type === "commission" && entry.transaction.idempotencyKey.startsWith("order-settlement:")
    ? "settlement"
    : entry.transaction.type === "refund"
    ? "refund"
    : entry.transaction.type === "payout"
    ? "payout"
    : "other"

/** A line of the party's statement from its ledger entry, its settlement's record (if a settlement) and the balance after it. */
export const statementLine = (party: StatementParty, entry: AccountEntry, record: SettlementRecord | undefined, balanceXof: Xof): StatementLine => {
  const kind = kindOf(entry)
  const detailed = kind === "settlement" && record !== undefined
  const provider = party.kind === "provider"
  return {
    transactionId: entry.transaction.id,
    at: entry.transaction.createdAt,
    type: entry.transaction.type,
    kind,
    orderId: kind === "settlement" || kind === "refund" ? orderIdOf(entry.transaction.idempotencyKey) : null,
    reference: entry.transaction.reference,
    grossXof: !detailed ? null : provider ? record.subtotalXof : record.deliveryFeeXof,
    commissionXof: !detailed ? null : provider ? record.providerCommissionXof : record.driverCommissionXof,
    discountXof: !detailed ? null : provider && record.discountFundedBy === "provider" ? record.discountXof : xof(0),
    refundsXof: !detailed ? null : provider ? record.providerRefundsXof : record.driverRefundsXof,
    amountXof: entry.amountXof,
    balanceXof,
    note: entry.transaction.note
  }
}

const sumOf = (values: ReadonlyArray<number>) => xof(values.reduce((sum, value) => sum + value, 0))

/** Lines enriched a batch at a time (one read of records per batch), with the running balance from `openingXof`. */
const linesOf = <E>(party: StatementParty, entries: Stream.Stream<AccountEntry, E>, openingXof: Xof, records: SettlementRecordStore["Service"]) =>
  entries.pipe(
    Stream.rechunk(500),
    Stream.mapArrayEffect((batch) =>
      Effect.map(
        records.byTransactionIds(batch.filter((entry) => kindOf(entry) === "settlement").map((entry) => entry.transaction.id)),
        (found) => batch.map((entry) => [entry, found.get(entry.transaction.id)] as const) as unknown as readonly [readonly [AccountEntry, SettlementRecord | undefined], ...Array<readonly [AccountEntry, SettlementRecord | undefined]>]
      )
    ),
    Stream.mapAccum(() => openingXof as number, (balance, [entry, record]) => {
      const after = balance + entry.amountXof
      return [after, [statementLine(party, entry, record, xof(after))]] as const
    })
  )

const makeStatements = Effect.gen(function*() {
  const ledger = yield* Ledger
  const records = yield* SettlementRecordStore
  const drivers = yield* DriverRepository
  const managedProvider = yield* makeManagedProvider

  const periodOf = (input: { readonly from: string; readonly to: string }) => {
    const period = statementPeriod(input)
    return period instanceof StatementPeriodInvalid ? Effect.fail(period) : Effect.succeed(period)
  }

  /** A provider's earnings account, for an actor who manages it (another's provider is not found, as one that does not exist). */
  const providerAccount = (providerId: string, actor: StatementActor) => Effect.andThen(managedProvider(actor, providerId), ledger.providerEarningsOf(providerId))
  /** A driver's earnings account; someone who is not a driver has none. */
  const driverAccount = (driverId: string) =>
    Effect.gen(function*() {
      if (Option.isNone(yield* drivers.findById(driverId))) return yield* new DriverNotRegistered()
      return yield* ledger.driverEarningsOf(driverId)
    })

  const totalsOf = Effect.fn("Statements.totals")(function*(party: StatementParty, accountId: string, period: StatementPeriod) {
    const [sums, byType, openingBalanceXof] = yield* Effect.all([
      records.sumsOf(party, period.from, period.to),
      ledger.sumsBetween({ accountId, from: period.from, to: period.to, throughId: null }),
      ledger.balanceBefore(accountId, period.from)
    ], { concurrency: "unbounded" })
    return statementTotals(party, sums, byType, openingBalanceXof)
  })

  const statement = Effect.fn("Statements.statement")(function*<E>(
    party: StatementParty,
    input: { readonly from: string; readonly to: string; readonly cursor: string | null; readonly limit: number },
    accountOf: Effect.Effect<Account, E>
  ) {
    const period = yield* periodOf(input)
    if (input.cursor !== null && !uuidPattern.test(input.cursor)) return yield* new StatementCursorInvalid()
    const account = yield* accountOf
    const limit = Math.max(1, Math.floor(input.limit))
    const [totals, pageOpeningXof, entries] = yield* Effect.all([
      totalsOf(party, account.id, period),
      // The balance before the page's first line: before the period, plus the period's lines up to the cursor.
      input.cursor === null
        ? ledger.balanceBefore(account.id, period.from)
        : Effect.map(
          Effect.all([ledger.balanceBefore(account.id, period.from), ledger.sumsBetween({ accountId: account.id, from: period.from, to: period.to, throughId: input.cursor })]),
          ([before, sums]) => xof(before + sumOf(sums.map((sum) => sum.inXof + sum.outXof)))
        ),
      Stream.runCollect(ledger.entriesBetween({ accountId: account.id, from: period.from, to: period.to, afterId: input.cursor, limit: limit + 1 }))
    ], { concurrency: "unbounded" })
    const page = entries.slice(0, limit)
    const lines = yield* Stream.runCollect(linesOf(party, Stream.fromIterable(page), pageOpeningXof, records))
    return { party, period, totals, lines, nextCursor: entries.length > limit ? page.at(-1)!.transaction.id : null } satisfies StatementPage
  })

  const exportOf = Effect.fn("Statements.export")(function*<E>(party: StatementParty, input: { readonly from: string; readonly to: string }, accountOf: Effect.Effect<Account, E>) {
    const period = yield* periodOf(input)
    const account = yield* accountOf
    const lines = Stream.unwrap(Effect.map(
      ledger.balanceBefore(account.id, period.from),
      (openingXof) => linesOf(party, ledger.entriesBetween({ accountId: account.id, from: period.from, to: period.to, afterId: null, limit: null }), openingXof, records)
    ))
    return { party, period, lines } satisfies StatementExport
  })

  return {
    /** A provider's statement (its owner, a manager, an admin): totals and a page of lines. Another's provider is not found. */
    providerStatement: (providerId: string, input: { readonly from: string; readonly to: string; readonly cursor: string | null; readonly limit: number }, actor: StatementActor) =>
      statement({ kind: "provider", id: providerId }, input, providerAccount(providerId, actor)),
    /** A driver's own statement: the caller is the driver (`driverId` is the authenticated user). */
    driverStatement: (driverId: string, input: { readonly from: string; readonly to: string; readonly cursor: string | null; readonly limit: number }) =>
      statement({ kind: "driver", id: driverId }, input, driverAccount(driverId)),
    /** The whole period's lines, streamed (CSV). Access and period are checked before the stream is given. */
    providerStatementExport: (providerId: string, input: { readonly from: string; readonly to: string }, actor: StatementActor) =>
      exportOf({ kind: "provider", id: providerId }, input, providerAccount(providerId, actor)),
    /** A driver's own statement, streamed: the caller is the driver (`driverId` is the authenticated user). */
    driverStatementExport: (driverId: string, input: { readonly from: string; readonly to: string }) => exportOf({ kind: "driver", id: driverId }, input, driverAccount(driverId)),

    /** Per Abidjan day of the period: orders settled, gross, commissions, refunds, discounts by funder, platform net. Admins only. */
    revenueReport: Effect.fn("Statements.revenueReport")(function*(input: { readonly from: string; readonly to: string }, admin: StatementActor) {
      yield* requireAdmin(admin)
      const period = yield* periodOf(input)
      const days = new Map<string, typeof emptyDay>(datesOf(period).map((date) => [date, { ...emptyDay, date }]))
      const dayOf = (at: Date) => days.get(abidjanDateOf(at))
      yield* Stream.runForEach(records.between(period.from, period.to), (record) =>
        Effect.sync(() => {
          const day = dayOf(record.settledAt)
          if (day === undefined) return
          day.orders++
          day.grossXof += record.subtotalXof + record.deliveryFeeXof
          day.providerCommissionXof += record.providerCommissionXof
          day.driverCommissionXof += record.driverCommissionXof
          if (record.discountFundedBy === "provider") day.providerFundedDiscountXof += record.discountXof
          if (record.discountFundedBy === "platform") day.platformFundedDiscountXof += record.discountXof
        }))
      yield* Stream.runForEach(ledger.transactionsBetween({ from: period.from, to: period.to, types: ["refund"] }), (transaction) =>
        Effect.sync(() => {
          const day = dayOf(transaction.createdAt)
          if (day === undefined || !adminRefundPattern.test(transaction.idempotencyKey)) return
          day.refundsXof += transaction.postings.reduce((sum, posting) => posting.amountXof > 0 ? sum + posting.amountXof : sum, 0)
        }))
      const revenue = yield* ledger.platformRevenue
      yield* Stream.runForEach(ledger.entriesBetween({ accountId: revenue.id, from: period.from, to: period.to, afterId: null, limit: null }), (entry) =>
        Effect.sync(() => {
          const day = dayOf(entry.transaction.createdAt)
          if (day !== undefined) day.platformNetXof += entry.amountXof
        }))
      const list = [...days.values()].map((day): RevenueDay => ({
        date: day.date,
        orders: day.orders,
        grossXof: xof(day.grossXof),
        providerCommissionXof: xof(day.providerCommissionXof),
        driverCommissionXof: xof(day.driverCommissionXof),
        refundsXof: xof(day.refundsXof),
        providerFundedDiscountXof: xof(day.providerFundedDiscountXof),
        platformFundedDiscountXof: xof(day.platformFundedDiscountXof),
        platformNetXof: xof(day.platformNetXof)
      }))
      const total = (pick: (day: RevenueDay) => number) => list.reduce((sum, day) => sum + pick(day), 0)
      return {
        period,
        days: list,
        totals: {
          orders: total((day) => day.orders),
          grossXof: xof(total((day) => day.grossXof)),
          providerCommissionXof: xof(total((day) => day.providerCommissionXof)),
          driverCommissionXof: xof(total((day) => day.driverCommissionXof)),
          refundsXof: xof(total((day) => day.refundsXof)),
          providerFundedDiscountXof: xof(total((day) => day.providerFundedDiscountXof)),
          platformFundedDiscountXof: xof(total((day) => day.platformFundedDiscountXof)),
          platformNetXof: xof(total((day) => day.platformNetXof))
        }
      } satisfies RevenueReport
    }),

    /** Every kind's balance at `at` (now when absent): the postings created at or before it. Balanced, the total is 0. */
    trialBalance: Effect.fn("Statements.trialBalance")(function*(options: { readonly at?: Date | undefined } = {}) {
      const at = options.at ?? (yield* currentDate)
      const found = new Map((yield* ledger.kindBalancesAt(at)).map((balance) => [balance.kind, balance] as const))
      const kinds = AccountKind.literals.map((kind) => found.get(kind) ?? { kind, accounts: 0, balanceXof: xof(0) })
      return { at, kinds, totalXof: sumOf(kinds.map((kind) => kind.balanceXof)) } satisfies TrialBalance
    })
  }
})

const emptyDay = {
  date: "",
  orders: 0,
  grossXof: 0,
  providerCommissionXof: 0,
  driverCommissionXof: 0,
  refundsXof: 0,
  providerFundedDiscountXof: 0,
  platformFundedDiscountXof: 0,
  platformNetXof: 0
}

/** The totals from the records' sums, the ledger's per-type sums of the period, and the balance before it. */
export const statementTotals = (
  party: StatementParty,
  sums: SettlementSums,
  byType: ReadonlyArray<{ readonly type: TransactionType; readonly inXof: Xof; readonly outXof: Xof; readonly count: number }>,
  openingBalanceXof: Xof
): StatementTotals => {
  const net = (types: ReadonlyArray<TransactionType> | null, exclude: ReadonlyArray<TransactionType> = []) =>
    sumOf(byType.filter((sum) => (types === null || types.includes(sum.type)) && !exclude.includes(sum.type)).map((sum) => sum.inXof + sum.outXof))
  const provider = party.kind === "provider"
  const refundEntries = net(["refund"])
  const atSettlement = provider ? sums.providerRefundsXof : sums.driverRefundsXof
  const movement = net(null)
  return {
    settledOrders: sums.count,
    grossXof: provider ? sums.subtotalXof : sums.deliveryFeeXof,
    commissionXof: provider ? sums.providerCommissionXof : sums.driverCommissionXof,
    discountXof: provider ? sums.providerFundedDiscountXof : xof(0),
    refundsXof: xof(atSettlement - refundEntries),
    netEarnedXof: xof(net(["commission"]) + refundEntries),
    payoutsXof: xof(0 - net(["payout"])),
    otherXof: net(null, ["commission", "refund", "payout"]),
    openingBalanceXof,
    closingBalanceXof: xof(openingBalanceXof + movement),
    lines: byType.reduce((count, sum) => count + sum.count, 0)
  }
}

/** Statements (issue 13): providers' and drivers' earnings statements, the revenue report, the trial balance. */
export class Statements extends Context.Service<Statements>()("nelo/earnings/Statements", { make: makeStatements }) {
  static readonly layer = Layer.effect(Statements, Statements.make)
}

export { maximumPeriodDays }
