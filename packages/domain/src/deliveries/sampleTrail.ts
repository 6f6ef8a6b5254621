import { haversineMeters } from "../geo/haversineMeters.ts"
import type { GeoPoint } from "../geo/GeoPoint.ts"
import type { DriverPolicyNumbers } from "./DriverPolicy.ts"

interface Fix {
  readonly location: GeoPoint
  readonly recordedAt: Date
}

/**
 * The points of a batch worth keeping in a delivery's trail: each at least `trailMinDistanceM` or
 * `trailMinIntervalMs` from the last one kept (the batch's own kept ones included). Enough to show
 * where a driver went and when, in a dispute, without a row for every fix of a phone sending every
 * few seconds. `points` are the batch's accepted ones, oldest first.
 */
export const sampleTrail = <Point extends Fix>(lastKept: Fix | null, points: ReadonlyArray<Point>, policy: Pick<DriverPolicyNumbers, "trailMinDistanceM" | "trailMinIntervalMs">): ReadonlyArray<Point> => {
  const kept: Array<Point> = []
  let last: Fix | null = lastKept
  for (const point of points) {
    const farEnough = last === null || haversineMeters(last.location, point.location) >= policy.trailMinDistanceM
    const lateEnough = last === null || point.recordedAt.getTime() - last.recordedAt.getTime() >= policy.trailMinIntervalMs
    if (farEnough || lateEnough) {
      kept.push(point)
      last = point
    }
  }
  return kept
}
