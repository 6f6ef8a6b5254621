import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import type { DeliveryLoad } from "@nelo/domain/deliveries/DeliveryLoad"
import { defaultMatchingSettings } from "@nelo/domain/deliveries/MatchingSettings"
import { rankCandidates } from "@nelo/domain/deliveries/rankCandidates"
import { type CandidateFacts, scoreCandidate } from "@nelo/domain/deliveries/scoreCandidate"
import { vehicleFitness } from "@nelo/domain/deliveries/vehicleFitness"
import { candidates, load, settings } from "./matchingArbitraries.ts"

const meal: DeliveryLoad = { itemCount: 2, gasBottles: [] }
const twoB28: DeliveryLoad = { itemCount: 0, gasBottles: [{ sizeKg: 28, quantity: 2, emptiesToCollect: 2 }] }

const candidate = (driverId: string, fields: Partial<CandidateFacts> = {}): CandidateFacts => ({
  driverId,
  vehicle: "motorbike",
  distanceM: 1_000,
  radiusM: 4_000,
  idleMs: 10 * 60_000,
  ratingSum: 45,
  ratingCount: 10,
  recentOffers: { offered: 10, accepted: 9, completed: 9 },
  ...fields
})

const ids = (ranked: ReadonlyArray<{ readonly driverId: string }>) => ranked.map((scored) => scored.driverId)

/** Candidates, and the same candidates in another order. */
const candidatesTwice = candidates.chain((candidates) =>
  fc.tuple(fc.constant(candidates), fc.shuffledSubarray([...candidates], { minLength: candidates.length, maxLength: candidates.length }))
)

describe("rankCandidates", () => {
  it("best score first", () => {
    const ranked = rankCandidates([
      candidate("far", { distanceM: 3_500 }),
      candidate("near", { distanceM: 200 }),
      candidate("middle", { distanceM: 1_500 })
    ], meal, defaultMatchingSettings)
    assert.deepStrictEqual(ids(ranked), ["near", "middle", "far"])
    assert.isAbove(ranked[0]!.score, ranked[1]!.score)
  })

  it("equal scores: by driver id, ascending, whatever the input order", () => {
    const same = ["d-c", "d-a", "d-b"].map((id) => candidate(id))
    assert.deepStrictEqual(ids(rankCandidates(same, meal, defaultMatchingSettings)), ["d-a", "d-b", "d-c"])
    assert.deepStrictEqual(ids(rankCandidates([...same].reverse(), meal, defaultMatchingSettings)), ["d-a", "d-b", "d-c"])
    // Code units, not the locale: upper case before lower case.
    assert.deepStrictEqual(ids(rankCandidates([candidate("b"), candidate("B"), candidate("a")], meal, defaultMatchingSettings)), ["B", "a", "b"])
  })

  it("a candidate who cannot carry the load is not ranked, however good", () => {
    const ranked = rankCandidates([
      candidate("bicycle", { vehicle: "bicycle", distanceM: 0, idleMs: 3_600_000 }),
      candidate("car", { vehicle: "car", distanceM: 0 }),
      candidate("motorbike", { distanceM: 3_000 }),
      candidate("tricycle", { vehicle: "tricycle", distanceM: 3_900 })
    ], twoB28, defaultMatchingSettings)
    assert.deepStrictEqual(ids(ranked), ["motorbike", "tricycle"])
    assert.deepStrictEqual(rankCandidates([candidate("bicycle", { vehicle: "bicycle" })], twoB28, defaultMatchingSettings), [])
  })

  it("a driver listed twice is ranked once, with his better score", () => {
    const ranked = rankCandidates([candidate("d-a", { distanceM: 3_000 }), candidate("d-b"), candidate("d-a", { distanceM: 100 })], meal, defaultMatchingSettings)
    assert.deepStrictEqual(ids(ranked), ["d-a", "d-b"])
    assert.strictEqual(ranked[0]!.score, scoreCandidate(candidate("d-a", { distanceM: 100 }), meal, defaultMatchingSettings).score)
  })

  it("property: the same candidates give the same ranking, in whatever order they come", () => {
    fc.assert(fc.property(candidatesTwice, load, settings, ([candidates, shuffled], load, settings) => {
      assert.deepStrictEqual(rankCandidates(shuffled, load, settings), rankCandidates(candidates, load, settings))
    }), { numRuns: 2_000 })
  })

  it("property: sorted by score descending, ties by driver id ascending, each driver once, never one unable to carry", () => {
    let ties = 0
    fc.assert(fc.property(candidates, load, settings, (candidates, load, settings) => {
      const ranked = rankCandidates(candidates, load, settings)
      ties += ranked.filter((scored, index) => index > 0 && ranked[index - 1]!.score === scored.score).length
      for (let index = 1; index < ranked.length; index++) {
        const [before, after] = [ranked[index - 1]!, ranked[index]!]
        assert.isTrue(before.score > after.score || (before.score === after.score && before.driverId < after.driverId), `${before.driverId} ${before.score} before ${after.driverId} ${after.score}`)
      }
      const able = candidates.filter((facts) => vehicleFitness(facts.vehicle, load) > 0)
      // Exactly the drivers able to carry it, each with his best score.
      assert.deepStrictEqual(new Set(ids(ranked)), new Set(ids(able)))
      assert.strictEqual(ranked.length, new Set(ids(able)).size)
      for (const scored of ranked) {
        const best = Math.max(...able.filter((facts) => facts.driverId === scored.driverId).map((facts) => scoreCandidate(facts, load, settings).score))
        assert.strictEqual(scored.score, best)
        assert.isAbove(scored.factors.vehicle, 0)
      }
    }), { numRuns: 2_000 })
    // The property saw ties to break, else it proved nothing about them.
    assert.isAbove(ties, 100)
  })
})
