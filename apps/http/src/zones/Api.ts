import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"
import { Id, Point, Text } from "../shared/bounded.ts"
import { ServiceUnavailable } from "../shared/problems.ts"

export const ZoneLookupResult = Schema.Struct({
  /** Whether NELO delivers at this point (it lies in an active zone). */
  served: Schema.Boolean,
  zone: Schema.NullOr(Schema.Struct({
    id: Id,
    slug: Text(100),
    name: Text(200),
    city: Schema.Struct({ slug: Text(100), name: Text(200) })
  }))
})

/**
 * The position travels in the body, not the query string, so it stays out of access logs and
 * proxies' URLs: a customer's location is personal data.
 */
export class ZonesApi extends HttpApiGroup.make("zones")
  .add(
    HttpApiEndpoint.post("lookup", "/zones/lookup", { payload: Point, success: ZoneLookupResult, error: ServiceUnavailable })
      .annotate(OpenApi.Description, "Dit dans quelle zone de livraison se trouve un point { lat, lng }, ou qu'il est hors zone.")
  )
  .prefix("/api/v1")
  .annotateMerge(OpenApi.annotations({ title: "Zones" }))
{}
