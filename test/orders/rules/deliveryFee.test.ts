import fc from "fast-check"
import { Option, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { defaultDeliveryFeeSchedule, deliveryFeeFor, DeliveryFeeSchedule } from "@nelo/domain/orders/DeliveryFeeSchedule"
import { xof } from "@nelo/domain/shared/Xof"

const decode = Schema.decodeUnknownOption(DeliveryFeeSchedule)

/** Bands ascending in distance with fees that never go down, and a price per km beyond. */
const ascendingSchedule = fc.record({
  ends: fc.uniqueArray(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 20 }),
  fees: fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 20, maxLength: 20 }),
  beyond: fc.integer({ min: 0, max: 100_000 })
}).map(({ beyond, ends, fees }) => {
  const sortedEnds = [...ends].sort((left, right) => left - right)
  const sortedFees = fees.slice(0, sortedEnds.length).sort((left, right) => left - right)
  return { bands: sortedEnds.map((upToM, index) => ({ upToM, feeXof: xof(sortedFees[index]!) })), beyondPerKmXof: xof(beyond) }
})

describe("delivery fee", () => {
  it("the plan's bands: 0–2 km 500 F, 2–5 km 800 F, then +200 F per started km", () => {
    const fee = (meters: number) => deliveryFeeFor(defaultDeliveryFeeSchedule, meters)
    expect(fee(0)).toBe(500)
    expect(fee(1)).toBe(500)
    expect(fee(2_000)).toBe(500)
    expect(fee(2_001)).toBe(800)
    expect(fee(5_000)).toBe(800)
    expect(fee(5_001)).toBe(1_000)
    expect(fee(6_000)).toBe(1_000)
    expect(fee(6_001)).toBe(1_200)
    expect(fee(7_000)).toBe(1_200)
    expect(fee(7_001)).toBe(1_400)
    expect(fee(25_000)).toBe(4_800)
  })

  it("one band only: its fee up to its end, then the price per started km", () => {
    const flat = { bands: [{ upToM: 3_000, feeXof: xof(700) }], beyondPerKmXof: xof(0) }
    expect(deliveryFeeFor(flat, 3_000)).toBe(700)
    expect(deliveryFeeFor(flat, 50_000)).toBe(700)
    const steep = { bands: [{ upToM: 1_000, feeXof: xof(0) }], beyondPerKmXof: xof(350) }
    expect(deliveryFeeFor(steep, 1_000)).toBe(0)
    expect(deliveryFeeFor(steep, 1_001)).toBe(350)
    expect(deliveryFeeFor(steep, 3_500)).toBe(1_050)
  })

  it("property: the fee never goes down as the distance grows, and is whole francs", () => {
    fc.assert(fc.property(ascendingSchedule, fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 200_000 }), (schedule, a, b) => {
      const [near, far] = a <= b ? [a, b] : [b, a]
      const nearFee = deliveryFeeFor(schedule, near)
      const farFee = deliveryFeeFor(schedule, far)
      expect(farFee).toBeGreaterThanOrEqual(nearFee)
      expect(Number.isSafeInteger(nearFee) && Number.isSafeInteger(farFee)).toBe(true)
    }), { numRuns: 500 })
  })

  it("property: a distance inside a band costs that band's fee; past the last band, its fee + started km × price", () => {
    fc.assert(fc.property(ascendingSchedule, fc.integer({ min: 0, max: 200_000 }), (schedule, meters) => {
      const band = schedule.bands.find((candidate) => meters <= candidate.upToM)
      const last = schedule.bands.at(-1)!
      const expected = band !== undefined ? band.feeXof : last.feeXof + Math.ceil((meters - last.upToM) / 1_000) * schedule.beyondPerKmXof
      expect(deliveryFeeFor(schedule, meters)).toBe(expected)
    }), { numRuns: 500 })
  })

  it("the schema accepts ascending bands and the default schedule", () => {
    expect(Option.isSome(decode(defaultDeliveryFeeSchedule))).toBe(true)
    fc.assert(fc.property(ascendingSchedule, (schedule) => {
      expect(decode(schedule)).toEqual(Option.some(schedule))
    }))
  })

  it("the schema refuses bands not ascending, no band, too many bands, and fees out of range", () => {
    const band = (upToM: number, feeXof: number) => ({ upToM, feeXof })
    expect(decode({ bands: [band(5_000, 800), band(2_000, 500)], beyondPerKmXof: 200 })).toEqual(Option.none())
    expect(decode({ bands: [band(2_000, 500), band(2_000, 800)], beyondPerKmXof: 200 })).toEqual(Option.none())
    expect(decode({ bands: [], beyondPerKmXof: 200 })).toEqual(Option.none())
    expect(decode({ bands: Array.from({ length: 21 }, (_, index) => band((index + 1) * 1_000, 500)), beyondPerKmXof: 200 })).toEqual(Option.none())
    expect(decode({ bands: [band(2_000, -1)], beyondPerKmXof: 200 })).toEqual(Option.none())
    expect(decode({ bands: [band(2_000, 500.5)], beyondPerKmXof: 200 })).toEqual(Option.none())
    expect(decode({ bands: [band(0, 500)], beyondPerKmXof: 200 })).toEqual(Option.none())
    expect(decode({ bands: [band(2_000, 500)], beyondPerKmXof: 100_001 })).toEqual(Option.none())
    expect(decode({ bands: Array.from({ length: 20 }, (_, index) => band((index + 1) * 1_000, 500)), beyondPerKmXof: 200 })._tag).toBe("Some")
  })

  it("property: any two bands out of order are refused", () => {
    fc.assert(fc.property(ascendingSchedule.filter((schedule) => schedule.bands.length >= 2), fc.nat(), (schedule, pick) => {
      const index = 1 + (pick % (schedule.bands.length - 1))
      const swapped = [...schedule.bands]
      ;[swapped[index - 1], swapped[index]] = [swapped[index]!, swapped[index - 1]!]
      expect(decode({ ...schedule, bands: swapped })).toEqual(Option.none())
    }))
  })
})
