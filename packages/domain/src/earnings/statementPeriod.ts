import { zoneOffsetMs } from "../shared/zoneOffset.ts"
import { StatementPeriodInvalid } from "./statementErrors.ts"

/** Statements and reports count days in Abidjan's time (UTC all year, asked of the zone all the same). */
export const statementZone = "Africa/Abidjan"

/** The longest period a statement or a report covers at once. */
export const maximumPeriodDays = 366

const dayMs = 86_400_000

/** A period of whole Abidjan days: `fromDate` to `toDate` included, read as the instants [from, to). */
export interface StatementPeriod {
  readonly fromDate: string
  readonly toDate: string
  readonly from: Date
  readonly to: Date
}

/** A calendar date (YYYY-MM-DD) that exists, as its UTC midnight in ms; undefined otherwise. */
const utcMidnightOf = (date: string): number | undefined => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(date)
  if (match === null) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const ms = Date.UTC(year, month - 1, day)
  const back = new Date(ms)
  return back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day ? ms : undefined
}

/** The instant Abidjan's day begins (its midnight, at the zone's offset then). */
const startOfDay = (utcMidnightMs: number) => new Date(utcMidnightMs - zoneOffsetMs(statementZone, utcMidnightMs))

/** The Abidjan day of an instant, as YYYY-MM-DD. */
export const abidjanDateOf = (instant: Date): string => new Date(instant.getTime() + zoneOffsetMs(statementZone, instant.getTime())).toISOString().slice(0, 10)

/** The dates from `fromDate` to `toDate` included, in order. */
export const datesOf = (period: StatementPeriod): ReadonlyArray<string> => {
  const dates: Array<string> = []
  for (let ms = utcMidnightOf(period.fromDate)!; ms <= utcMidnightOf(period.toDate)!; ms += dayMs) dates.push(new Date(ms).toISOString().slice(0, 10))
  return dates
}

/** Checks a period of Abidjan days (`to` included, at most maximumPeriodDays) and gives its instants. */
export const statementPeriod = (input: { readonly from: string; readonly to: string }): StatementPeriod | StatementPeriodInvalid => {
  const from = utcMidnightOf(input.from)
  if (from === undefined) return new StatementPeriodInvalid({ reason: "invalid_date", field: "from", maximumDays: maximumPeriodDays })
  const to = utcMidnightOf(input.to)
  if (to === undefined) return new StatementPeriodInvalid({ reason: "invalid_date", field: "to", maximumDays: maximumPeriodDays })
  if (from > to) return new StatementPeriodInvalid({ reason: "from_after_to", field: "to", maximumDays: maximumPeriodDays })
  if ((to - from) / dayMs + 1 > maximumPeriodDays) return new StatementPeriodInvalid({ reason: "too_long", field: "to", maximumDays: maximumPeriodDays })
  return { fromDate: input.from, toDate: input.to, from: startOfDay(from), to: startOfDay(to + dayMs) }
}
