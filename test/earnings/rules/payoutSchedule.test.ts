import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import { latestPayoutSlot, slotHandledAtStart } from "@nelo/domain/earnings/payoutSchedule"

// The weekly payout slot (PAYOUTS_SCHEDULE, Abidjan = UTC): the run due now, and what a worker
// starting late catches up. 2026-12-07 is a Monday.
const mondayEight = { weekday: 1, hour: 8, minute: 0 }
const at = (iso: string) => new Date(iso)

describe("payout schedule", () => {
  it("the latest slot reached: this Monday 08:00 from 08:00 on, last Monday's before", () => {
    assert.strictEqual(latestPayoutSlot(at("2026-12-07T08:00:00Z"), mondayEight).toISOString(), "2026-12-07T08:00:00.000Z")
    assert.strictEqual(latestPayoutSlot(at("2026-12-07T07:59:59Z"), mondayEight).toISOString(), "2026-11-30T08:00:00.000Z")
    assert.strictEqual(latestPayoutSlot(at("2026-12-10T15:00:00Z"), mondayEight).toISOString(), "2026-12-07T08:00:00.000Z")
    assert.strictEqual(latestPayoutSlot(at("2026-12-06T23:00:00Z"), { weekday: 0, hour: 23, minute: 30 }).toISOString(), "2026-11-29T23:30:00.000Z")
  })

  it("a worker started within a day of a slot runs it; later, it waits for the next", () => {
    // Started 08:05 Monday: the 08:00 slot is not taken as handled (it is queued now).
    assert.isBelow(slotHandledAtStart(at("2026-12-07T08:05:00Z"), mondayEight), Date.parse("2026-12-07T08:00:00Z"))
    // Started Wednesday: Monday's slot is taken as handled (not run two days late).
    assert.strictEqual(slotHandledAtStart(at("2026-12-09T10:00:00Z"), mondayEight), Date.parse("2026-12-07T08:00:00Z"))
  })

  it("property: the latest slot is at or before now, less than a week before, on the slot's weekday and time", () => {
    fc.assert(fc.property(
      fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2035-01-01T00:00:00Z"), noInvalidDate: true }),
      fc.integer({ min: 0, max: 6 }),
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      (now, weekday, hour, minute) => {
        const slot = latestPayoutSlot(now, { weekday, hour, minute })
        assert.isAtMost(slot.getTime(), now.getTime())
        assert.isBelow(now.getTime() - slot.getTime(), 7 * 86_400_000)
        assert.deepStrictEqual([slot.getUTCDay(), slot.getUTCHours(), slot.getUTCMinutes(), slot.getUTCSeconds()], [weekday, hour, minute, 0])
      }
    ))
  })
})
