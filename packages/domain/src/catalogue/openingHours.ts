import { zoneOffsetMs } from "../shared/zoneOffset.ts"
import type { OpeningInterval, Schedule } from "./Schedule.ts"

// The rules of opening hours as pure functions of a schedule and an instant (epoch milliseconds):
// no clock, no database. Local dates and times are computed through the schedule's zone name.

interface LocalDate {
  readonly year: number
  readonly month: number
  readonly day: number
}

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))

const isoDate = (date: LocalDate) =>
  `${date.year}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`

/** Calendar arithmetic on the date alone (no zone involved): UTC is only a neutral calendar here. */
const addDays = (date: LocalDate, days: number): LocalDate => {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days))
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() }
}

const dayMs = 86_400_000

/** 1970-01-01 was a Thursday (ISO 4): count days from it, no Date object needed. */
const isoWeekday = (date: LocalDate) => ((Math.floor(Date.UTC(date.year, date.month - 1, date.day) / dayMs) % 7) + 7 + 3) % 7 + 1

const localDateAt = (instantMs: number, timeZone: string): LocalDate => {
  const local = new Date(instantMs + zoneOffsetMs(timeZone, instantMs))
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() }
}

/**
 * The instant of a wall-clock time on a local date in the zone. In a gap (clocks jumping forward)
 * the time does not exist and moves forward by the gap (02:30 → 03:30, Temporal's "compatible");
 * in an overlap (clocks going back) the later of the two instants is taken.
 */
const instantAt = (date: LocalDate, minuteOfDay: number, timeZone: string) => {
  const wallClockAsUtc = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay)
  const guess = wallClockAsUtc - zoneOffsetMs(timeZone, wallClockAsUtc)
  return wallClockAsUtc - zoneOffsetMs(timeZone, guess)
}

/** The intervals that start on a local date: its exception if it has one, else its weekday's hours. */
const intervalsStartingOn = (schedule: Schedule, date: LocalDate): ReadonlyArray<OpeningInterval> => {
  const exception = schedule.exceptions.find((entry) => entry.date === isoDate(date))
  if (exception) return exception.intervals
  return schedule.weekly.filter((entry) => entry.weekday === isoWeekday(date)).flatMap((entry) => entry.intervals)
}

/** [start, end) instants of the intervals starting on a date; past-midnight intervals end the next day. */
const openingsStartingOn = (schedule: Schedule, date: LocalDate) =>
  intervalsStartingOn(schedule, date).map((interval) => {
    const opens = minutesOf(interval.opens)
    const closes = minutesOf(interval.closes)
    const durationMinutes = closes > opens ? closes - opens : closes + 1440 - opens
    return { startMs: instantAt(date, opens, schedule.timeZone), endMs: instantAt(date, opens + durationMinutes, schedule.timeZone) }
  })

/** Open at this instant: not paused, and inside an interval that started today or yesterday (local). */
export const isOpen = (schedule: Schedule, instantMs: number): boolean => {
  if (schedule.paused) return false
  const today = localDateAt(instantMs, schedule.timeZone)
  return [addDays(today, -1), today].some((date) =>
    openingsStartingOn(schedule, date).some((opening) => opening.startMs <= instantMs && instantMs < opening.endMs))
}

// Weekly hours repeat every 7 days; exceptions are at most a year ahead in practice.
const searchHorizonDays = 400

/**
 * When it next opens: this instant if open now, else the earliest opening after it; undefined when
 * paused (the provider resumes by hand) or when no hours are set within the horizon.
 */
export const nextOpenAt = (schedule: Schedule, instantMs: number): number | undefined => {
  if (schedule.paused) return undefined
  if (isOpen(schedule, instantMs)) return instantMs
  const today = localDateAt(instantMs, schedule.timeZone)
  const lastException = schedule.exceptions.reduce((latest, entry) => (entry.date > latest ? entry.date : latest), "")
  for (let offset = 0; offset <= searchHorizonDays; offset++) {
    const date = addDays(today, offset)
    const starts = openingsStartingOn(schedule, date).map((opening) => opening.startMs).filter((startMs) => startMs >= instantMs)
    if (starts.length > 0) return Math.min(...starts)
    // Past the last exception a week without any opening means the weekly hours are empty.
    if (offset > 7 && isoDate(date) > lastException) return undefined
  }
  return undefined
}
