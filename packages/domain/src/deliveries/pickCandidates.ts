import type { KycStatus } from "../users/Kyc.ts"
import type { Xof } from "../shared/Xof.ts"
import type { Driver } from "./Driver.ts"
import type { DriverPolicyNumbers } from "./DriverPolicy.ts"
import { eligibility, type IneligibilityReason, type OrderFacts } from "./eligibility.ts"
import type { NearbyDriver } from "./LocationPoint.ts"
import { idleMsOf, type RecentOffers } from "./matchingFactors.ts"
import type { MatchingSettings } from "./MatchingSettings.ts"
import { rankCandidates } from "./rankCandidates.ts"
import type { CandidateScore } from "./scoreCandidate.ts"

/** Everything dispatch read of a driver found around the pickup. */
export interface CandidateRecord {
  readonly nearby: NearbyDriver
  readonly driver: Driver
  readonly kycStatus: KycStatus
  readonly hasActiveDelivery: boolean
  readonly cashHeldXof: Xof
  readonly recentOffers: RecentOffers
}

export interface ChosenCandidate extends CandidateScore {
  readonly distanceToPickupM: number
}

export type SkipReason = IneligibilityReason | "already_offered"

export interface PickedCandidates {
  /** The best `count` eligible drivers, best first. */
  readonly chosen: ReadonlyArray<ChosenCandidate>
  /** Those left out and why (for the logs, and admins asking why nobody was offered it). */
  readonly skipped: ReadonlyArray<{ readonly driverId: string; readonly reason: SkipReason }>
}

/**
 * The drivers to offer an order to, from those found within `radiusM` of the pickup: each must not
 * have been offered it in this round (`excluded`) and be eligible (online, fresh position, free,
 * KYC approved, a fit vehicle, the cash cap); the eligible are ranked by score and the best `count`
 * chosen. Pure: the same records give the same choice.
 */
export const pickCandidates = (
  records: ReadonlyArray<CandidateRecord>,
  order: OrderFacts,
  options: {
    readonly excluded: ReadonlySet<string>
    readonly radiusM: number
    readonly count: number
    readonly nowMs: number
    readonly matching: MatchingSettings
    readonly driverPolicy: Pick<DriverPolicyNumbers, "freshLocationMs" | "cashInHandCapXof">
  }
): PickedCandidates => {
  const skipped: Array<{ readonly driverId: string; readonly reason: SkipReason }> = []
  const distances = new Map<string, number>()
  const facts = records.flatMap((record) => {
    const driverId = record.driver.userId
    if (options.excluded.has(driverId)) {
      skipped.push({ driverId, reason: "already_offered" })
      return []
    }
    const verdict = eligibility({
      online: record.driver.status === "online",
      locationAtMs: record.nearby.recordedAt.getTime(),
      hasActiveDelivery: record.hasActiveDelivery,
      kycStatus: record.kycStatus,
      vehicle: record.driver.vehicle,
      cashInHandXof: record.cashHeldXof
    }, order, options.driverPolicy, options.nowMs)
    if (verdict._tag === "Ineligible") {
      skipped.push({ driverId, reason: verdict.reason })
      return []
    }
    distances.set(driverId, Math.min(distances.get(driverId) ?? Infinity, record.nearby.distanceM))
    return [{
      driverId,
      vehicle: record.driver.vehicle,
      distanceM: record.nearby.distanceM,
      radiusM: options.radiusM,
      idleMs: idleMsOf({ onlineSinceMs: record.driver.statusChangedAt.getTime(), lastDeliveredAtMs: record.driver.lastDeliveredAt?.getTime() ?? null }, options.nowMs),
      ratingSum: record.driver.ratingSum,
      ratingCount: record.driver.ratingCount,
      recentOffers: record.recentOffers
    }]
  })
  const chosen = rankCandidates(facts, order.load, options.matching)
    .slice(0, Math.max(0, options.count))
    .map((scored) => ({ ...scored, distanceToPickupM: Math.round(distances.get(scored.driverId) ?? 0) }))
  return { chosen, skipped }
}
