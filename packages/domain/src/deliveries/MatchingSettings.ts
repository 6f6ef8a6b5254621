import { Schema } from "effect"
import { BasisPoints } from "../shared/Xof.ts"

const factorNames = ["proximity", "availability", "rating", "vehicle", "history"] as const

/** Why weights are refused, in the words of the decode error; undefined when they are sound. */
const weightsRefusal = (weights: Readonly<Record<(typeof factorNames)[number], number>>): string | undefined => {
  const total = factorNames.reduce((sum, name) => sum + weights[name], 0)
  return total === 10_000 ? undefined : `les poids doivent totaliser 10 000 points de base (100 %), pas ${total}`
}

/**
 * How much each factor counts in a candidate's score, in basis points (3000 = 0.30): each whole and
 * non-negative, together exactly 10,000, so that the score of factors in [0, 1] stays in [0, 1].
 * Basis points, as every rate of the project, make "sums to 1" an exact integer test rather than
 * a float compared within a tolerance (0.1 + 0.2 is not 0.3). Branded: only decoding (config, which
 * then stops start-up with the variable's name and this message) or `matchingWeights` (which throws,
 * a bug of the caller) make one, so the scoring never sees weights that were not checked.
 */
export const MatchingWeights = Schema.Struct({
  proximity: BasisPoints,
  availability: BasisPoints,
  rating: BasisPoints,
  vehicle: BasisPoints,
  history: BasisPoints
}).pipe(Schema.check(Schema.makeFilter(weightsRefusal)), Schema.brand("MatchingWeights"))
export type MatchingWeights = typeof MatchingWeights.Type

/** Weights from numbers in code: whole non-negative basis points summing to 10,000, else a RangeError. */
export const matchingWeights = (weights: Readonly<Record<(typeof factorNames)[number], number>>): MatchingWeights => {
  for (const name of factorNames) {
    const value = weights[name]
    if (!Number.isInteger(value) || value < 0 || value > 10_000) throw new RangeError(`weight ${name}: ${value} is not whole basis points from 0 to 10,000`)
  }
  const refusal = weightsRefusal(weights)
  if (refusal !== undefined) throw new RangeError(refusal)
  return weights as MatchingWeights
}

/** The plan's weights: 0.30 proximity, 0.25 availability, 0.20 rating, 0.15 vehicle, 0.10 history. */
export const defaultMatchingWeights: MatchingWeights = matchingWeights({ proximity: 3_000, availability: 2_500, rating: 2_000, vehicle: 1_500, history: 1_000 })

/** The numbers of matching: the score's and the eligibility's. Deployments tune them from config. */
export const MatchingSettings = Schema.Struct({
  weights: MatchingWeights,
  /** A driver idle this long has waited his full share: availability 1, no more for waiting longer. */
  availabilityCapMs: Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 60_000, maximum: 24 * 3_600_000 }))),
  /** The mean rating a driver without ratings is taken to have, out of 5. */
  ratingPriorMean: Schema.Finite.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 5 }))),
  /** How many ratings that prior counts as: how many real ones it takes to move a newcomer's mean halfway. */
  ratingPriorWeight: Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 1_000 }))),
  /** The history factor of a driver never offered an order (or none counted), in [0, 1]. */
  historyWithoutOffers: Schema.Finite.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 1 }))),
  /** The history factor reads the driver's last this many offers: what the store counts. */
  recentOffersWindow: Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 1_000 })))
})
export type MatchingSettings = typeof MatchingSettings.Type

/**
 * The defaults, the product's decisions for Tiassalé:
 * - availability saturates at 30 minutes: past half an hour without work a driver is owed the
 *   next order as much as anyone, and waiting longer (a quiet afternoon) adds nothing more;
 * - a newcomer's rating is 3.5 over 5 worth 5 ratings. 3.5, not the middle of the scale (3),
 *   because delivery ratings run high: a 3 would rank a newcomer with drivers customers complain
 *   about; and not the 4.5 good drivers have, which he has not earned. Five ratings let the first
 *   customers move it, and keep one angry first customer from sinking him;
 * - history without offers is 0.5, the middle: 1 would rank every newcomer above proven reliable
 *   drivers, 0 would keep him from the offers that make a history. At a weight of 0.10 it is
 *   0.05 from a perfect record. The window is the issue's last 20 offers.
 * The freshness of a position and the cash a driver may hold are the drivers' own rules
 * (DriverPolicy): going online and being offered work follow the same numbers.
 */
export const defaultMatchingSettings: MatchingSettings = {
  weights: defaultMatchingWeights,
  availabilityCapMs: 30 * 60_000,
  ratingPriorMean: 3.5,
  ratingPriorWeight: 5,
  historyWithoutOffers: 0.5,
  recentOffersWindow: 20
}
