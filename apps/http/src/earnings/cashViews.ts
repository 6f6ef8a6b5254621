import { Schema } from "effect"
import type { CashReport, CashReportLine } from "@nelo/domain/earnings/DriverCash"
import type { Remittance } from "@nelo/domain/earnings/cashRemittance"
import { Francs, Id, Instant, IntBetween, Text } from "../shared/bounded.ts"

const remittanceFields = {
  transactionId: Id,
  driverId: Id,
  amountXof: IntBetween(1, Number.MAX_SAFE_INTEGER),
  reference: Text(64),
  via: Schema.Literals(["office", "wave"]),
  note: Schema.NullOr(Text(500)),
  /** The admin who recorded it. */
  recordedBy: Id,
  createdAt: Instant,
  /** What the driver holds for NELO now. */
  cashHeldXof: Francs
}

/** A remittance recorded now: 201. */
export const RemittanceView = Schema.Struct({ ...remittanceFields, replayed: Schema.Literal(false) }).annotate({ identifier: "CashRemittance" })
/** The same remittance entered again (same reference, amount and way): 200, nothing new written. */
export const RemittanceReplayedView = Schema.Struct({ ...remittanceFields, replayed: Schema.Literal(true) }).annotate({ identifier: "CashRemittanceReplayed" })

export const remittanceView = (remittance: Remittance): typeof RemittanceView.Type | typeof RemittanceReplayedView.Type => {
  const fields = {
    transactionId: remittance.transactionId,
    driverId: remittance.driverId,
    amountXof: remittance.amountXof,
    reference: remittance.reference,
    via: remittance.via,
    note: remittance.note,
    recordedBy: remittance.recordedBy,
    createdAt: remittance.createdAt.toISOString(),
    cashHeldXof: remittance.cashHeldXof
  }
  return remittance.replayed ? { ...fields, replayed: true } : { ...fields, replayed: false }
}

const CashReportLineView = Schema.Struct({
  driverId: Id,
  fullName: Text(200),
  phone: Schema.NullOr(Text(20)),
  cashHeldXof: Francs,
  capXof: Francs,
  /** At or over the cap: no cash offer, cannot go online. */
  overCap: Schema.Boolean,
  /** The oldest collection not yet remitted (first in, first out). */
  oldestUnremittedAt: Schema.NullOr(Instant),
  ageHours: Schema.NullOr(IntBetween(0, 1_000_000)),
  earningsXof: Francs,
  /** The cash owed that the driver's earnings would not cover. */
  shortfallXof: Francs
}).annotate({ identifier: "DriverCashLine" })

export const CashReportView = Schema.Struct({
  at: Instant,
  capXof: Francs,
  maximumAgeHours: IntBetween(0, 1_000_000),
  totalHeldXof: Francs,
  drivers: Schema.Array(CashReportLineView).pipe(Schema.check(Schema.isMaxLength(10_000)))
}).annotate({ identifier: "DriverCashReport" })

const hours = (ms: number) => Math.floor(ms / 3_600_000)

const lineView = (line: CashReportLine): typeof CashReportLineView.Type => ({
  driverId: line.driverId,
  fullName: line.fullName,
  phone: line.phone,
  cashHeldXof: line.cashHeldXof,
  capXof: line.capXof,
  overCap: line.overCap,
  oldestUnremittedAt: line.oldestUnremittedAt?.toISOString() ?? null,
  ageHours: line.ageMs === null ? null : hours(line.ageMs),
  earningsXof: line.earningsXof,
  shortfallXof: line.shortfallXof
})

export const cashReportView = (report: CashReport): typeof CashReportView.Type => ({
  at: report.at.toISOString(),
  capXof: report.capXof,
  maximumAgeHours: hours(report.maximumAgeMs),
  totalHeldXof: report.totalHeldXof,
  drivers: report.drivers.map(lineView)
})
