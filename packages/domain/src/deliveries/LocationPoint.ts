import { Schema } from "effect"
import type { GeoPoint } from "../geo/GeoPoint.ts"

/** One fix of a driver's phone, as the app records it (sent late, in batches, when the network comes back). */
export const LocationPoint = Schema.Struct({
  lat: Schema.Number,
  lng: Schema.Number,
  /** The phone's own estimate of its error, in meters. */
  accuracyM: Schema.Number,
  headingDeg: Schema.NullOr(Schema.Number),
  speedMps: Schema.NullOr(Schema.Number),
  recordedAt: Schema.Date
})
export type LocationPoint = typeof LocationPoint.Type

/** Where a driver was last seen: the newest point kept. */
export interface LivePosition {
  readonly driverId: string
  readonly location: GeoPoint
  readonly accuracyM: number
  readonly headingDeg: number | null
  readonly speedMps: number | null
  readonly recordedAt: Date
}

/** A driver found around a place, with how far (as the crow flies). */
export interface NearbyDriver extends LivePosition {
  readonly distanceM: number
}

/**
 * The trail kept while a driver holds a delivery (for disputes: "he never came"): which delivery,
 * and the last point kept, which the next must be far or late enough from to be kept too.
 */
export interface TrailState {
  readonly deliveryId: string
  readonly lastKept: { readonly location: GeoPoint; readonly recordedAt: Date } | null
}

/** A point of a delivery's trail, as stored. */
export interface TrailPoint {
  readonly deliveryId: string
  readonly driverId: string
  readonly location: GeoPoint
  readonly accuracyM: number
  readonly recordedAt: Date
}
