import { Effect, Layer, Option } from "effect"
import { SqlClient, type Statement } from "effect/sql"
import type { GeoPoint } from "@nelo/domain/geo/GeoPoint"
import { CatalogueStoreUnavailable } from "@nelo/domain/catalogue/errors"
import type { Provider, ProviderType } from "@nelo/domain/catalogue/Provider"
import { type NearbyQuery, type ProviderListQuery, ProviderRepository } from "@nelo/domain/catalogue/ProviderRepository"
import type { Schedule } from "@nelo/domain/catalogue/Schedule"
import { searchableName } from "@nelo/domain/catalogue/searchableName"
import { isUuid } from "./isUuid.ts"

interface ProviderRow {
  readonly id: string
  readonly ownerId: string
  readonly type: string
  readonly name: string
  readonly description: string
  readonly lat: number
  readonly lng: number
  readonly landmark: string
  readonly zoneId: string | null
  readonly zoneSlug: string | null
  readonly zoneName: string | null
  readonly timeZone: string
  readonly weeklyHours: Schedule["weekly"]
  readonly hourExceptions: Schedule["exceptions"]
  readonly paused: boolean
  readonly ratingSum: number
  readonly ratingCount: number
}

export interface NearbyProviderRow extends ProviderRow {
  readonly distanceM: number
}

// The CHECK constraints guarantee the type, and the hours are written only from decoded Schedules.
export const toProvider = (row: ProviderRow): Provider => ({
  id: row.id,
  ownerId: row.ownerId,
  type: row.type as ProviderType,
  name: row.name,
  description: row.description,
  location: { lat: row.lat, lng: row.lng },
  landmark: row.landmark,
  zone: row.zoneId === null ? null : { id: row.zoneId, slug: row.zoneSlug!, name: row.zoneName! },
  schedule: { timeZone: row.timeZone, weekly: row.weeklyHours, exceptions: row.hourExceptions, paused: row.paused },
  ratingSum: row.ratingSum,
  ratingCount: row.ratingCount
})

const unavailable = (cause: unknown) => new CatalogueStoreUnavailable({ cause })


/** A LIKE pattern matching `needle` anywhere, its own %, _ and \ taken literally. */
export const containsPattern = (needle: string) => `%${needle.replace(/[\\%_]/gu, "\\$&")}%`

// A geography column cannot be selected raw (the driver cannot decode it): read lat/lng.
// Every query names the providers `p` (a table or a CTE) and joins its zone as `z`.
const providerColumns = (sql: SqlClient.SqlClient) =>
  sql.literal(`p.id, p.owner_id, p.type, p.name, p.description,
    ST_Y(p.location::geometry) AS lat, ST_X(p.location::geometry) AS lng, p.landmark,
    p.zone_id, z.slug AS zone_slug, z.name AS zone_name,
    p.time_zone, p.weekly_hours, p.hour_exceptions, p.paused, p.rating_sum, p.rating_count`)

const pointOf = (sql: SqlClient.SqlClient, point: GeoPoint) => sql`ST_SetSRID(ST_MakePoint(${point.lng}, ${point.lat}), 4326)::geography`

/**
 * The nearby search as the adapter runs it (exported so a test can EXPLAIN the real query).
 *
 * One expression measures everything: `location <-> centre`, on geography the distance on the
 * sphere (PostGIS's mean radius, the one of haversineMeters). It decides who is within the radius,
 * is returned as the distance, ordered by, and compared by the cursor, so pages meet exactly (even
 * ST_Distance(.., false) differs from it by a few nanometres: enough to skip or repeat a row).
 *
 * Postgres 15 walks the GiST index in distance order (KNN) only for an ORDER BY of the distance
 * alone, not (distance, id). So `horizon` takes the `limit` nearest after the cursor that way, and
 * the page is the first `limit` by (distance, id) among those no farther than the last of them
 * (and within the radius), which also brings in any provider tied with it. Both steps read the
 * index within a box (_ST_Expand, as ST_DWithin does). ST_DWithin itself is not used: its
 * selectivity estimate (one row) makes the planner read every provider in the radius and sort
 * them; for the same reason the first step leaves the exact radius test to the second.
 */
export const nearbyStatement = (sql: SqlClient.SqlClient, query: NearbyQuery) => {
  const centre = () => pointOf(sql, query.centre)
  const distance = () => sql`(p.location <-> ${centre()})`
  const inBox = (radius: Statement.Fragment) => sql`p.location && _ST_Expand(${centre()}, ${radius})`
  const filters = () => {
    const where: Array<Statement.Fragment> = []
    if (query.type !== undefined) where.push(sql`p.type = ${query.type}`)
    if (query.after !== null) where.push(sql`(${distance()}, p.id) > (${query.after.distanceM}::float8, ${query.after.id}::uuid)`)
    return where
  }
  // NULL when no provider lies beyond the cursor: the page step then reads nothing at all.
  const reach = () => sql`(SELECT distance FROM horizon)`
  return sql<NearbyProviderRow>`
    WITH horizon AS (
      SELECT max(LEAST(nearest.distance, ${query.radiusM}::float8)) AS distance FROM (
        SELECT ${distance()} AS distance FROM catalogue.providers p
        WHERE ${sql.and([inBox(sql`${query.radiusM}::float8`), ...filters()])}
        ORDER BY p.location <-> ${centre()}
        LIMIT ${query.limit}
      ) nearest
    )
    SELECT ${providerColumns(sql)}, ${distance()} AS distance_m
    FROM catalogue.providers p LEFT JOIN geo.zones z ON z.id = p.zone_id
    WHERE ${sql.and([inBox(reach()), sql`${distance()} <= ${reach()}`, ...filters()])}
    ORDER BY ${distance()}, p.id
    LIMIT ${query.limit}`
}

/** The list by searchable name, as the adapter runs it. */
export const listStatement = (sql: SqlClient.SqlClient, query: ProviderListQuery) => {
  const where = []
  if (query.type !== undefined) where.push(sql`p.type = ${query.type}`)
  if (query.zoneId !== undefined) where.push(sql`p.zone_id = ${query.zoneId}`)
  if (query.ownerId !== undefined) where.push(sql`p.owner_id = ${query.ownerId}`)
  if (query.nameContains !== undefined && query.nameContains !== "") where.push(sql`p.search_name LIKE ${containsPattern(query.nameContains)}`)
  if (query.after !== null) where.push(sql`(p.search_name, p.id) > (${query.after.searchName}, ${query.after.id}::uuid)`)
  return sql<ProviderRow>`
    SELECT ${providerColumns(sql)}
    FROM catalogue.providers p LEFT JOIN geo.zones z ON z.id = p.zone_id
    WHERE ${sql.and(where)}
    ORDER BY p.search_name, p.id
    LIMIT ${query.limit}`
}

export const ProviderRepositoryPostgres = Layer.effect(ProviderRepository, Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const zoneAt = (point: GeoPoint) => sql`(SELECT id FROM geo.zone_at(${point.lat}, ${point.lng}))`
  const firstProvider = (rows: ReadonlyArray<ProviderRow>) => Option.map(Option.fromNullishOr(rows[0]), toProvider)
  // A write returns the row it wrote through a CTE named p, read with its zone in the same statement.
  const written = (write: Statement.Fragment) =>
    sql<ProviderRow>`WITH p AS (${write}) SELECT ${providerColumns(sql)} FROM p LEFT JOIN geo.zones z ON z.id = p.zone_id`
  const updateWhere = (id: string, assignments: ReadonlyArray<Statement.Fragment>) =>
    !isUuid(id) ? Effect.succeed(Option.none<Provider>()) : written(sql`
      UPDATE catalogue.providers SET ${sql.csv(assignments)} WHERE id = ${id} RETURNING *`).pipe(Effect.map(firstProvider), Effect.mapError(unavailable))

  return ProviderRepository.of({
    create: (input) =>
      written(sql`
        INSERT INTO catalogue.providers (id, owner_id, type, name, search_name, description, location, landmark, zone_id,
                                         time_zone, weekly_hours, hour_exceptions, paused, created_at, updated_at)
        VALUES (${input.id}, ${input.ownerId}, ${input.type}, ${input.name}, ${searchableName(input.name)}, ${input.description},
                ${pointOf(sql, input.location)}, ${input.landmark}, ${zoneAt(input.location)},
                ${input.schedule.timeZone}, ${JSON.stringify(input.schedule.weekly)}::jsonb, ${JSON.stringify(input.schedule.exceptions)}::jsonb,
                ${input.schedule.paused}, ${input.now}, ${input.now})
        RETURNING *`).pipe(Effect.map((rows) => toProvider(rows[0]!)), Effect.mapError(unavailable)),

    update: (id, patch) => {
      const assignments = [sql`updated_at = ${patch.now}`]
      if (patch.type !== undefined) assignments.push(sql`type = ${patch.type}`)
      if (patch.name !== undefined) assignments.push(sql`name = ${patch.name}`, sql`search_name = ${searchableName(patch.name)}`)
      if (patch.description !== undefined) assignments.push(sql`description = ${patch.description}`)
      if (patch.landmark !== undefined) assignments.push(sql`landmark = ${patch.landmark}`)
      if (patch.location !== undefined) assignments.push(sql`location = ${pointOf(sql, patch.location)}`, sql`zone_id = ${zoneAt(patch.location)}`)
      return updateWhere(id, assignments)
    },

    setHours: (id, hours, now) =>
      updateWhere(id, [
        sql`weekly_hours = ${JSON.stringify(hours.weekly)}::jsonb`,
        sql`hour_exceptions = ${JSON.stringify(hours.exceptions)}::jsonb`,
        sql`updated_at = ${now}`
      ]),

    setPaused: (id, paused, now) => updateWhere(id, [sql`paused = ${paused}`, sql`updated_at = ${now}`]),

    // One statement: of two ratings at once, the second's update waits for the first's row and adds to it.
    addRating: (id, stars) =>
      !isUuid(id) ? Effect.void : sql`
        UPDATE catalogue.providers SET rating_sum = rating_sum + ${stars}, rating_count = rating_count + 1
        WHERE id = ${id}`.pipe(Effect.asVoid, Effect.mapError(unavailable)),

    findById: (id) =>
      !isUuid(id) ? Effect.succeed(Option.none()) : sql<ProviderRow>`
        SELECT ${providerColumns(sql)} FROM catalogue.providers p LEFT JOIN geo.zones z ON z.id = p.zone_id
        WHERE p.id = ${id}`.pipe(Effect.map(firstProvider), Effect.mapError(unavailable)),

    list: (query) =>
      (query.zoneId !== undefined && !isUuid(query.zoneId)) || (query.after !== null && !isUuid(query.after.id))
        ? Effect.succeed([])
        : listStatement(sql, query).pipe(Effect.map((rows) => rows.map(toProvider)), Effect.mapError(unavailable)),

    nearby: (query) =>
      query.after !== null && !isUuid(query.after.id)
        ? Effect.succeed([])
        : nearbyStatement(sql, query).pipe(
          Effect.map((rows) => rows.map((row) => ({ provider: toProvider(row), distanceM: row.distanceM }))),
          Effect.mapError(unavailable)
        )
  })
}))
