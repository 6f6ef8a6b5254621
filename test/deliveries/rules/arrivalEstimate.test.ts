import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { arrivalEstimate, maskedPhone } from "@nelo/domain/deliveries/arrivalEstimate"
import { defaultDispatchPolicy } from "@nelo/domain/deliveries/DispatchPolicy"

const place = fc.record({ lat: fc.double({ min: 5.8, max: 6, noNaN: true }), lng: fc.double({ min: -4.9, max: -4.7, noNaN: true }) })

describe("arrivalEstimate", () => {
  it("1 km straight at 20 km/h with a road factor of 1.3 is 3 min 54 s", () => {
    const from = { lat: 5.898, lng: -4.822 }
    // 1 km east along the parallel (1 degree of longitude ≈ 110.6 km at this latitude).
    const to = { lat: 5.898, lng: -4.822 + 1_000 / 110_605 }
    const eta = arrivalEstimate({ driverAt: from, pickup: from, destination: to, pickedUp: true, nowMs: 0 }, defaultDispatchPolicy)
    expect(Math.abs(eta.getTime() - 234_000)).toBeLessThan(1_000)
  })

  it("never before now; before pickup it is at least the ride from the pickup to the door; it grows with the distance", () => {
    fc.assert(fc.property(place, place, place, fc.integer({ min: 0, max: 2 ** 40 }), (driverAt, pickup, destination, nowMs) => {
      const before = arrivalEstimate({ driverAt, pickup, destination, pickedUp: false, nowMs }, defaultDispatchPolicy).getTime()
      const fromPickup = arrivalEstimate({ driverAt: pickup, pickup, destination, pickedUp: true, nowMs }, defaultDispatchPolicy).getTime()
      expect(before).toBeGreaterThanOrEqual(nowMs)
      expect(before).toBeGreaterThanOrEqual(fromPickup - 1)
    }))
  })

  it("masks a phone but its prefix and last two digits", () => {
    expect(maskedPhone("+2250701020304")).toBe("+22507••••••04")
    expect(maskedPhone("+225")).toBe("••••")
  })
})
