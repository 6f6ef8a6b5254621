import type { MatchingSettings } from "./MatchingSettings.ts"

/** The five factors of a candidate's score, each in [0, 1], 1 the best. */
export interface MatchingFactors {
  readonly proximity: number
  readonly availability: number
  readonly rating: number
  readonly vehicle: number
  readonly history: number
}

/** A driver's answers to his last offers (the store counts the last `recentOffersWindow`). */
export interface RecentOffers {
  /**
   * Offers the driver could answer: accepted, declined or left to time out. An offer withdrawn
   * because another driver accepted it first is not counted: nobody could blame him for it.
   */
  readonly offered: number
  /** Of those, the ones he accepted (and got). */
  readonly accepted: number
  /** Of the accepted, the ones he delivered (not failed, not handed back). */
  readonly completed: number
}

/** An offer a driver answered, as the store reads it back: what he did, and whether its delivery ended handed over by him. */
export interface OfferAnswer {
  readonly status: "accepted" | "rejected" | "expired" | "released"
  readonly delivered: boolean
}

/**
 * His answers counted (newest first, as many as the store was asked for): each one offered;
 * accepted, kept or later released (handing one back is accepting then not completing);
 * completed, kept and handed over at the door.
 */
export const recentOffersOf = (answers: ReadonlyArray<OfferAnswer>): RecentOffers => ({
  offered: answers.length,
  accepted: answers.filter((answer) => answer.status === "accepted" || answer.status === "released").length,
  completed: answers.filter((answer) => answer.status === "accepted" && answer.delivered).length
})

/** How many of his latest answers in a row were left to time out (newest first). */
export const trailingTimeoutsOf = (answers: ReadonlyArray<OfferAnswer>): number => {
  const firstOther = answers.findIndex((answer) => answer.status !== "expired")
  return firstOther === -1 ? answers.length : firstOther
}

/** Into [0, 1]; anything that is not a number (NaN) counts as the worst, 0. */
export const clampUnit = (value: number): number => value >= 1 ? 1 : value > 0 ? value : 0

/** 1 at the pickup, 0 at the edge of the search radius and beyond: 1 − distance / radius. */
export const proximityFactor = (distanceM: number, radiusM: number): number =>
  radiusM > 0 ? clampUnit(1 - distanceM / radiusM) : distanceM <= 0 ? 1 : 0

/**
 * How long a driver has been waiting for work: since his last delivery ended, or since he came
 * online when he has none. When he went offline after his last delivery, the wait counts from his
 * coming back online (the later of the two): hours spent offline are not waiting, and would give
 * whoever logs in the morning after a delivery the night before the first order of the day.
 */
export const idleMsOf = (driver: { readonly onlineSinceMs: number; readonly lastDeliveredAtMs: number | null }, nowMs: number): number =>
  Math.max(0, nowMs - Math.max(driver.onlineSinceMs, driver.lastDeliveredAtMs ?? driver.onlineSinceMs))

/** Fair share of work: the wait over the cap, 1 once the cap is reached. */
export const availabilityFactor = (idleMs: number, capMs: number): number =>
  capMs > 0 ? clampUnit(idleMs / capMs) : idleMs > 0 ? 1 : 0

/**
 * The driver's mean rating, shrunk towards the prior by `ratingPriorWeight` imaginary ratings of
 * `ratingPriorMean` (a Bayesian mean): (w × m + sum) / (w + count). A newcomer has the prior; a
 * driver with three 5s is not yet taken to be better than one with two hundred 4.9s. Scaled from
 * the 1-to-5 stars to [0, 1].
 */
export const ratingFactor = (ratingSum: number, ratingCount: number, prior: Pick<MatchingSettings, "ratingPriorMean" | "ratingPriorWeight">): number => {
  const votes = prior.ratingPriorWeight + ratingCount
  const mean = votes > 0 ? (prior.ratingPriorWeight * prior.ratingPriorMean + ratingSum) / votes : prior.ratingPriorMean
  return clampUnit((mean - 1) / 4)
}

/**
 * Acceptance rate × completion rate over the last offers: (accepted / offered) × (completed /
 * accepted). The product is completed / offered: declining an offer and accepting then dropping it
 * cost the same. A driver with no offer counted has the neutral `historyWithoutOffers`.
 */
export const historyFactor = (offers: RecentOffers, withoutOffers: number): number => {
  if (!(offers.offered > 0)) return clampUnit(withoutOffers)
  const acceptance = clampUnit(offers.accepted / offers.offered)
  const completion = offers.accepted > 0 ? clampUnit(offers.completed / offers.accepted) : 0
  return acceptance * completion
}
