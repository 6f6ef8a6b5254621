import { Schema } from "effect"
import { GeoPoint } from "./GeoPoint.ts"

export const ZoneKind = Schema.Literals(["quartier", "town", "village"])
export type ZoneKind = typeof ZoneKind.Type

/**
 * A delivery zone: a polygon (one outer ring, closed or not) inside a city's service area.
 * `approximate` says the boundary was drawn without a survey and must be checked by an admin.
 */
export const ZoneDefinition = Schema.Struct({
  slug: Schema.String.pipe(Schema.check(Schema.isPattern(/^[a-z0-9]+(?:-[a-z0-9]+)*$/u))),
  name: Schema.String.pipe(Schema.check(Schema.isNonEmpty())),
  kind: ZoneKind,
  boundary: Schema.Array(GeoPoint).pipe(Schema.check(Schema.isMinLength(3))),
  approximate: Schema.Boolean
})
export type ZoneDefinition = typeof ZoneDefinition.Type

export const CityDefinition = Schema.Struct({
  slug: Schema.String.pipe(Schema.check(Schema.isPattern(/^[a-z0-9]+(?:-[a-z0-9]+)*$/u))),
  name: Schema.String.pipe(Schema.check(Schema.isNonEmpty())),
  countryCode: Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Z]{2}$/u))),
  timeZone: Schema.String,
  center: GeoPoint,
  zones: Schema.Array(ZoneDefinition)
})
export type CityDefinition = typeof CityDefinition.Type

/** What a point resolves to. */
export interface ZoneMatch {
  readonly zoneId: string
  readonly zoneSlug: string
  readonly zoneName: string
  readonly citySlug: string
  readonly cityName: string
}
