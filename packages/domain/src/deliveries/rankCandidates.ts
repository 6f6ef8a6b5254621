import type { DeliveryLoad } from "./DeliveryLoad.ts"
import type { MatchingFactors } from "./matchingFactors.ts"
import { type CandidateFacts, type CandidateScore, type ScoringSettings, scoreCandidate } from "./scoreCandidate.ts"

const factorOrder: ReadonlyArray<keyof MatchingFactors> = ["proximity", "availability", "rating", "vehicle", "history"]

/**
 * Best first: the higher score; on a tie the driver id, ascending by code units (never the
 * locale's collation, which could differ between machines). Two entries of one driver with the same
 * score are ordered by their factors, so that even then nothing depends on the input order.
 */
export const compareCandidateScores = (left: CandidateScore, right: CandidateScore): number => {
  if (left.score !== right.score) return right.score - left.score
  if (left.driverId !== right.driverId) return left.driverId < right.driverId ? -1 : 1
  for (const factor of factorOrder) {
    if (left.factors[factor] !== right.factors[factor]) return right.factors[factor] - left.factors[factor]
  }
  return 0
}

/**
 * The candidates to offer the order to, best first. Those whose vehicle may not carry the load
 * (fitness 0) are left out. The same candidates give the same ranking in whatever order they come;
 * a driver listed twice is ranked once, with his better score.
 */
export const rankCandidates = (candidates: ReadonlyArray<CandidateFacts>, load: DeliveryLoad, settings: ScoringSettings): ReadonlyArray<CandidateScore> => {
  const ranked = candidates
    .map((candidate) => scoreCandidate(candidate, load, settings))
    .filter((scored) => scored.factors.vehicle > 0)
    .sort(compareCandidateScores)
  const seen = new Set<string>()
  return ranked.filter((scored) => {
    if (seen.has(scored.driverId)) return false
    seen.add(scored.driverId)
    return true
  })
}
