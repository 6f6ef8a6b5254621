import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import { acceptLocationPoints } from "@nelo/domain/deliveries/acceptLocationPoints"
import { defaultDriverPolicy } from "@nelo/domain/deliveries/DriverPolicy"
import type { LocationPoint } from "@nelo/domain/deliveries/LocationPoint"

const now = Date.parse("2026-12-07T12:00:00.000Z")
const point = (offsetMs: number, accuracyM = 10): LocationPoint => ({ lat: 5.9, lng: -4.82, accuracyM, headingDeg: null, speedMps: null, recordedAt: new Date(now + offsetMs) })

const pointArb = fc.record({ offsetMs: fc.integer({ min: -600_000, max: 600_000 }), accuracyM: fc.double({ min: 0, max: 200, noNaN: true }) }).map(({ offsetMs, accuracyM }) => point(offsetMs, accuracyM))

describe("which points of a batch count", () => {
  it("property: every point is kept or dropped once; the kept are acceptable, strictly newer than the last kept and than each other, oldest first", () => {
    fc.assert(fc.property(fc.array(pointArb, { maxLength: 50 }), fc.option(fc.integer({ min: -600_000, max: 0 }), { nil: null }), (points, lastOffset) => {
      const lastKeptAt = lastOffset === null ? null : new Date(now + lastOffset)
      const { kept, dropped } = acceptLocationPoints(points, lastKeptAt, now, defaultDriverPolicy)
      assert.strictEqual(kept.length + dropped.length, points.length)
      assert.deepStrictEqual(dropped.map((drop) => drop.index), [...new Set(dropped.map((drop) => drop.index))].sort((left, right) => left - right))
      const keptIndexes = points.map((candidate, index) => index).filter((index) => !dropped.some((drop) => drop.index === index))
      assert.sameMembers([...kept], keptIndexes.map((index) => points[index]!))
      kept.forEach((kept, index, all) => {
        assert.isAtMost(kept.accuracyM, defaultDriverPolicy.maximumAccuracyM)
        assert.isAtMost(kept.recordedAt.getTime(), now + defaultDriverPolicy.futureToleranceMs)
        if (lastKeptAt !== null) assert.isAbove(kept.recordedAt.getTime(), lastKeptAt.getTime())
        if (index > 0) assert.isAbove(kept.recordedAt.getTime(), all[index - 1]!.recordedAt.getTime())
      })
      // Nothing acceptable is lost: each dropped point has its reason.
      for (const { index, reason } of dropped) {
        const candidate = points[index]!
        const atMs = candidate.recordedAt.getTime()
        const why = atMs > now + defaultDriverPolicy.futureToleranceMs ? "from_the_future"
          : lastKeptAt !== null && atMs <= lastKeptAt.getTime() ? "older_than_last"
          : candidate.accuracyM > defaultDriverPolicy.maximumAccuracyM ? "inaccurate"
          : "older_than_last" // a repeat of an instant already kept
        assert.strictEqual(reason, why)
        if (why === "older_than_last" && (lastKeptAt === null || atMs > lastKeptAt.getTime())) assert.isTrue(kept.some((one) => one.recordedAt.getTime() === atMs))
      }
    }), { numRuns: 500 })
  })

  it("examples: late points sorted, the boundaries of accuracy and of the future tolerance, a repeat of an instant", () => {
    const { kept, dropped } = acceptLocationPoints([point(-10_000), point(-30_000), point(-20_000, 50), point(-20_000, 51), point(60_000), point(60_001), point(-10_000)], new Date(now - 40_000), now, defaultDriverPolicy)
    assert.deepStrictEqual(kept.map((one) => one.recordedAt.getTime() - now), [-30_000, -20_000, -10_000, 60_000])
    assert.deepStrictEqual(dropped, [{ index: 3, reason: "inaccurate" }, { index: 5, reason: "from_the_future" }, { index: 6, reason: "older_than_last" }])
    assert.deepStrictEqual(acceptLocationPoints([point(-50_000)], new Date(now - 40_000), now, defaultDriverPolicy).dropped, [{ index: 0, reason: "older_than_last" }])
    assert.deepStrictEqual(acceptLocationPoints([], null, now, defaultDriverPolicy), { kept: [], dropped: [] })
  })
})
