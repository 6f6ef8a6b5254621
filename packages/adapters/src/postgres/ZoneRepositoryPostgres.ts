import { Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import type { GeoPoint } from "@nelo/domain/geo/GeoPoint"
import type { ZoneDefinition, ZoneMatch } from "@nelo/domain/geo/Zone"
import { GeoStoreUnavailable, type UpsertOutcome, ZoneRepository } from "@nelo/domain/geo/ZoneRepository"
import { isUuid } from "./isUuid.ts"

/** WKT of a closed ring: PostGIS wants longitude first and the first point repeated at the end. */
export const polygonWkt = (boundary: ReadonlyArray<GeoPoint>): string => {
  const ring = [...boundary, boundary[0]!].map((point) => `${point.lng} ${point.lat}`)
  return `POLYGON((${ring.join(", ")}))`
}

const unavailable = (cause: unknown) => new GeoStoreUnavailable({ cause })

export const ZoneRepositoryPostgres = Layer.effect(ZoneRepository, Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  return ZoneRepository.of({
    upsertCity: (city) =>
      Effect.gen(function*() {
        const center = `POINT(${city.center.lng} ${city.center.lat})`
        // The WHERE on the update makes an identical row a no-op: no row comes back, nothing changes.
        const written = yield* sql<{ id: string; inserted: boolean }>`
          INSERT INTO geo.cities (slug, name, country_code, time_zone, center)
          VALUES (${city.slug}, ${city.name}, ${city.countryCode}, ${city.timeZone}, ST_GeogFromText(${center}))
          ON CONFLICT (slug) DO UPDATE SET
            name = excluded.name, country_code = excluded.country_code, time_zone = excluded.time_zone,
            center = excluded.center, updated_at = now()
          WHERE (cities.name, cities.country_code, cities.time_zone) IS DISTINCT FROM (excluded.name, excluded.country_code, excluded.time_zone)
             OR NOT ST_Equals(cities.center::geometry, excluded.center::geometry)
          RETURNING id, (xmax = 0) AS inserted`
        if (written[0]) return { cityId: written[0].id, outcome: (written[0].inserted ? "created" : "updated") as UpsertOutcome }
        const [existing] = yield* sql<{ id: string }>`SELECT id FROM geo.cities WHERE slug = ${city.slug}`
        return { cityId: existing!.id, outcome: "unchanged" as UpsertOutcome }
      }).pipe(Effect.mapError(unavailable)),

    upsertZone: (cityId: string, zone: ZoneDefinition) =>
      Effect.gen(function*() {
        const written = yield* sql<{ inserted: boolean }>`
          INSERT INTO geo.zones (city_id, slug, name, kind, boundary, approximate)
          VALUES (${cityId}, ${zone.slug}, ${zone.name}, ${zone.kind}, ST_GeogFromText(${polygonWkt(zone.boundary)}), ${zone.approximate})
          ON CONFLICT (city_id, slug) DO UPDATE SET
            name = excluded.name, kind = excluded.kind, boundary = excluded.boundary,
            approximate = excluded.approximate, updated_at = now()
          WHERE (zones.name, zones.kind, zones.approximate) IS DISTINCT FROM (excluded.name, excluded.kind, excluded.approximate)
             OR NOT ST_Equals(zones.boundary::geometry, excluded.boundary::geometry)
          RETURNING (xmax = 0) AS inserted`
        if (!written[0]) return "unchanged" as UpsertOutcome
        return (written[0].inserted ? "created" : "updated") as UpsertOutcome
      }).pipe(Effect.mapError(unavailable)),

    zoneAt: (point) =>
      sql<ZoneMatch>`
        SELECT z.id AS zone_id, z.slug AS zone_slug, z.name AS zone_name, c.slug AS city_slug, c.name AS city_name
        FROM geo.zone_at(${point.lat}, ${point.lng}) z JOIN geo.cities c ON c.id = z.city_id`.pipe(
        Effect.map((rows) => Option.fromNullishOr(rows[0])),
        Effect.mapError(unavailable)
      ),

    zoneById: (zoneId) =>
      !isUuid(zoneId) ? Effect.succeed(Option.none()) : sql<ZoneMatch>`
        SELECT z.id AS zone_id, z.slug AS zone_slug, z.name AS zone_name, c.slug AS city_slug, c.name AS city_name
        FROM geo.zones z JOIN geo.cities c ON c.id = z.city_id WHERE z.id = ${zoneId}`.pipe(
        Effect.map((rows) => Option.fromNullishOr(rows[0])),
        Effect.mapError(unavailable)
      ),

    countZones: (citySlug) =>
      sql<{ count: string }>`
        SELECT count(*)::text AS count FROM geo.zones z JOIN geo.cities c ON c.id = z.city_id WHERE c.slug = ${citySlug}`.pipe(
        Effect.map((rows) => Number(rows[0]?.count ?? 0)),
        Effect.mapError(unavailable)
      )
  })
}))
