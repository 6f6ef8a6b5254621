import { Context, Effect, Layer, Option, Schema } from "effect"
import { DriverNotRegistered } from "../deliveries/errors.ts"
import { DriverPolicy } from "../deliveries/DriverPolicy.ts"
import { DriverRepository } from "../deliveries/DriverRepository.ts"
import { OutboxStore } from "../events/OutboxStore.ts"
import { makeNoticeEvents } from "../notifications/noticeEvents.ts"
import { currentDate } from "../shared/currentDate.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import type { Phone } from "../shared/Phone.ts"
import { Transactional } from "../shared/Transactional.ts"
import { type Xof, xof } from "../shared/Xof.ts"
import type { UserId } from "../users/User.ts"
import { UserRepository } from "../users/UserRepository.ts"
import { requireAdmin } from "../users/setUserRoles.ts"
import { Ledger } from "../wallet/Ledger.ts"
import type { LedgerTransaction } from "../wallet/LedgerTransaction.ts"
import { abidjanDay, overdueAlertBody } from "./cashAlert.ts"
import { CashAlertLog } from "./CashAlertLog.ts"
import { type Remittance, RemittanceReference, type RemittanceVia, remittanceKey } from "./cashRemittance.ts"
import { DriverCashPolicy } from "./DriverCashPolicy.ts"
import { RemittanceAmountInvalid, RemittanceExceedsHeld, RemittanceReferenceInvalid, RemittanceReferenceReused } from "./driverCashErrors.ts"
import type { EarningsAdmin } from "./Earnings.ts"
import { type Collection, oldestUnremitted, shortfallOf } from "./unremittedCash.ts"

/** A remittance as an admin enters it. */
export interface RemitCommand {
  readonly driverId: string
  /** Whole francs, more than 0, at most what the driver holds. */
  readonly amountXof: number
  /** The office receipt's number, the Wave transaction's id: names this remittance for the driver. */
  readonly reference: string
  readonly via: RemittanceVia
  readonly note?: string | null | undefined
}

/** One driver holding cash for NELO, as the report shows him. */
export interface CashReportLine {
  readonly driverId: string
  /** "?" and null for an account the users' store no longer knows (never expected). */
  readonly fullName: string
  readonly phone: Phone | null
  /** What he holds for NELO (his cash in hand negated), more than 0. */
  readonly cashHeldXof: Xof
  /** The cap of the deliveries' DriverPolicy. */
  readonly capXof: Xof
  /** At or over the cap: he takes no cash order and cannot go online until he remits. */
  readonly overCap: boolean
  /** When he collected the oldest cash he still holds (first in, first out: see unremittedCash.ts). */
  readonly oldestUnremittedAt: Date | null
  /** How long ago that was, at the report's instant. */
  readonly ageMs: number | null
  /** What NELO owes him (his earnings balance; may be negative). */
  readonly earningsXof: Xof
  /** The cash he owes that his earnings would not cover (shortfallOf): what must come from his pocket. */
  readonly shortfallXof: Xof
}

export interface CashReport {
  readonly at: Date
  readonly capXof: Xof
  /** Cash held longer than this is overdue (DriverCashPolicy). */
  readonly maximumAgeMs: number
  /** Longest held first (the oldest collection), then the most held. */
  readonly drivers: ReadonlyArray<CashReportLine>
  /** What all the drivers listed hold. */
  readonly totalHeldXof: Xof
}

/**
 * sent: the day's SMS written to the outbox. already_done: the day's alert was run before (nothing
 * sent). nothing_overdue: nobody to tell about (the day is recorded all the same). no_recipients:
 * drivers overdue, but no alert phone configured (logged as a warning; the day recorded).
 */
export interface CashAlertOutcome {
  readonly day: string
  readonly outcome: "sent" | "already_done" | "nothing_overdue" | "no_recipients"
  readonly drivers: number
  readonly recipients: number
}

// A driver's cash-in-hand history read back a page at a time, newest first, only as far as needed.
const historyPage = 100

const isReference = Schema.is(RemittanceReference)

const makeDriverCash = Effect.gen(function*() {
  const ledger = yield* Ledger
  const drivers = yield* DriverRepository
  const users = yield* UserRepository
  const driverPolicy = yield* DriverPolicy
  const policy = yield* DriverCashPolicy
  const alertLog = yield* CashAlertLog
  const outbox = yield* OutboxStore
  const transactional = yield* Transactional
  const ids = yield* IdGenerator
  const noticeEvents = yield* makeNoticeEvents

  /** The remittance a transaction records, seen from the driver's cash in hand. */
  const remittanceOf = (transaction: LedgerTransaction, driverId: string, cashInHandId: string, officeCashId: string, cashHeldXof: Xof, replayed: boolean): Remittance => ({
    transactionId: transaction.id,
    driverId,
    amountXof: transaction.postings.find((posting) => posting.accountId === cashInHandId)?.amountXof ?? xof(0),
    reference: transaction.reference ?? "",
    via: transaction.postings.some((posting) => posting.accountId === officeCashId) ? "office" : "wave",
    note: transaction.note,
    recordedBy: transaction.cause.id,
    createdAt: transaction.createdAt,
    cashHeldXof,
    replayed
  })

  const heldBy = (driverId: string) => Effect.map(ledger.cashHeldBy([driverId]), (held) => held.get(driverId) ?? xof(0))

  /**
   * An admin records cash a driver handed in (at the office, or sent by Wave): one ledger
   * transaction (cash_collection) moving his cash in hand up by the amount, against the office's
   * cash or Wave's clearing, keyed on the driver and the reference. Entered again with the same
   * amount and way, it answers the remittance recorded (replayed); with another, it is refused.
   * Never more than he holds: checked under the lock of his cash in hand, so two remittances at
   * once cannot pass it together.
   */
  const remit = Effect.fn("DriverCash.remit")(function*(command: RemitCommand, admin: EarningsAdmin) {
    yield* requireAdmin(admin)
    if (!Number.isSafeInteger(command.amountXof) || command.amountXof <= 0) return yield* new RemittanceAmountInvalid({ amountXof: command.amountXof })
    if (!isReference(command.reference)) return yield* new RemittanceReferenceInvalid({})
    const driver = yield* drivers.findById(command.driverId)
    if (Option.isNone(driver)) return yield* new DriverNotRegistered()
    const driverId = driver.value.userId
    const [cashInHand, officeCash, waveClearing] = yield* Effect.all([ledger.cashInHandOf(driverId), ledger.officeCash, ledger.clearingOf("wave")])
    const amountXof = xof(command.amountXof)

    /** A remittance written before under this key: the same one (replayed), or a reference reused. */
    const recorded = (transaction: LedgerTransaction) =>
      Effect.gen(function*() {
        const remittance = remittanceOf(transaction, driverId, cashInHand.id, officeCash.id, yield* heldBy(driverId), true)
        if (remittance.amountXof !== amountXof || remittance.via !== command.via) {
          return yield* new RemittanceReferenceReused({ reference: command.reference, recordedXof: remittance.amountXof, recordedVia: remittance.via })
        }
        return remittance
      })

    const key = remittanceKey(driverId, command.reference)
    const before = yield* ledger.findByKey(key)
    if (Option.isSome(before)) return yield* recorded(before.value)

    const counterpart = command.via === "office" ? officeCash : waveClearing
    const posted = yield* ledger.post({
      transaction: {
        id: yield* ids.uuid,
        type: "cash_collection",
        idempotencyKey: key,
        postings: [
          { accountId: cashInHand.id, amountXof },
          { accountId: counterpart.id, amountXof: xof(0 - amountXof) }
        ],
        cause: { kind: "admin", id: admin.userId },
        reversesId: null,
        note: command.note ?? null,
        reference: command.reference,
        createdAt: yield* currentDate
      },
      guard: (state) => {
        // Subtracted from 0, not negated: a zero balance holds 0, not -0.
        const heldXof = 0 - (state.accounts.get(cashInHand.id)?.balanceXof ?? 0)
        return amountXof > heldXof ? new RemittanceExceedsHeld({ heldXof: Math.max(0, heldXof) }) : undefined
      }
    }).pipe(
      Effect.catchTags({
        // Neither account has a floor; their balances are sums of safe amounts.
        InsufficientFunds: Effect.die,
        BalanceOutOfRange: Effect.die
      })
    )
    // The same key written meanwhile by a concurrent entry of the same remittance.
    if (posted.replayed) return yield* recorded(posted.transaction)
    const remittance = remittanceOf(posted.transaction, driverId, cashInHand.id, officeCash.id, yield* heldBy(driverId), false)
    yield* Effect.logInfo("driver cash remitted").pipe(Effect.annotateLogs({ driverId, amountXof, via: command.via, reference: command.reference, cashHeldXof: remittance.cashHeldXof }))
    return remittance
  })

  /** The oldest collection a driver still holds, his history read back from the newest only as far as it takes. */
  const oldestHeldAt = (driverId: string, heldXof: number) =>
    Effect.gen(function*() {
      const account = yield* ledger.cashInHandOf(driverId)
      const collections: Array<Collection> = []
      let coveredXof = 0
      let beforeId: string | null = null
      while (coveredXof < heldXof) {
        const page: ReadonlyArray<{ readonly transaction: LedgerTransaction; readonly amountXof: Xof; readonly reversedById: string | null }> = yield* ledger.history({
          accountId: account.id,
          beforeId,
          types: ["cash_collection"],
          limit: historyPage
        })
        for (const entry of page) {
          // Collections only (remittances come in positive); one reversed since is no longer held.
          if (entry.amountXof >= 0 || entry.reversedById !== null) continue
          collections.push({ amountXof: 0 - entry.amountXof, at: entry.transaction.createdAt })
          coveredXof -= entry.amountXof
        }
        if (page.length < historyPage) break
        beforeId = page.at(-1)!.transaction.id
      }
      return oldestUnremitted(heldXof, collections)
    })

  const reportAt = (at: Date, olderThanMs: number | null) =>
    Effect.gen(function*() {
      const holding = (yield* ledger.driverCashBalances).filter((balance) => balance.cashInHandXof < 0)
      const people = new Map((yield* users.findByIds(holding.map((balance) => balance.driverId as UserId))).map((user) => [user.id as string, user]))
      const lines = yield* Effect.forEach(holding, (balance) =>
        Effect.gen(function*(): Effect.fn.Return<CashReportLine, Effect.Error<ReturnType<typeof oldestHeldAt>>> {
          const cashHeldXof = xof(0 - balance.cashInHandXof)
          const oldest = yield* oldestHeldAt(balance.driverId, cashHeldXof)
          const person = people.get(balance.driverId)
          return {
            driverId: balance.driverId,
            fullName: person?.fullName ?? "?",
            phone: person?.phone ?? null,
            cashHeldXof,
            capXof: driverPolicy.cashInHandCapXof,
            overCap: cashHeldXof >= driverPolicy.cashInHandCapXof,
            oldestUnremittedAt: oldest,
            ageMs: oldest === null ? null : Math.max(0, at.getTime() - oldest.getTime()),
            earningsXof: balance.earningsXof,
            shortfallXof: xof(shortfallOf(cashHeldXof, balance.earningsXof))
          }
        }), { concurrency: 4 })
      const listed = lines
        .filter((line) => olderThanMs === null || (line.ageMs !== null && line.ageMs >= olderThanMs))
        .sort((left, right) => (right.ageMs ?? -1) - (left.ageMs ?? -1) || right.cashHeldXof - left.cashHeldXof || (left.driverId < right.driverId ? -1 : 1))
      return {
        at,
        capXof: driverPolicy.cashInHandCapXof,
        maximumAgeMs: policy.maximumAgeMs,
        drivers: listed,
        totalHeldXof: xof(listed.reduce((sum, line) => sum + line.cashHeldXof, 0))
      } satisfies CashReport
    })

  /**
   * Every driver holding cash for NELO now: how much, since when (the oldest collection not yet
   * remitted), the cap and whether it is reached, his earnings and the shortfall. With
   * `olderThanMs`, only those whose oldest unremitted collection is at least that old.
   */
  const report = Effect.fn("DriverCash.report")(function*(query: { readonly olderThanMs?: number | null | undefined } = {}) {
    return yield* reportAt(yield* currentDate, query.olderThanMs ?? null)
  })

  return {
    remit,

    report,

    /** The report, for an admin (the API): the admin role checked first. */
    reportFor: Effect.fn("DriverCash.reportFor")(function*(admin: EarningsAdmin, query: { readonly olderThanMs?: number | null | undefined } = {}) {
      yield* requireAdmin(admin)
      return yield* report(query)
    }),

    /**
     * The daily job: the admins' alert phones get one SMS naming every driver at or over the cap
     * or holding cash longer than `maximumAgeMs`, through the outbox. Once per Abidjan day: the
     * day is recorded with the SMS in one transaction, and a second run that day sends nothing.
     */
    alertOverdue: Effect.fn("DriverCash.alertOverdue")(function*() {
      const at = yield* currentDate
      const day = abidjanDay(at.getTime())
      const overdue = (yield* reportAt(at, null)).drivers.filter((line) => line.overCap || (line.ageMs !== null && line.ageMs >= policy.maximumAgeMs))
      const outcome = yield* transactional.run(Effect.gen(function*(): Effect.fn.Return<CashAlertOutcome, Effect.Error<ReturnType<typeof outbox.append>> | Effect.Error<ReturnType<typeof alertLog.claimDay>>> {
        if (!(yield* alertLog.claimDay(day, at, overdue.length))) return { day, outcome: "already_done", drivers: overdue.length, recipients: 0 }
        if (overdue.length === 0) return { day, outcome: "nothing_overdue", drivers: 0, recipients: 0 }
        if (policy.alertPhones.length === 0) return { day, outcome: "no_recipients", drivers: overdue.length, recipients: 0 }
        const body = overdueAlertBody(overdue)
        const events = yield* noticeEvents(
          { aggregateType: "driver_cash", aggregateId: `cash-alert:${day}`, at, data: { day } },
          policy.alertPhones.map((phone) => ({ person: { id: "admin" as UserId, phone }, via: "sms" as const, title: "Espèces des livreurs", body }))
        )
        yield* outbox.append(events)
        return { day, outcome: "sent", drivers: overdue.length, recipients: policy.alertPhones.length }
      }))
      if (outcome.outcome === "no_recipients") {
        yield* Effect.logWarning("drivers hold cash overdue but no alert phone is configured (EARNINGS_CASH_ALERT_PHONES)").pipe(Effect.annotateLogs({ drivers: outcome.drivers }))
      } else if (outcome.outcome === "sent") {
        yield* Effect.logInfo("drivers' cash alert sent").pipe(Effect.annotateLogs({ day, drivers: outcome.drivers, recipients: outcome.recipients }))
      }
      return outcome
    })
  }
})

/**
 * The drivers' cash (issue 13, "Driver cash"): what drivers collected at doors and still hold for
 * NELO (their cash in hand), handed in at the office or by Wave (remit), followed up (report) and
 * chased once a day (alertOverdue). The cap on what a driver may hold is the deliveries' rule
 * (DriverPolicy.cashInHandCapXof, checked by matching and on going online): a remittance bringing
 * him under it is what unblocks him, nothing else to do.
 */
export class DriverCash extends Context.Service<DriverCash>()("nelo/earnings/DriverCash", { make: makeDriverCash }) {
  static readonly layer = Layer.effect(DriverCash, DriverCash.make)
}
