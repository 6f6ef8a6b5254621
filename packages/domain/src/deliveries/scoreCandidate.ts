import type { DeliveryLoad } from "./DeliveryLoad.ts"
import { availabilityFactor, clampUnit, historyFactor, type MatchingFactors, proximityFactor, ratingFactor, type RecentOffers } from "./matchingFactors.ts"
import type { MatchingSettings, MatchingWeights } from "./MatchingSettings.ts"
import type { Vehicle } from "./Vehicle.ts"
import { vehicleFitness } from "./vehicleFitness.ts"

/** What matching knows of a driver found near the pickup, already found eligible. */
export interface CandidateFacts {
  readonly driverId: string
  readonly vehicle: Vehicle
  /** From the driver's last position to the pickup. */
  readonly distanceM: number
  /** The radius the candidates were searched within (it grows from one batch of offers to the next). */
  readonly radiusM: number
  /** How long he has waited for work (`idleMsOf`). */
  readonly idleMs: number
  /** His ratings, 1 to 5 stars each: their sum and how many. */
  readonly ratingSum: number
  readonly ratingCount: number
  readonly recentOffers: RecentOffers
}

export type ScoringSettings = Pick<MatchingSettings, "weights" | "availabilityCapMs" | "ratingPriorMean" | "ratingPriorWeight" | "historyWithoutOffers">

export interface CandidateScore {
  readonly driverId: string
  /** In [0, 1]. */
  readonly score: number
  /** What made it, for the logs and for admins asking why a driver got (or did not get) an order. */
  readonly factors: MatchingFactors
}

/** A candidate's factors, each in [0, 1]. */
export const factorsOf = (facts: CandidateFacts, load: DeliveryLoad, settings: ScoringSettings): MatchingFactors => ({
  proximity: proximityFactor(facts.distanceM, facts.radiusM),
  availability: availabilityFactor(facts.idleMs, settings.availabilityCapMs),
  rating: ratingFactor(facts.ratingSum, facts.ratingCount, settings),
  vehicle: clampUnit(vehicleFitness(facts.vehicle, load)),
  history: historyFactor(facts.recentOffers, settings.historyWithoutOffers)
})

/**
 * Σ weight × factor. Factors are clamped to [0, 1] and the weights are whole basis points summing
 * to 10,000 (checked where they are made), so the score is in [0, 1] exactly: each product is at
 * most its weight, integers add exactly, and rounding never pushes a sum past 10,000.
 */
export const weightedScore = (factors: MatchingFactors, weights: MatchingWeights): number =>
  (weights.proximity * clampUnit(factors.proximity) +
    weights.availability * clampUnit(factors.availability) +
    weights.rating * clampUnit(factors.rating) +
    weights.vehicle * clampUnit(factors.vehicle) +
    weights.history * clampUnit(factors.history)) / 10_000

/**
 * score = 0.30 proximity + 0.25 availability + 0.20 rating + 0.15 vehicle + 0.10 history (the
 * default weights). A candidate whose vehicle may not carry the load still gets a score here, its
 * vehicle factor 0: leaving him out is `rankCandidates`' work (and the eligibility's).
 */
export const scoreCandidate = (facts: CandidateFacts, load: DeliveryLoad, settings: ScoringSettings): CandidateScore => {
  const factors = factorsOf(facts, load, settings)
  return { driverId: facts.driverId, score: weightedScore(factors, settings.weights), factors }
}
