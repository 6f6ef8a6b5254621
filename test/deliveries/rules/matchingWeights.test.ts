import { assert, describe, it } from "@effect/vitest"
import { Option, Schema } from "effect"
import fc from "fast-check"
import { defaultMatchingSettings, MatchingSettings, MatchingWeights, matchingWeights } from "@nelo/domain/deliveries/MatchingSettings"
import { weightParts } from "./matchingArbitraries.ts"

const decodeWeights = Schema.decodeUnknownOption(MatchingWeights)
const decodeSettings = Schema.decodeUnknownOption(MatchingSettings)
const names = ["proximity", "availability", "rating", "vehicle", "history"] as const
const plan = { proximity: 3_000, availability: 2_500, rating: 2_000, vehicle: 1_500, history: 1_000 }

/** Sound weights, and weights off by a little, a lot, below zero or fractional. */
const candidateWeights = fc.oneof(
  weightParts,
  fc.tuple(weightParts, fc.constantFrom(...names), fc.integer({ min: -3_000, max: 3_000 })).map(([weights, name, delta]) => ({ ...weights, [name]: weights[name] + delta })),
  // Moves weight from one factor to another: the sum stays 10,000, but one may go below zero.
  fc.tuple(weightParts, fc.constantFrom(...names), fc.constantFrom(...names), fc.integer({ min: 0, max: 10_000 })).map(([weights, from, to, amount]) =>
    from === to ? weights : { ...weights, [from]: weights[from] - amount, [to]: weights[to] + amount }
  ),
  fc.record({
    proximity: fc.integer({ min: -100, max: 10_100 }),
    availability: fc.integer({ min: -100, max: 10_100 }),
    rating: fc.integer({ min: -100, max: 10_100 }),
    vehicle: fc.integer({ min: -100, max: 10_100 }),
    history: fc.integer({ min: -100, max: 10_100 })
  }),
  fc.tuple(weightParts, fc.constantFrom(...names), fc.double({ min: 0.01, max: 0.99, noNaN: true })).map(([weights, name, fraction]) => ({ ...weights, [name]: weights[name] + fraction }))
)

const sound = (weights: Record<(typeof names)[number], number>) =>
  names.every((name) => Number.isInteger(weights[name]) && weights[name] >= 0) && names.reduce((sum, name) => sum + weights[name], 0) === 10_000

describe("matching weights", () => {
  it("the plan's weights are sound", () => {
    assert.isTrue(Option.isSome(decodeWeights(plan)))
    assert.deepStrictEqual({ ...matchingWeights(plan) }, plan)
  })

  it("weights that do not sum to 10,000 basis points (100 %) are refused, by decoding and in code", () => {
    for (const weights of [{ ...plan, history: 999 }, { ...plan, history: 1_001 }, { ...plan, proximity: 0 }]) {
      assert.isTrue(Option.isNone(decodeWeights(weights)), JSON.stringify(weights))
      assert.throws(() => matchingWeights(weights), RangeError)
    }
    const failure = Schema.decodeUnknownExit(MatchingWeights)({ ...plan, history: 999 })
    assert.include(String(failure), "10 000")
  })

  it("a negative weight is refused even when the sum is right; fractions (0.30) are not basis points", () => {
    // Another split of 100 %, a zero among them: sound.
    assert.isTrue(Option.isSome(decodeWeights({ proximity: 4_000, availability: 3_500, rating: 2_000, vehicle: 500, history: 0 })))
    const belowZero = { ...plan, history: -500, proximity: 3_500 + 1_000 }
    assert.strictEqual(names.reduce((sum, name) => sum + belowZero[name], 0), 10_000)
    assert.isTrue(Option.isNone(decodeWeights(belowZero)))
    assert.throws(() => matchingWeights(belowZero), RangeError)
    const fractions = { proximity: 0.3, availability: 0.25, rating: 0.2, vehicle: 0.15, history: 0.1 }
    assert.isTrue(Option.isNone(decodeWeights(fractions)))
    assert.throws(() => matchingWeights(fractions), RangeError)
  })

  it("property: weights are accepted exactly when whole, non-negative and summing to 10,000", () => {
    fc.assert(fc.property(candidateWeights, (weights) => {
      const expected = sound(weights)
      assert.strictEqual(Option.isSome(decodeWeights(weights)), expected, JSON.stringify(weights))
      if (expected) assert.doesNotThrow(() => matchingWeights(weights))
      else assert.throws(() => matchingWeights(weights), RangeError)
    }), { numRuns: 3_000 })
  })

  it("the default settings decode, and settings with unsound weights do not", () => {
    assert.isTrue(Option.isSome(decodeSettings({ ...defaultMatchingSettings, weights: { ...defaultMatchingSettings.weights } })))
    assert.isTrue(Option.isNone(decodeSettings({ ...defaultMatchingSettings, weights: { ...plan, rating: 2_100 } })))
    assert.isTrue(Option.isNone(decodeSettings({ ...defaultMatchingSettings, availabilityCapMs: 0 })))
    assert.isTrue(Option.isNone(decodeSettings({ ...defaultMatchingSettings, ratingPriorMean: 6 })))
  })
})
