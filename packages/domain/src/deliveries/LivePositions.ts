import { Context, type Effect, type Option } from "effect"
import type { GeoPoint } from "../geo/GeoPoint.ts"
import type { DeliveriesUnavailable } from "./errors.ts"
import type { LivePosition, NearbyDriver, TrailState } from "./LocationPoint.ts"

/**
 * The drivers' last known positions, written at every batch a phone sends and read by matching
 * (who is around a provider) and tracking (where is my driver). Kept in Redis: written far more
 * often than anything else, and losing it loses only seconds (the phones send again).
 */
export class LivePositions extends Context.Service<LivePositions, {
  /** Replaces the driver's position with this one. */
  readonly record: (position: LivePosition) => Effect.Effect<void, DeliveriesUnavailable>
  readonly positionOf: (driverId: string) => Effect.Effect<Option.Option<LivePosition>, DeliveriesUnavailable>
  /** The position and the trail state in one read: what each batch of points needs. */
  readonly stateOf: (driverId: string) => Effect.Effect<{ readonly position: Option.Option<LivePosition>; readonly trail: TrailState | null }, DeliveriesUnavailable>
  /** Starts (a delivery accepted), moves on (a point kept) or ends (null: the delivery ended) the driver's trail. */
  readonly setTrail: (driverId: string, trail: TrailState | null) => Effect.Effect<void, DeliveriesUnavailable>
  /** The drivers within `radiusM` of `center`, nearest first, at most `limit`. */
  readonly nearby: (center: GeoPoint, radiusM: number, limit: number) => Effect.Effect<ReadonlyArray<NearbyDriver>, DeliveriesUnavailable>
}>()("nelo/deliveries/LivePositions") {}
