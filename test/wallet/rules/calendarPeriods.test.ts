import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { localDate, periodStarts } from "@nelo/domain/wallet/calendarPeriods"

const instants = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2032, 0, 1) })

const wallClock = (instantMs: number, timeZone: string) => {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
    .formatToParts(new Date(instantMs)).map((part) => [part.type, part.value]))
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` }
}

describe("calendar periods", () => {
  it("in Abidjan (UTC all year) a day starts at 00:00 UTC and a month on its first day", () => {
    fc.assert(fc.property(instants, (instantMs) => {
      const { dayStart, monthStart } = periodStarts(instantMs, "Africa/Abidjan")
      const instant = new Date(instantMs)
      expect(dayStart.getTime()).toBe(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()))
      expect(monthStart.getTime()).toBe(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), 1))
      expect(localDate(instantMs, "Africa/Abidjan")).toBe(instant.toISOString().slice(0, 10))
    }))
  })

  it("in a zone with summer time, the starts are local midnights of the instant's own day and month, never after it", () => {
    for (const timeZone of ["Europe/Paris", "America/Sao_Paulo", "Asia/Kathmandu"]) {
      fc.assert(fc.property(instants, (instantMs) => {
        const { dayStart, monthStart } = periodStarts(instantMs, timeZone)
        const local = wallClock(instantMs, timeZone)
        expect(dayStart.getTime()).toBeLessThanOrEqual(instantMs)
        expect(wallClock(dayStart.getTime(), timeZone)).toEqual({ date: local.date, time: "00:00" })
        expect(wallClock(monthStart.getTime(), timeZone)).toEqual({ date: `${local.date.slice(0, 8)}01`, time: "00:00" })
        expect(localDate(instantMs, timeZone)).toBe(local.date)
      }))
    }
  })
})
