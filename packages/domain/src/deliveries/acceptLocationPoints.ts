import type { DriverPolicyNumbers } from "./DriverPolicy.ts"
import type { LocationPoint } from "./LocationPoint.ts"

export type DroppedReason = "older_than_last" | "from_the_future" | "inaccurate"

export interface AcceptedPoints {
  /** The points kept, oldest first: the last is the driver's new live position. */
  readonly kept: ReadonlyArray<LocationPoint>
  /** Each point left out, by its index in the batch sent, and why. */
  readonly dropped: ReadonlyArray<{ readonly index: number; readonly reason: DroppedReason }>
}

/**
 * Which points of a batch count. A phone in a dead spot sends its points late, in batches, maybe
 * out of order: kept are those newer than the last kept already (and than each other: one per
 * instant), not claiming to come from the future beyond the tolerance (a wrong clock), and precise
 * enough to tell streets apart. Sorted by time, so the newest is the live position whatever the
 * order they came in.
 */
export const acceptLocationPoints = (
  points: ReadonlyArray<LocationPoint>,
  lastKeptAt: Date | null,
  nowMs: number,
  policy: Pick<DriverPolicyNumbers, "maximumAccuracyM" | "futureToleranceMs">
): AcceptedPoints => {
  const dropped: Array<{ readonly index: number; readonly reason: DroppedReason }> = []
  const candidates: Array<{ readonly index: number; readonly point: LocationPoint }> = []
  points.forEach((point, index) => {
    const atMs = point.recordedAt.getTime()
    if (atMs > nowMs + policy.futureToleranceMs) dropped.push({ index, reason: "from_the_future" })
    else if (lastKeptAt !== null && atMs <= lastKeptAt.getTime()) dropped.push({ index, reason: "older_than_last" })
    else if (!(point.accuracyM <= policy.maximumAccuracyM)) dropped.push({ index, reason: "inaccurate" })
    else candidates.push({ index, point })
  })
  candidates.sort((left, right) => left.point.recordedAt.getTime() - right.point.recordedAt.getTime() || left.index - right.index)
  const kept: Array<LocationPoint> = []
  for (const { index, point } of candidates) {
    // Two points of the same instant: the first sent stands, the other is a repeat.
    if (kept.length > 0 && kept.at(-1)!.recordedAt.getTime() === point.recordedAt.getTime()) dropped.push({ index, reason: "older_than_last" })
    else kept.push(point)
  }
  dropped.sort((left, right) => left.index - right.index)
  return { kept, dropped }
}
