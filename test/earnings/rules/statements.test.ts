import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Layer, Logger, Stream } from "effect"
import { TestClock } from "effect/testing"
import fc from "fast-check"
import { Earnings } from "@nelo/domain/earnings/Earnings"
import type { RefundResponsible } from "@nelo/domain/earnings/keys"
import { SettlementRecordStore } from "@nelo/domain/earnings/SettlementRecord"
import { type StatementLine, Statements } from "@nelo/domain/earnings/Statements"
import { statementPeriod } from "@nelo/domain/earnings/statementPeriod"
import type { UserId } from "@nelo/domain/users/User"
import { basisPoints, xof } from "@nelo/domain/shared/Xof"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import type { TransactionType } from "@nelo/domain/wallet/LedgerTransaction"
import { Wallet } from "@nelo/domain/wallet/Wallet"
import { IdGenerator } from "@nelo/domain/shared/IdGenerator"
import { onlineDriver, sendPosition } from "../../deliveries/dispatchFixtures.ts"
import { restaurant } from "../../orders/ordersFixtures.ts"
import { admin, aPromotion, confirmedAt, deliver, earningsContext, type OrderSpec } from "../earningsFixtures.ts"

// Statements on the memory adapters (issue 13, "Statements"): a generated month of orders (promotions
// funded by either party, commission overrides, cash and wallet, refunds before and after
// settlement, payouts and a payout that came back, an entry of another type) and the statements
// read over it must equal the ledger: every entry of the earnings account in the period, the
// totals its movements, the closing balance the account's.

const statementsContext = () => Statements.layer.pipe(Layer.provideMerge(earningsContext()))
const quiet = Logger.layer([])
const day = 86_400_000
/** The month generated: January 1970 from its 2nd (the TestClock starts at 0, Abidjan is UTC; the 1st holds what came before). */
const anAdmin = { userId: admin.userId as UserId, roles: admin.roles }
const month = { from: "1970-01-02", to: "1970-01-31" }

interface OrderPlan {
  readonly spec: OrderSpec
  readonly promotion: "none" | "provider" | "platform"
  readonly refundBefore: { readonly amountXof: number; readonly responsible: RefundResponsible } | null
  readonly refundAfter: { readonly amountXof: number; readonly responsible: RefundResponsible } | null
}

const refundPlan = fc.option(fc.record({ amountXof: fc.integer({ min: 1, max: 900 }), responsible: fc.constantFrom<RefundResponsible>("provider", "driver", "platform") }), { nil: null })
const orderPlan: fc.Arbitrary<OrderPlan> = fc.record({
  spec: fc.record({ garbas: fc.integer({ min: 1, max: 3 }), large: fc.boolean(), paymentMethod: fc.constantFrom<"wallet" | "cash">("wallet", "cash") }),
  promotion: fc.constantFrom<OrderPlan["promotion"]>("none", "provider", "platform"),
  refundBefore: refundPlan,
  refundAfter: refundPlan
})

/** Every line of a party's statement, page after page (the cursor), and the totals of the first page. */
const allPages = (read: (cursor: string | null) => Effect.Effect<{ readonly lines: ReadonlyArray<StatementLine>; readonly nextCursor: string | null; readonly totals: unknown }, unknown>) =>
  Effect.gen(function*() {
    const lines: Array<StatementLine> = []
    let cursor: string | null = null
    for (;;) {
      const page: { readonly lines: ReadonlyArray<StatementLine>; readonly nextCursor: string | null } = yield* read(cursor)
      lines.push(...page.lines)
      if (page.nextCursor === null) return lines
      cursor = page.nextCursor
    }
  })

/** A transaction of `type` between the party's earnings and NELO's payouts in flight: what the payouts and other flows will write. */
const postOther = (earningsAccountId: string, type: TransactionType, amountXof: number) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    const id = yield* (yield* IdGenerator).uuid
    const inFlight = yield* ledger.payoutsInFlight
    yield* ledger.post({
      transaction: {
        id,
        type,
        idempotencyKey: `statements-test:${id}`,
        postings: [{ accountId: earningsAccountId, amountXof: xof(amountXof) }, { accountId: inFlight.id, amountXof: xof(-amountXof) }],
        cause: { kind: "system", id: "statements-test" },
        reversesId: null,
        note: type === "payout" ? "Versement Wave" : "Compensation, espèces",
        reference: null,
        createdAt: new Date(yield* Clock.currentTimeMillis)
      }
    })
  })

/** Generates the month and checks every statement against the ledger. */
const monthChecked = (plans: ReadonlyArray<OrderPlan>) =>
  Effect.gen(function*() {
    const earnings = yield* Earnings
    const statements = yield* Statements
    const ledger = yield* Ledger
    const driver = yield* onlineDriver(300)
    const place = yield* restaurant()
    const owner = { userId: place.owner.userId as UserId, roles: place.owner.roles }
    const driverActor = { userId: driver.userId as UserId, roles: driver.roles }
    const providerPromotion = yield* aPromotion({ _tag: "PercentOff", basisPoints: basisPoints(1_000) }, "provider")
    const platformPromotion = yield* aPromotion({ _tag: "DeliveryOff", basisPoints: basisPoints(10_000) }, "platform")
    const providerEarnings = yield* ledger.providerEarningsOf(place.provider.id)
    const driverEarnings = yield* ledger.driverEarningsOf(driver.userId)

    // An entry before the month: in the opening balance, not in the lines.
    yield* postOther(providerEarnings.id, "cash_collection", 1_234)
    yield* TestClock.adjust(day)
    for (const [index, plan] of plans.entries()) {
      // Spread over the month, the last orders of its last day; overrides change the rates half-way.
      yield* TestClock.adjust(Math.floor((29 * day) / Math.max(1, plans.length)) - 60_000)
      if (index === Math.floor(plans.length / 2)) {
        yield* earnings.setRate(admin, { kind: "provider", id: place.provider.id }, basisPoints(1_200), null)
        yield* earnings.setRate(admin, { kind: "driver", id: driver.userId }, basisPoints(800), null)
      }
      yield* sendPosition(driver, 300)
      const promoCode = plan.promotion === "provider" ? providerPromotion.code : plan.promotion === "platform" ? platformPromotion.code : null
      const order = yield* deliver(yield* confirmedAt(place, { ...plan.spec, promoCode }), driver)
      const paid = order.paymentStatus === "paid" && order.totals.totalXof > 0
      let refunded = 0
      if (plan.refundBefore !== null && paid) {
        const amountXof = Math.min(plan.refundBefore.amountXof, order.totals.totalXof)
        yield* earnings.refund(admin, order.id, { amountXof: xof(amountXof), reason: "Plat manquant", responsible: plan.refundBefore.responsible, to: "wallet", idempotencyKey: crypto.randomUUID() })
        refunded = amountXof
      }
      yield* earnings.settle(order.id)
      if (plan.refundAfter !== null && paid && order.totals.totalXof - refunded > 0) {
        const amountXof = Math.min(plan.refundAfter.amountXof, order.totals.totalXof - refunded)
        yield* earnings.refund(admin, order.id, { amountXof: xof(amountXof), reason: "Plat froid", responsible: plan.refundAfter.responsible, to: "wallet", idempotencyKey: crypto.randomUUID() })
      }
      if (index % 7 === 6) {
        yield* postOther(providerEarnings.id, "payout", -1_500)
        yield* postOther(driverEarnings.id, "payout", -300)
      }
      if (index === 3) yield* postOther(providerEarnings.id, "cash_collection", -200) // cash netting, say
      if (index % 11 === 10) yield* postOther(providerEarnings.id, "payout", 1_500) // a payout that failed, back
      yield* TestClock.adjust(60_000)
    }
    // After the month: in neither the lines nor the closing balance.
    yield* TestClock.setTime(Date.UTC(1970, 1, 1, 0, 0, 1))
    yield* postOther(providerEarnings.id, "payout", -999)

    const period = statementPeriod(month)
    if (!("from" in period)) return assert.fail("the month is a period")
    for (const [party, account, actor] of [
      [{ kind: "provider", id: place.provider.id }, providerEarnings, owner],
      [{ kind: "driver", id: driver.userId }, driverEarnings, driverActor]
    ] as const) {
      const read = (cursor: string | null) =>
        party.kind === "provider"
          ? statements.providerStatement(party.id, { ...month, cursor, limit: 7 }, actor)
          : statements.driverStatement(party.id, { ...month, cursor, limit: 7 })
      const first = yield* read(null)
      const lines = yield* allPages(read)
      const exported = party.kind === "provider"
        ? yield* statements.providerStatementExport(party.id, month, actor)
        : yield* statements.driverStatementExport(party.id, month)
      assert.deepStrictEqual(yield* Stream.runCollect(exported.lines), lines, "the export is the pages, line for line")

      // The lines are the account's entries of the period, every type, in order.
      const entries = (yield* ledger.history({ accountId: account.id, beforeId: null, types: null, limit: 100_000 }))
        .filter((entry) => entry.transaction.createdAt >= period.from && entry.transaction.createdAt < period.to)
        .reverse()
      assert.deepStrictEqual(lines.map((line) => [line.transactionId, line.amountXof, line.type]), entries.map((entry) => [entry.transaction.id, entry.amountXof, entry.transaction.type]))
      const opening = yield* ledger.balanceBefore(account.id, period.from)
      const closing = yield* ledger.balanceBefore(account.id, period.to)
      const totals = first.totals
      assert.strictEqual(totals.openingBalanceXof, opening)
      if (party.kind === "provider") assert.strictEqual(opening, 1_234, "what came before the month opens it")
      assert.strictEqual(totals.closingBalanceXof, closing)
      assert.strictEqual(totals.closingBalanceXof, (yield* ledger.stateOf(account.id)).balanceXof - (party.kind === "provider" ? -999 : 0))
      assert.strictEqual(totals.lines, lines.length)
      assert.strictEqual(totals.closingBalanceXof, totals.openingBalanceXof + totals.netEarnedXof - totals.payoutsXof + totals.otherXof)
      // The running balance ends at the closing balance.
      assert.strictEqual(lines.at(-1)?.balanceXof ?? opening, closing)
      // Each settlement line: its figures explain its net; their sums are the totals.
      const settlements = lines.filter((line) => line.kind === "settlement")
      assert.strictEqual(settlements.length, totals.settledOrders)
      assert.strictEqual(settlements.length, plans.length, "every order settled in the month, each a line")
      if (plans.length >= 7) assert.isTrue(lines.some((line) => line.kind === "payout"), "payouts are lines")
      if (party.kind === "provider" && plans.length > 3) assert.isTrue(lines.some((line) => line.kind === "other"), "other types are lines")
      for (const line of settlements) assert.strictEqual(line.grossXof! - line.commissionXof! - line.discountXof! - line.refundsXof!, line.amountXof, `line ${line.reference}`)
      const sum = (pick: (line: StatementLine) => number) => lines.reduce((total, line) => total + pick(line), 0)
      assert.strictEqual(sum((line) => line.grossXof ?? 0), totals.grossXof)
      assert.strictEqual(sum((line) => line.commissionXof ?? 0), totals.commissionXof)
      assert.strictEqual(sum((line) => line.discountXof ?? 0), totals.discountXof)
      assert.strictEqual(totals.grossXof - totals.commissionXof - totals.discountXof - totals.refundsXof, totals.netEarnedXof)
      assert.strictEqual(sum((line) => line.kind === "payout" ? -line.amountXof : 0), totals.payoutsXof)
      assert.strictEqual(sum((line) => line.kind === "other" ? line.amountXof : 0), totals.otherXof)
      // Refund lines name their order and reference.
      for (const line of lines.filter((line) => line.kind === "refund")) assert.isString(line.orderId)
    }

    // The revenue report: the month's settlements, and the platform revenue's movement.
    const report = yield* statements.revenueReport(month, anAdmin)
    assert.lengthOf(report.days, 30)
    if (plans.length > 0) assert.isAbove(report.totals.orders, 0)
    const records = yield* Stream.runCollect((yield* SettlementRecordStore).between(period.from, period.to))
    assert.strictEqual(report.totals.orders, records.length)
    assert.strictEqual(report.totals.grossXof, records.reduce((sum, record) => sum + record.subtotalXof + record.deliveryFeeXof, 0))
    const revenue = yield* ledger.platformRevenue
    assert.strictEqual(report.totals.platformNetXof, (yield* ledger.balanceBefore(revenue.id, period.to)) - (yield* ledger.balanceBefore(revenue.id, period.from)))
    assert.strictEqual(report.days.reduce((sum, reportDay) => sum + reportDay.orders, 0), report.totals.orders)

    const trial = yield* statements.trialBalance()
    assert.strictEqual(trial.totalXof, 0)
    assert.deepStrictEqual((yield* Wallet.use((wallet) => wallet.audit)).differences, [])
  })

describe("statements", () => {
  it.effect("a generated month: statements equal the ledger (provider and driver, pages and export), the revenue report its settlements, the trial balance 0", () =>
    Effect.gen(function*() {
      const plans = fc.sample(fc.array(orderPlan, { minLength: 20, maxLength: 20 }), { numRuns: 1, seed: 13 })[0]!
      assert.isTrue(plans.some((plan) => plan.refundBefore !== null) && plans.some((plan) => plan.refundAfter !== null) && plans.some((plan) => plan.promotion !== "none"))
      yield* monthChecked(plans)
    }).pipe(Effect.provide(statementsContext()), Effect.provide(quiet)), 120_000)

  it.effect("property: any month of orders, promotions, overrides and refunds keeps the statements equal to the ledger", () =>
    Effect.gen(function*() {
      yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(fc.array(orderPlan, { minLength: 1, maxLength: 8 }), (plans) =>
            Effect.runPromise(monthChecked(plans).pipe(Effect.provide(statementsContext()), Effect.provide(quiet), Effect.provide(TestClock.layer())))),
          { numRuns: 5 }
        ))
    }), 180_000)

  it.effect("access: another provider's owner, a customer, a non-driver are not found; the report is for admins; bad periods and cursors are refused", () =>
    Effect.gen(function*() {
      const statements = yield* Statements
      const place = yield* restaurant()
      const other = yield* restaurant()
      const intruder = { userId: other.owner.userId as UserId, roles: other.owner.roles }
      const customerLike = { userId: place.owner.userId as UserId, roles: ["client" as const] }
      const page = { ...month, cursor: null, limit: 10 }
      assert.strictEqual((yield* Effect.flip(statements.providerStatement(place.provider.id, page, intruder)))._tag, "ProviderNotFound")
      assert.strictEqual((yield* Effect.flip(statements.providerStatementExport(place.provider.id, month, intruder)))._tag, "ProviderNotFound")
      assert.strictEqual((yield* Effect.flip(statements.providerStatement(place.provider.id, page, customerLike)))._tag, "ProviderNotFound")
      assert.strictEqual((yield* Effect.flip(statements.driverStatement(place.owner.userId, page)))._tag, "DriverNotRegistered")
      // An admin sees any provider's.
      assert.strictEqual((yield* statements.providerStatement(place.provider.id, page, anAdmin)).lines.length, 0)
      assert.strictEqual((yield* Effect.flip(statements.revenueReport(month, intruder)))._tag, "AdminRoleRequired")

      const owner = { userId: place.owner.userId as UserId, roles: place.owner.roles }
      const refusal = (input: { readonly from: string; readonly to: string }) =>
        Effect.map(Effect.flip(statements.providerStatement(place.provider.id, { ...input, cursor: null, limit: 10 }, owner)), (error) => error._tag === "StatementPeriodInvalid" ? [error.reason, error.field] : [error._tag])
      assert.deepStrictEqual(yield* refusal({ from: "2026-02-30", to: "2026-03-01" }), ["invalid_date", "from"])
      assert.deepStrictEqual(yield* refusal({ from: "2026-03-01", to: "2026-13-01" }), ["invalid_date", "to"])
      assert.deepStrictEqual(yield* refusal({ from: "2026-03-02", to: "2026-03-01" }), ["from_after_to", "to"])
      assert.deepStrictEqual(yield* refusal({ from: "2025-01-01", to: "2026-01-02" }), ["too_long", "to"])
      assert.strictEqual((yield* statements.providerStatement(place.provider.id, { from: "2025-01-01", to: "2026-01-01", cursor: null, limit: 10 }, owner)).lines.length, 0, "366 days pass")
      assert.strictEqual((yield* Effect.flip(statements.providerStatement(place.provider.id, { ...month, cursor: "nope", limit: 10 }, owner)))._tag, "StatementCursorInvalid")
      assert.strictEqual((yield* Effect.flip(statements.revenueReport({ from: "2026-03-02", to: "2026-03-01" }, anAdmin)))._tag, "StatementPeriodInvalid")
    }).pipe(Effect.provide(statementsContext()), Effect.provide(quiet)))

  it("a period is Abidjan's days, `to` included: [from 00:00, the day after to 00:00)", () => {
    const period = statementPeriod({ from: "2026-12-01", to: "2026-12-07" })
    assert.deepStrictEqual("from" in period ? [period.from.toISOString(), period.to.toISOString()] : period, ["2026-12-01T00:00:00.000Z", "2026-12-08T00:00:00.000Z"])
    const leap = statementPeriod({ from: "2024-02-29", to: "2024-02-29" })
    assert.isTrue("from" in leap)
  })
})
