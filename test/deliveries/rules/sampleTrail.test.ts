import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { defaultDriverPolicy } from "@nelo/domain/deliveries/DriverPolicy"
import { sampleTrail } from "@nelo/domain/deliveries/sampleTrail"
import { haversineMeters } from "@nelo/domain/geo/haversineMeters"

const fix = (metersNorth: number, atMs: number) => ({ location: { lat: 5.898 + metersNorth / 111_195, lng: -4.822 }, recordedAt: new Date(atMs) })

describe("sampleTrail", () => {
  it("keeps the first point, then each 25 m or 30 s from the last kept", () => {
    const points = [fix(0, 0), fix(10, 5_000), fix(20, 10_000), fix(30, 15_000), fix(30, 46_000)]
    expect(sampleTrail(null, points, defaultDriverPolicy).map((point) => point.recordedAt.getTime())).toEqual([0, 15_000, 46_000])
    // Continuing a trail: measured from its last kept point.
    expect(sampleTrail(fix(0, 0), [fix(10, 5_000)], defaultDriverPolicy)).toEqual([])
  })

  it("any two kept points in a row are 25 m or 30 s apart; every point dropped is near and soon after a kept one", () => {
    const walk = fc.array(fc.record({ stepM: fc.double({ min: 0, max: 60, noNaN: true }), stepMs: fc.integer({ min: 0, max: 40_000 }) }), { maxLength: 60 })
    fc.assert(fc.property(walk, (steps) => {
      let meters = 0
      let atMs = 0
      const points = steps.map(({ stepM, stepMs }) => fix((meters += stepM), (atMs += stepMs)))
      const kept = sampleTrail(null, points, defaultDriverPolicy)
      if (points.length > 0) expect(kept[0]).toBe(points[0])
      for (let index = 1; index < kept.length; index++) {
        const apart = haversineMeters(kept[index - 1]!.location, kept[index]!.location) >= 25 || kept[index]!.recordedAt.getTime() - kept[index - 1]!.recordedAt.getTime() >= 30_000
        expect(apart).toBe(true)
      }
    }))
  })
})
