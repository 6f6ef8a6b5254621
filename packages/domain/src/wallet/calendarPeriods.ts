import { zoneOffsetMs } from "../shared/zoneOffset.ts"

/** The start of the day and of the month containing an instant, in a time zone. */
export interface PeriodStarts {
  readonly dayStart: Date
  readonly monthStart: Date
}

/** The instant at which a local date's midnight falls (the offset taken at that midnight). */
const localMidnight = (timeZone: string, year: number, monthIndex: number, day: number): Date => {
  const wallMs = Date.UTC(year, monthIndex, day)
  const guess = wallMs - zoneOffsetMs(timeZone, wallMs)
  return new Date(wallMs - zoneOffsetMs(timeZone, guess))
}

/**
 * Limits count outflows per calendar day and month where the people live (Africa/Abidjan: UTC all
 * year), not per rolling 24 hours: "today's allowance" then means what a person expects.
 */
export const periodStarts = (instantMs: number, timeZone: string): PeriodStarts => {
  const local = new Date(instantMs + zoneOffsetMs(timeZone, instantMs))
  const year = local.getUTCFullYear()
  const month = local.getUTCMonth()
  return {
    dayStart: localMidnight(timeZone, year, month, local.getUTCDate()),
    monthStart: localMidnight(timeZone, year, month, 1)
  }
}

/** The local date (YYYY-MM-DD) of an instant: names per-day counters. */
export const localDate = (instantMs: number, timeZone: string): string =>
  new Date(instantMs + zoneOffsetMs(timeZone, instantMs)).toISOString().slice(0, 10)
