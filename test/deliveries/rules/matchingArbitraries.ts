import fc from "fast-check"
import type { DeliveryLoad, GasBottles } from "@nelo/domain/deliveries/DeliveryLoad"
import { defaultMatchingSettings, type MatchingSettings, matchingWeights } from "@nelo/domain/deliveries/MatchingSettings"
import type { CandidateFacts } from "@nelo/domain/deliveries/scoreCandidate"
import type { Vehicle } from "@nelo/domain/deliveries/Vehicle"

export const vehicles: ReadonlyArray<Vehicle> = ["motorbike", "bicycle", "tricycle", "car"]
export const vehicle = fc.constantFrom(...vehicles)

const bottles: fc.Arbitrary<GasBottles> = fc.record({
  sizeKg: fc.constantFrom(6, 12.5, 15, 17.5, 25, 28),
  quantity: fc.integer({ min: 0, max: 5 }),
  emptiesToCollect: fc.integer({ min: 0, max: 5 })
})

/** Meals, groceries, gas, or both; often small enough for a bicycle, often not. */
export const load: fc.Arbitrary<DeliveryLoad> = fc.record({
  itemCount: fc.oneof(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 200 })),
  gasBottles: fc.oneof(fc.constant([]), fc.array(bottles, { maxLength: 3 }))
})

/** Five whole basis points summing to 10,000: four cuts of [0, 10,000]; zeros included. */
export const weightParts = fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 4, maxLength: 4 }).map((cuts) => {
  const [a, b, c, d] = [...cuts].sort((left, right) => left - right) as [number, number, number, number]
  return { proximity: a, availability: b - a, rating: c - b, vehicle: d - c, history: 10_000 - d }
})

export const settings: fc.Arbitrary<MatchingSettings> = fc.record({
  weights: weightParts.map(matchingWeights),
  availabilityCapMs: fc.integer({ min: 60_000, max: 24 * 3_600_000 }),
  ratingPriorMean: fc.double({ min: 1, max: 5, noNaN: true }),
  ratingPriorWeight: fc.integer({ min: 1, max: 1_000 }),
  historyWithoutOffers: fc.double({ min: 0, max: 1, noNaN: true }),
  recentOffersWindow: fc.constant(20)
})

/** Few ids, so that ties and drivers listed twice happen. */
export const driverId = fc.constantFrom("d-a", "d-b", "d-c", "d-d", "d-e", "d-f")

const offers = fc.integer({ min: 0, max: 20 }).chain((offered) =>
  fc.integer({ min: 0, max: offered }).chain((accepted) =>
    fc.integer({ min: 0, max: accepted }).map((completed) => ({ offered, accepted, completed }))
  )
)

const ratings = fc.integer({ min: 0, max: 300 }).chain((ratingCount) =>
  fc.integer({ min: ratingCount, max: 5 * ratingCount }).map((ratingSum) => ({ ratingCount, ratingSum }))
)

/** Facts as the store gives them: a distance often past the radius, ratings of 1 to 5 stars. */
export const facts: fc.Arbitrary<CandidateFacts> = fc.record({
  driverId,
  vehicle,
  distanceM: fc.integer({ min: 0, max: 12_000 }),
  radiusM: fc.integer({ min: 500, max: 10_000 }),
  idleMs: fc.integer({ min: 0, max: 3 * 3_600_000 }),
  ratings,
  recentOffers: offers
}).map(({ ratings, ...rest }) => ({ ...rest, ...ratings }))

/** Any number at all: negative, fractional, infinite, not a number. */
const anyNumber = fc.oneof(fc.double(), fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.constantFrom(0, -0, Infinity, -Infinity, Number.NaN))

/** Facts nobody should send (counts below zero, NaN, more completed than offered): the score must still hold. */
export const wildFacts: fc.Arbitrary<CandidateFacts> = fc.record({
  driverId,
  vehicle,
  distanceM: anyNumber,
  radiusM: anyNumber,
  idleMs: anyNumber,
  ratingSum: anyNumber,
  ratingCount: anyNumber,
  recentOffers: fc.record({ offered: anyNumber, accepted: anyNumber, completed: anyNumber })
})

/**
 * Candidates as a search returns them, with ties made likely: some are clones of others under
 * another id (equal scores), some drivers come twice.
 */
export const candidates: fc.Arbitrary<ReadonlyArray<CandidateFacts>> = fc.array(facts, { maxLength: 10 }).chain((list) =>
  list.length === 0
    ? fc.constant(list)
    : fc.array(fc.tuple(fc.nat(list.length - 1), driverId), { maxLength: 6 }).map((clones) => [
      ...list,
      ...clones.map(([index, id]) => ({ ...list[index]!, driverId: id }))
    ])
)
