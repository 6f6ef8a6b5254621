import { Effect, Layer, Option } from "effect"
import { LivePositions } from "@nelo/domain/deliveries/LivePositions"
import type { LivePosition, TrailState } from "@nelo/domain/deliveries/LocationPoint"
import { haversineMeters } from "@nelo/domain/geo/haversineMeters"

/** The live positions in memory, for unit tests: the same answers as Redis GEO, distances on the sphere. */
export const LivePositionsMemory = Layer.sync(LivePositions, () => {
  const positions = new Map<string, LivePosition>()
  const trails = new Map<string, TrailState>()
  return LivePositions.of({
    record: (position) => Effect.sync(() => void positions.set(position.driverId, position)),
    positionOf: (driverId) => Effect.sync(() => Option.fromNullishOr(positions.get(driverId))),
    stateOf: (driverId) => Effect.sync(() => ({ position: Option.fromNullishOr(positions.get(driverId)), trail: trails.get(driverId) ?? null })),
    setTrail: (driverId, trail) => Effect.sync(() => void (trail === null ? trails.delete(driverId) : trails.set(driverId, trail))),
    nearby: (center, radiusM, limit) =>
      Effect.sync(() =>
        [...positions.values()]
          .map((position) => ({ ...position, distanceM: haversineMeters(center, position.location) }))
          .filter((found) => found.distanceM <= radiusM)
          .sort((left, right) => left.distanceM - right.distanceM || (left.driverId < right.driverId ? -1 : 1))
          .slice(0, Math.max(0, Math.floor(limit)))
      )
  })
})
