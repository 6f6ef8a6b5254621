import { Schema } from "effect"
import type { RevenueDay, RevenueReport, StatementLine, StatementPage, StatementTotals } from "@nelo/domain/earnings/Statements"
import { TransactionType } from "@nelo/domain/wallet/LedgerTransaction"
import { csvRow as csvLine } from "@nelo/adapters/presentation/csvField"
import { Francs, Id, Instant, IntBetween, Text } from "../shared/bounded.ts"

const Count = IntBetween(0, Number.MAX_SAFE_INTEGER)
const CalendarDate = Text(10)

export const StatementTotalsView = Schema.Struct({
  settledOrders: Count,
  grossXof: Francs,
  commissionXof: Francs,
  discountXof: Francs,
  refundsXof: Francs,
  netEarnedXof: Francs,
  payoutsXof: Francs,
  otherXof: Francs,
  openingBalanceXof: Francs,
  closingBalanceXof: Francs,
  lines: Count
}).annotate({ identifier: "StatementTotals" })

export const StatementLineView = Schema.Struct({
  transactionId: Id,
  at: Instant,
  type: TransactionType,
  kind: Schema.Literals(["settlement", "refund", "payout", "other"]),
  orderId: Schema.NullOr(Id),
  reference: Schema.NullOr(Text(100)),
  grossXof: Schema.NullOr(Francs),
  commissionXof: Schema.NullOr(Francs),
  discountXof: Schema.NullOr(Francs),
  refundsXof: Schema.NullOr(Francs),
  amountXof: Francs,
  balanceXof: Francs,
  note: Schema.NullOr(Text(500))
}).annotate({ identifier: "StatementLine" })

export const StatementView = Schema.Struct({
  from: CalendarDate,
  to: CalendarDate,
  totals: StatementTotalsView,
  lines: Schema.Array(StatementLineView).pipe(Schema.check(Schema.isMaxLength(500))),
  nextCursor: Schema.NullOr(Id)
}).annotate({ identifier: "Statement" })

const revenueFields = {
  orders: Count,
  grossXof: Francs,
  providerCommissionXof: Francs,
  driverCommissionXof: Francs,
  refundsXof: Francs,
  providerFundedDiscountXof: Francs,
  platformFundedDiscountXof: Francs,
  platformNetXof: Francs
}

export const RevenueReportView = Schema.Struct({
  from: CalendarDate,
  to: CalendarDate,
  days: Schema.Array(Schema.Struct({ date: CalendarDate, ...revenueFields }).annotate({ identifier: "RevenueDay" })).pipe(Schema.check(Schema.isMaxLength(366))),
  totals: Schema.Struct(revenueFields).annotate({ identifier: "RevenueTotals" })
}).annotate({ identifier: "RevenueReport" })

export const statementLineView = (line: StatementLine): typeof StatementLineView.Type => ({ ...line, at: line.at.toISOString() })

export const statementTotalsView = (totals: StatementTotals): typeof StatementTotalsView.Type => totals

export const statementView = (page: StatementPage): typeof StatementView.Type => ({
  from: page.period.fromDate,
  to: page.period.toDate,
  totals: statementTotalsView(page.totals),
  lines: page.lines.map(statementLineView),
  nextCursor: page.nextCursor
})

export const revenueReportView = (report: RevenueReport): typeof RevenueReportView.Type => ({
  from: report.period.fromDate,
  to: report.period.toDate,
  days: report.days.map((day: RevenueDay) => ({ ...day })),
  totals: report.totals
})

/** The CSV's columns, in order: the header row. */
export const csvColumns = ["date", "type", "kind", "reference", "orderId", "grossXof", "commissionXof", "discountXof", "refundsXof", "amountXof", "balanceXof", "transactionId", "note"] as const

export const csvHeader = `${csvColumns.join(",")}\r\n`

/** One line of the statement as a CSV row (RFC 4180, formulas defused: csvField), CRLF-terminated. */
export const csvRow = (line: StatementLine): string =>
  csvLine([
    line.at.toISOString(),
    line.type,
    line.kind,
    line.reference,
    line.orderId,
    line.grossXof,
    line.commissionXof,
    line.discountXof,
    line.refundsXof,
    line.amountXof,
    line.balanceXof,
    line.transactionId,
    line.note
  ])
