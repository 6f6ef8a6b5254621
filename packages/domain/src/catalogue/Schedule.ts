import { Schema } from "effect"

/** "HH:MM" on a 24-hour clock; "24:00" only as a closing time (end of the day). */
const ClockTime = Schema.String.pipe(Schema.check(Schema.isPattern(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/u, { expected: "une heure HH:MM (00:00 à 24:00)" })))

/**
 * Open from `opens` to `closes`, local time. A closing time at or before the opening time means the
 * interval runs past midnight into the next day (a maquis open 18:00–02:00); equal times mean 24 h.
 */
export const OpeningInterval = Schema.Struct({ opens: ClockTime, closes: ClockTime })
export type OpeningInterval = typeof OpeningInterval.Type

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const Weekday = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 7 })))

export const WeeklyHours = Schema.Struct({ weekday: Weekday, intervals: Schema.Array(OpeningInterval) })

/** A dated exception replaces that day's weekly hours: no intervals = closed (a holiday, a funeral). */
export const DatedHours = Schema.Struct({
  date: Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/u, { expected: "une date AAAA-MM-JJ" }))),
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
