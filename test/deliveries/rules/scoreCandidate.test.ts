import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import type { DeliveryLoad } from "@nelo/domain/deliveries/DeliveryLoad"
import { availabilityFactor, historyFactor, idleMsOf, type MatchingFactors, proximityFactor, ratingFactor } from "@nelo/domain/deliveries/matchingFactors"
import { defaultMatchingSettings, defaultMatchingWeights, matchingWeights } from "@nelo/domain/deliveries/MatchingSettings"
import { type CandidateFacts, scoreCandidate, weightedScore } from "@nelo/domain/deliveries/scoreCandidate"
import { vehicleFitness } from "@nelo/domain/deliveries/vehicleFitness"
import { facts, load, settings, vehicle, wildFacts } from "./matchingArbitraries.ts"

const minute = 60_000
const meal: DeliveryLoad = { itemCount: 3, gasBottles: [] }

const candidate = (fields: Partial<CandidateFacts> = {}): CandidateFacts => ({
  driverId: "d-1",
  vehicle: "motorbike",
  distanceM: 1_000,
  radiusM: 4_000,
  idleMs: 15 * minute,
  ratingSum: 0,
  ratingCount: 0,
  recentOffers: { offered: 0, accepted: 0, completed: 0 },
  ...fields
})

const factorNames: ReadonlyArray<keyof MatchingFactors> = ["proximity", "availability", "rating", "vehicle", "history"]
const unit = fc.double({ min: 0, max: 1, noNaN: true })
const factors = fc.record({ proximity: unit, availability: unit, rating: unit, vehicle: unit, history: unit })

describe("the factors", () => {
  it("proximity: 1 − distance / radius, clamped", () => {
    assert.strictEqual(proximityFactor(0, 4_000), 1)
    assert.strictEqual(proximityFactor(1_000, 4_000), 0.75)
    assert.strictEqual(proximityFactor(4_000, 4_000), 0)
    assert.strictEqual(proximityFactor(9_000, 4_000), 0)
  })

  it("availability: the wait over the cap, at most 1", () => {
    assert.strictEqual(availabilityFactor(0, 30 * minute), 0)
    assert.strictEqual(availabilityFactor(15 * minute, 30 * minute), 0.5)
    assert.strictEqual(availabilityFactor(30 * minute, 30 * minute), 1)
    assert.strictEqual(availabilityFactor(5 * 60 * minute, 30 * minute), 1)
  })

  it("the wait counts from the last delivery, or from coming online (the later)", () => {
    const now = 1_000 * minute
    assert.strictEqual(idleMsOf({ onlineSinceMs: now - 40 * minute, lastDeliveredAtMs: null }, now), 40 * minute)
    assert.strictEqual(idleMsOf({ onlineSinceMs: now - 40 * minute, lastDeliveredAtMs: now - 10 * minute }, now), 10 * minute)
    // Delivered last night, online since five minutes: five minutes of waiting, not a night's.
    assert.strictEqual(idleMsOf({ onlineSinceMs: now - 5 * minute, lastDeliveredAtMs: now - 600 * minute }, now), 5 * minute)
    assert.strictEqual(idleMsOf({ onlineSinceMs: now + minute, lastDeliveredAtMs: null }, now), 0)
  })

  it("rating: a Bayesian mean over 5, a newcomer at the prior 3.5, scaled from [1, 5] to [0, 1]", () => {
    const prior = defaultMatchingSettings
    assert.strictEqual(ratingFactor(0, 0, prior), 0.625)
    // (5 × 3.5 + 5 × 5) / 10 = 4.25 → 0.8125
    assert.strictEqual(ratingFactor(25, 5, prior), 0.8125)
    assert.strictEqual(ratingFactor(5, 5, prior), (((5 * 3.5 + 5) / 10) - 1) / 4)
    // Three 5s are not yet better than two hundred 4.9s.
    assert.isBelow(ratingFactor(15, 3, prior), ratingFactor(980, 200, prior))
    assert.closeTo(ratingFactor(5 * 100_000, 100_000, prior), 1, 1e-4)
    assert.closeTo(ratingFactor(100_000, 100_000, prior), 0, 1e-4)
  })

  it("history: acceptance × completion over the last offers; a newcomer neutral", () => {
    assert.strictEqual(historyFactor({ offered: 0, accepted: 0, completed: 0 }, 0.5), 0.5)
    assert.strictEqual(historyFactor({ offered: 10, accepted: 8, completed: 6 }, 0.5), 0.8 * 0.75)
    assert.strictEqual(historyFactor({ offered: 20, accepted: 20, completed: 20 }, 0.5), 1)
    assert.strictEqual(historyFactor({ offered: 5, accepted: 0, completed: 0 }, 0.5), 0)
  })
})

describe("scoreCandidate", () => {
  it("0.30 proximity + 0.25 availability + 0.20 rating + 0.15 vehicle + 0.10 history", () => {
    const scored = scoreCandidate(candidate(), meal, defaultMatchingSettings)
    assert.deepStrictEqual(scored.factors, { proximity: 0.75, availability: 0.5, rating: 0.625, vehicle: 1, history: 0.5 })
    assert.closeTo(scored.score, 0.3 * 0.75 + 0.25 * 0.5 + 0.2 * 0.625 + 0.15 * 1 + 0.1 * 0.5, 1e-12)
    assert.strictEqual(scored.driverId, "d-1")
    const best = candidate({ distanceM: 0, idleMs: 60 * minute, ratingSum: 5_000, ratingCount: 1_000, recentOffers: { offered: 20, accepted: 20, completed: 20 } })
    assert.closeTo(scoreCandidate(best, meal, defaultMatchingSettings).score, 1, 1e-3)
  })

  it("the weights are the settings': all on proximity, the score is the proximity", () => {
    const onlyProximity = { ...defaultMatchingSettings, weights: matchingWeights({ proximity: 10_000, availability: 0, rating: 0, vehicle: 0, history: 0 }) }
    assert.strictEqual(scoreCandidate(candidate(), meal, onlyProximity).score, 0.75)
    const onlyHistory = { ...defaultMatchingSettings, weights: matchingWeights({ proximity: 0, availability: 0, rating: 0, vehicle: 0, history: 10_000 }) }
    assert.strictEqual(scoreCandidate(candidate(), meal, onlyHistory).score, 0.5)
  })

  it("property: the score is in [0, 1] for any facts, its factors too, and it is their weighted sum", () => {
    fc.assert(fc.property(fc.oneof(facts, wildFacts), load, settings, (facts, load, settings) => {
      const { factors, score } = scoreCandidate(facts, load, settings)
      assert.isTrue(score >= 0 && score <= 1, `score ${score}`)
      for (const name of factorNames) assert.isTrue(factors[name] >= 0 && factors[name] <= 1, `${name} ${factors[name]}`)
      const w = settings.weights
      const expected = (w.proximity * factors.proximity + w.availability * factors.availability + w.rating * factors.rating + w.vehicle * factors.vehicle + w.history * factors.history) / 10_000
      assert.closeTo(score, expected, 1e-12)
    }), { numRuns: 3_000 })
  })

  it("property: with every factor at 1 the score is exactly 1, at 0 exactly 0, whatever the weights", () => {
    fc.assert(fc.property(settings, (settings) => {
      const all = (value: number) => ({ proximity: value, availability: value, rating: value, vehicle: value, history: value })
      assert.strictEqual(weightedScore(all(1), settings.weights), 1)
      assert.strictEqual(weightedScore(all(0), settings.weights), 0)
    }))
  })

  it("property: improving one factor, all else equal, never lowers the score (and raises it when the factor weighs)", () => {
    fc.assert(fc.property(factors, fc.constantFrom(...factorNames), unit, settings, (factors, name, other, settings) => {
      const [low, high] = factors[name] <= other ? [factors[name], other] : [other, factors[name]]
      const lower = weightedScore({ ...factors, [name]: low }, settings.weights)
      const higher = weightedScore({ ...factors, [name]: high }, settings.weights)
      assert.isTrue(higher >= lower, `${name}: ${low} → ${lower}, ${high} → ${higher}`)
      if (high - low > 1e-6 && settings.weights[name] > 0) assert.isTrue(higher > lower, `${name} weighs but did not count`)
    }), { numRuns: 3_000 })
  })

  it("property: better facts, all else equal, never lower the score (waiting longer, better ratings, a better record, a fitter vehicle)", () => {
    fc.assert(fc.property(facts, load, settings, fc.nat(3 * 3_600_000), fc.nat(1_000), vehicle, (facts, load, settings, moreIdle, moreStars, otherVehicle) => {
      const score = (changed: CandidateFacts) => scoreCandidate(changed, load, settings).score
      const base = score(facts)
      assert.isTrue(score({ ...facts, idleMs: facts.idleMs + moreIdle }) >= base, "waiting longer")
      const stars = Math.min(moreStars, 5 * facts.ratingCount - facts.ratingSum)
      assert.isTrue(score({ ...facts, ratingSum: facts.ratingSum + stars }) >= base, "better ratings")
      const offers = facts.recentOffers
      if (offers.completed < offers.accepted) {
        assert.isTrue(score({ ...facts, recentOffers: { ...offers, completed: offers.completed + 1 } }) >= base, "one more completed")
      }
      if (offers.accepted < offers.offered) {
        assert.isTrue(score({ ...facts, recentOffers: { ...offers, accepted: offers.accepted + 1, completed: offers.completed + 1 } }) >= base, "one more accepted and completed")
      }
      const [fitter, lessFit] = vehicleFitness(otherVehicle, load) >= vehicleFitness(facts.vehicle, load) ? [otherVehicle, facts.vehicle] : [facts.vehicle, otherVehicle]
      assert.isTrue(score({ ...facts, vehicle: fitter }) >= score({ ...facts, vehicle: lessFit }), "a fitter vehicle")
    }), { numRuns: 2_000 })
  })

  it("property: closer never loses, all else equal; strictly closer within the radius wins", () => {
    fc.assert(fc.property(facts, load, settings, fc.nat(12_000), (facts, load, settings, otherDistanceM) => {
      const [nearM, farM] = facts.distanceM <= otherDistanceM ? [facts.distanceM, otherDistanceM] : [otherDistanceM, facts.distanceM]
      const near = scoreCandidate({ ...facts, distanceM: nearM }, load, settings).score
      const far = scoreCandidate({ ...facts, distanceM: farM }, load, settings).score
      assert.isTrue(near >= far, `${nearM} m: ${near}, ${farM} m: ${far}`)
      if (nearM < farM && nearM < facts.radiusM && settings.weights.proximity > 0) assert.isTrue(near > far, "closer within the radius counts")
    }), { numRuns: 2_000 })
  })

  it("the default weights are the plan's", () => {
    assert.deepStrictEqual({ ...defaultMatchingWeights }, { proximity: 3_000, availability: 2_500, rating: 2_000, vehicle: 1_500, history: 1_000 })
  })
})
