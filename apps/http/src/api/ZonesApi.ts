import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"
import { GeoPoint } from "@nelo/domain/geo/GeoPoint"

export const ZoneLookupPayload = GeoPoint

export const ZoneLookupResult = Schema.Struct({
  /** Whether NELO delivers at this point (it lies in an active zone). */
  served: Schema.Boolean,
  zone: Schema.NullOr(Schema.Struct({
    id: Schema.String,
    slug: Schema.String,
    name: Schema.String,
    city: Schema.Struct({ slug: Schema.String, name: Schema.String })
  }))
})

/**
 * The position travels in the body, not the query string, so it stays out of access logs and
 * proxies' URLs: a customer's location is personal data.
 */
export class ZonesApi extends HttpApiGroup.make("zones")
  .add(
    HttpApiEndpoint.post("lookup", "/zones/lookup", { payload: ZoneLookupPayload, success: ZoneLookupResult })
      .annotate(OpenApi.Description, "Dit dans quelle zone de livraison se trouve un point { lat, lng }, ou qu'il est hors zone.")
  )
  .prefix("/api/v1")
  .annotateMerge(OpenApi.annotations({ title: "Zones" }))
{}
