import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { isOpen, nextOpenAt } from "@nelo/domain/catalogue/openingHours"
import type { Schedule } from "@nelo/domain/catalogue/Schedule"

const timeZone = "Africa/Abidjan"
const minute = 60_000
const at = (iso: string) => Date.parse(iso)

const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`

const interval = fc.tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 1440 })).map(([opens, durationMinutes]) => ({
  opens: clock(opens),
  // Ending exactly at midnight is written 24:00; later ends wrap past midnight.
  closes: clock(opens + durationMinutes === 1440 ? 1440 : (opens + durationMinutes) % 1440)
}))

const schedule: fc.Arbitrary<Schedule> = fc.record({
  timeZone: fc.constant(timeZone),
  weekly: fc.array(fc.record({ weekday: fc.integer({ min: 1, max: 7 }), intervals: fc.array(interval, { maxLength: 3 }) }), { maxLength: 7 }),
  exceptions: fc.array(fc.record({
    date: fc.integer({ min: 0, max: 60 }).map((days) => new Date(Date.UTC(2026, 10, 1 + days)).toISOString().slice(0, 10)),
    intervals: fc.array(interval, { maxLength: 2 })
  }), { maxLength: 3 }),
  paused: fc.boolean()
})

// Instants in November–December 2026, the exceptions' range, at whole minutes.
const instant = fc.integer({ min: at("2026-10-28T00:00:00Z") / minute, max: at("2027-01-05T00:00:00Z") / minute }).map((minutes) => minutes * minute)

describe("opening hours (properties)", () => {
  it("nextOpenAt is never in the past, and the provider is open then", () => {
    fc.assert(fc.property(schedule, instant, (hours, now) => {
      const next = nextOpenAt(hours, now)
      if (next !== undefined) {
        expect(next).toBeGreaterThanOrEqual(now)
        expect(isOpen(hours, next)).toBe(true)
      }
    }), { numRuns: 300 })
  })

  it("open now means nextOpenAt is now; closed until nextOpenAt in between", () => {
    fc.assert(fc.property(schedule, instant, fc.double({ min: 0, max: 1, noNaN: true }), (hours, now, fraction) => {
      const next = nextOpenAt(hours, now)
      if (isOpen(hours, now)) {
        expect(next).toBe(now)
      } else if (next !== undefined) {
        const between = now + Math.floor((next - now) * fraction / minute) * minute
        if (between < next) expect(isOpen(hours, between)).toBe(false)
      }
    }), { numRuns: 300 })
  })

  it("an instant inside a weekly interval of a day without exception is open (unless paused)", () => {
    fc.assert(fc.property(interval, fc.integer({ min: 1, max: 7 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), (hours, weekday, fraction, paused) => {
      const sunday = at("2026-11-29T00:00:00Z") // a Sunday; Monday is the 30th
      const dayStart = sunday + weekday * 1440 * minute
      const opens = Number(hours.opens.slice(0, 2)) * 60 + Number(hours.opens.slice(3))
      const closes = Number(hours.closes.slice(0, 2)) * 60 + Number(hours.closes.slice(3))
      const durationMinutes = closes > opens ? closes - opens : closes + 1440 - opens
      const inside = dayStart + (opens + Math.floor(fraction * (durationMinutes - 1))) * minute
      const week: Schedule = { timeZone, weekly: [{ weekday: weekday === 7 ? 7 : weekday, intervals: [hours] }], exceptions: [], paused }
      expect(isOpen(week, inside)).toBe(!paused)
    }), { numRuns: 500 })
  })

  it("paused: never open, and no next opening to announce", () => {
    fc.assert(fc.property(schedule, instant, (hours, now) => {
      const paused = { ...hours, paused: true }
      expect(isOpen(paused, now)).toBe(false)
      expect(nextOpenAt(paused, now)).toBeUndefined()
    }))
  })
})

describe("opening hours (examples)", () => {
  const maquis: Schedule = {
    timeZone,
    weekly: [
      { weekday: 5, intervals: [{ opens: "11:30", closes: "14:30" }, { opens: "18:00", closes: "02:00" }] },
      { weekday: 6, intervals: [{ opens: "18:00", closes: "02:00" }] }
    ],
    exceptions: [{ date: "2026-12-25", intervals: [] }, { date: "2026-12-31", intervals: [{ opens: "20:00", closes: "04:00" }] }],
    paused: false
  }

  it("an interval past midnight is open after midnight, the next day", () => {
    expect(isOpen(maquis, at("2026-11-28T01:30:00Z"))).toBe(true) // Saturday 01:30, from Friday 18:00
    expect(isOpen(maquis, at("2026-11-28T02:00:00Z"))).toBe(false)
    expect(isOpen(maquis, at("2026-11-29T01:59:00Z"))).toBe(true) // Sunday 01:59, from Saturday 18:00
  })

  it("lunch and dinner on the same day, closed between", () => {
    expect(isOpen(maquis, at("2026-11-27T12:00:00Z"))).toBe(true)
    expect(isOpen(maquis, at("2026-11-27T16:00:00Z"))).toBe(false)
    expect(nextOpenAt(maquis, at("2026-11-27T16:00:00Z"))).toBe(at("2026-11-27T18:00:00Z"))
  })

  it("a dated exception closes a day or changes its hours", () => {
    expect(isOpen(maquis, at("2026-12-25T19:00:00Z"))).toBe(false) // a Friday, closed for Christmas
    expect(nextOpenAt(maquis, at("2026-12-25T10:00:00Z"))).toBe(at("2026-12-26T18:00:00Z"))
    expect(isOpen(maquis, at("2027-01-01T03:00:00Z"))).toBe(true) // New Year's Eve until 04:00
  })

  it("nextOpenAt skips to next week; no weekly hours at all means no next opening", () => {
    expect(nextOpenAt(maquis, at("2026-11-29T10:00:00Z"))).toBe(at("2026-12-04T11:30:00Z")) // Sunday → Friday
    expect(nextOpenAt({ timeZone, weekly: [], exceptions: [], paused: false }, at("2026-11-29T10:00:00Z"))).toBeUndefined()
  })

  it("hours are read in the schedule's zone, daylight saving included (offsets come from the tz database)", () => {
    // Abidjan has no daylight saving; a zone that has it checks the offset arithmetic both ways.
    const paris: Schedule = { timeZone: "Europe/Paris", weekly: [{ weekday: 1, intervals: [{ opens: "09:00", closes: "17:00" }] }], exceptions: [], paused: false }
    expect(isOpen(paris, at("2026-01-05T07:30:00Z"))).toBe(false) // winter, UTC+1: 08:30 local
    expect(isOpen(paris, at("2026-01-05T08:30:00Z"))).toBe(true)
    expect(nextOpenAt(paris, at("2026-01-05T07:30:00Z"))).toBe(at("2026-01-05T08:00:00Z"))
    expect(isOpen(paris, at("2026-03-30T06:30:00Z"))).toBe(false) // summer, UTC+2: 08:30 local
    expect(isOpen(paris, at("2026-03-30T07:30:00Z"))).toBe(true)
    expect(isOpen(paris, at("2026-03-30T15:30:00Z"))).toBe(false) // 17:30 local
    // Clocks jumped from 02:00 to 03:00 that Sunday: 02:30 did not exist; like Temporal's
    // "compatible" choice, the opening moves forward by the gap, to 03:30 local.
    const night: Schedule = { ...paris, weekly: [{ weekday: 7, intervals: [{ opens: "02:30", closes: "05:00" }] }] }
    expect(nextOpenAt(night, at("2026-03-29T00:00:00Z"))).toBe(at("2026-03-29T01:30:00Z"))
  })
})
