import type { GeoPoint } from "../geo/GeoPoint.ts"

export const defaultNearbyRadiusM = 5_000
export const maximumNearbyRadiusM = 20_000

/** 0.001° of latitude ≈ 111 m; of longitude ≈ 110 m at Tiassalé (5.9° N). */
export const nearbyCellDegrees = 0.001

const snap = (degrees: number) => Number((Math.round(degrees / nearbyCellDegrees) * nearbyCellDegrees).toFixed(3))

/**
 * The centre of the ~110 m cell around a position. A nearby search is answered for the caller's
 * cell: its set (the radius) and its order are those of the cell's centre, so everyone in the cell
 * shares one cached page and a cursor stays valid while the phone's position wobbles; each
 * `distanceM` shown is still measured from the caller's own position.
 */
export const nearbyCellOf = (point: GeoPoint): GeoPoint => ({ lat: snap(point.lat), lng: snap(point.lng) })
