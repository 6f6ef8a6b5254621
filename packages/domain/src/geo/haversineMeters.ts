import type { GeoPoint } from "./GeoPoint.ts"

/**
 * The Earth's mean radius (IUGG, (2a + b) / 3 of WGS 84): the sphere PostGIS also measures
 * geography on when asked not to use the spheroid, so both stores agree on distances.
 */
export const earthRadiusMeters = 6_371_008.8

const radians = (degrees: number) => (degrees * Math.PI) / 180

/** Great-circle distance on that sphere, in meters (within ~0.5% of the ellipsoid's at any latitude). */
export const haversineMeters = (from: GeoPoint, to: GeoPoint): number => {
  const deltaLat = radians(to.lat - from.lat)
  const deltaLng = radians(to.lng - from.lng)
  const a = Math.sin(deltaLat / 2) ** 2 + Math.cos(radians(from.lat)) * Math.cos(radians(to.lat)) * Math.sin(deltaLng / 2) ** 2
  return 2 * earthRadiusMeters * Math.asin(Math.min(1, Math.sqrt(a)))
}
