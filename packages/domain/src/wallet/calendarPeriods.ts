/** The start of the day and of the month containing an instant, in a time zone. */
export interface PeriodStarts {
  readonly dayStart: Date
  readonly monthStart: Date
}

const formatters = new Map<string, Intl.DateTimeFormat>()

const formatterOf = (timeZone: string) => {
  let formatter = formatters.get(timeZone)
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

// Zones change offset at most on quarter hours: one reading per zone and quarter hour is exact, and
// spares the Intl formatting on every transfer.
const quarterHourMs = 15 * 60_000
// A period start reads three quarters (now, today's and the month's midnight): a few dozen entries
// cover every zone in use; the map is emptied when it grows past that.
const maximumCachedOffsets = 64
const offsets = new Map<string, number>()

/** The zone's wall clock at an instant, read as if it were UTC, minus the instant: the zone's offset then. */
const offsetMs = (timeZone: string, instantMs: number): number => {
  const key = `${timeZone} ${Math.floor(instantMs / quarterHourMs)}`
  const cached = offsets.get(key)
  if (cached !== undefined) return cached
  if (offsets.size >= maximumCachedOffsets) offsets.clear()
  const measured = measuredOffsetMs(timeZone, instantMs)
  offsets.set(key, measured)
  return measured
}

const measuredOffsetMs = (timeZone: string, instantMs: number): number => {
  const parts = Object.fromEntries(formatterOf(timeZone).formatToParts(new Date(instantMs)).map((part) => [part.type, part.value]))
  const wallMs = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second))
  return wallMs - Math.floor(instantMs / 1000) * 1000
}

/** The instant at which a local date's midnight falls (the offset taken at that midnight). */
const localMidnight = (timeZone: string, year: number, monthIndex: number, day: number): Date => {
  const wallMs = Date.UTC(year, monthIndex, day)
  const guess = wallMs - offsetMs(timeZone, wallMs)
  return new Date(wallMs - offsetMs(timeZone, guess))
}

/**
 * Limits count outflows per calendar day and month where the people live (Africa/Abidjan: UTC all
 * year), not per rolling 24 hours: "today's allowance" then means what a person expects.
 */
export const periodStarts = (instantMs: number, timeZone: string): PeriodStarts => {
  const local = new Date(instantMs + offsetMs(timeZone, instantMs))
  const year = local.getUTCFullYear()
  const month = local.getUTCMonth()
  return {
    dayStart: localMidnight(timeZone, year, month, local.getUTCDate()),
    monthStart: localMidnight(timeZone, year, month, 1)
  }
}

/** The local date (YYYY-MM-DD) of an instant: names per-day counters. */
export const localDate = (instantMs: number, timeZone: string): string =>
  new Date(instantMs + offsetMs(timeZone, instantMs)).toISOString().slice(0, 10)
