import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { historyFactor, type OfferAnswer, recentOffersOf, trailingTimeoutsOf } from "@nelo/domain/deliveries/matchingFactors"

const answer: fc.Arbitrary<OfferAnswer> = fc.record({ status: fc.constantFrom("accepted", "rejected", "expired", "released"), delivered: fc.boolean() })
  .map((drawn) => ({ ...drawn, delivered: drawn.status === "accepted" && drawn.delivered }))

describe("a driver's recent answers, counted", () => {
  it("offered counts every answer; accepted the kept and the released; completed the kept and handed over", () => {
    const answers: ReadonlyArray<OfferAnswer> = [
      { status: "accepted", delivered: false },
      { status: "expired", delivered: false },
      { status: "rejected", delivered: false },
      { status: "released", delivered: false },
      { status: "accepted", delivered: true }
    ]
    expect(recentOffersOf(answers)).toEqual({ offered: 5, accepted: 3, completed: 1 })
    expect(recentOffersOf([])).toEqual({ offered: 0, accepted: 0, completed: 0 })
  })

  it("trailing time-outs: the expired answers before the first other one, newest first", () => {
    const expired = { status: "expired", delivered: false } as const
    expect(trailingTimeoutsOf([expired, expired, { status: "released", delivered: false }, expired])).toBe(2)
    expect(trailingTimeoutsOf([expired, expired, expired])).toBe(3)
    expect(trailingTimeoutsOf([{ status: "rejected", delivered: false }, expired])).toBe(0)
    expect(trailingTimeoutsOf([])).toBe(0)
  })

  it("completed ≤ accepted ≤ offered, and the history factor stays in [0, 1]", () => {
    fc.assert(fc.property(fc.array(answer, { maxLength: 40 }), (answers) => {
      const counts = recentOffersOf(answers)
      expect(counts.completed).toBeLessThanOrEqual(counts.accepted)
      expect(counts.accepted).toBeLessThanOrEqual(counts.offered)
      const factor = historyFactor(counts, 0.5)
      expect(factor).toBeGreaterThanOrEqual(0)
      expect(factor).toBeLessThanOrEqual(1)
      expect(trailingTimeoutsOf(answers)).toBeLessThanOrEqual(answers.length)
    }))
  })
})
