import { Schema } from "effect"

/** "HH:MM" on a 24-hour clock. */
const OpeningTime = Schema.String.pipe(Schema.check(Schema.isPattern(/^(?:[01]\d|2[0-3]):[0-5]\d$/u, { expected: "une heure HH:MM (00:00 à 23:59)" })))
/** The same, or "24:00" for the end of the day. */
const ClosingTime = Schema.String.pipe(Schema.check(Schema.isPattern(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/u, { expected: "une heure HH:MM (00:00 à 24:00)" })))

/**
 * Open from `opens` to `closes`, local time. A closing time at or before the opening time means the
 * interval runs past midnight into the next day (a maquis open 18:00–02:00); equal times mean 24 h.
 */
export const OpeningInterval = Schema.Struct({ opens: OpeningTime, closes: ClosingTime })
export type OpeningInterval = typeof OpeningInterval.Type

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const Weekday = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 7 })))

export const WeeklyHours = Schema.Struct({ weekday: Weekday, intervals: Schema.Array(OpeningInterval) })

/** A dated exception replaces that day's weekly hours: no intervals = closed (a holiday, a funeral). */
export const DatedHours = Schema.Struct({
  date: Schema.String.pipe(Schema.check(
    Schema.isPattern(/^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/u, { expected: "une date AAAA-MM-JJ" }),
    // 2026-02-30 matches the pattern but is no day: an exception for it would never apply.
    Schema.makeFilter((date: string) => new Date(`${date}T00:00:00Z`).toISOString().startsWith(date), { expected: "une date qui existe" })
  )),
  intervals: Schema.Array(OpeningInterval)
})

export const Schedule = Schema.Struct({
  /** Opening hours are read in this zone (Africa/Abidjan for Côte d'Ivoire), never in the server's. */
  timeZone: Schema.String,
  weekly: Schema.Array(WeeklyHours),
  exceptions: Schema.Array(DatedHours),
  /** Temporarily closed by the provider (out of gas, kitchen full), whatever the hours say. */
  paused: Schema.Boolean
})
export type Schedule = typeof Schedule.Type
