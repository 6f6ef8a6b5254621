import { Schema } from "effect"

/** A WGS 84 position as the API speaks it. */
export const GeoPoint = Schema.Struct({
  lat: Schema.Number.pipe(Schema.check(Schema.isBetween({ minimum: -90, maximum: 90 }))),
  lng: Schema.Number.pipe(Schema.check(Schema.isBetween({ minimum: -180, maximum: 180 })))
})
export type GeoPoint = typeof GeoPoint.Type
