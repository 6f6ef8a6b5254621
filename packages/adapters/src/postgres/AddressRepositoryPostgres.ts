import { Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import { AuthStoreUnavailable } from "@nelo/domain/auth/errors"
import type { Address } from "@nelo/domain/users/Address"
import { AddressRepository } from "@nelo/domain/users/AddressRepository"
import type { UserId } from "@nelo/domain/users/User"
import { isUuid } from "./isUuid.ts"

interface AddressRow {
  readonly id: string
  readonly userId: string
  readonly label: string
  readonly lat: number
  readonly lng: number
  readonly landmark: string
  readonly isDefault: boolean
  readonly zoneId: string | null
  readonly zoneSlug: string | null
  readonly zoneName: string | null
  readonly createdAt: Date
  readonly updatedAt: Date
}

const toAddress = (row: AddressRow): Address => ({
  id: row.id,
  userId: row.userId as UserId,
  label: row.label,
  location: { lat: row.lat, lng: row.lng },
  landmark: row.landmark,
  isDefault: row.isDefault,
  zone: row.zoneId === null ? null : { id: row.zoneId, slug: row.zoneSlug!, name: row.zoneName! },
  createdAt: row.createdAt,
  updatedAt: row.updatedAt
})

const unavailable = (cause: unknown) => new AuthStoreUnavailable({ cause })


export const AddressRepositoryPostgres = Layer.effect(AddressRepository, Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // A geography column cannot be selected raw (the driver cannot decode it): read lat/lng.
  const selectAddresses = (where: ReturnType<typeof sql.and>) => sql<AddressRow>`
    SELECT a.id, a.user_id, a.label, ST_Y(a.location::geometry) AS lat, ST_X(a.location::geometry) AS lng,
           a.landmark, a.is_default, a.zone_id, z.slug AS zone_slug, z.name AS zone_name, a.created_at, a.updated_at
    FROM users.addresses a LEFT JOIN geo.zones z ON z.id = a.zone_id
    WHERE ${where}
    ORDER BY a.is_default DESC, a.updated_at DESC`
  const point = (lat: number, lng: number) => sql`ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326)::geography`
  const zoneAt = (lat: number, lng: number) => sql`(SELECT id FROM geo.zone_at(${lat}, ${lng}))`
  // Address writes of one user queue behind a lock on that user's row, so "one default" never races.
  const lockOwner = (userId: UserId) => sql`SELECT 1 FROM users.users WHERE id = ${userId} FOR UPDATE`
  const clearDefault = (userId: UserId) => sql`UPDATE users.addresses SET is_default = false WHERE user_id = ${userId} AND is_default`
  const findOne = (userId: UserId, id: string) =>
    selectAddresses(sql.and([sql`a.user_id = ${userId}`, sql`a.id = ${id}`])).pipe(Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), toAddress)))

  return AddressRepository.of({
    list: (userId) => selectAddresses(sql.and([sql`a.user_id = ${userId}`])).pipe(Effect.map((rows) => rows.map(toAddress)), Effect.mapError(unavailable)),

    count: (userId) =>
      sql<{ count: number }>`SELECT count(*)::int AS count FROM users.addresses WHERE user_id = ${userId}`.pipe(
        Effect.map((rows) => rows[0]?.count ?? 0),
        Effect.mapError(unavailable)
      ),

    create: (input) =>
      sql.withTransaction(Effect.gen(function*() {
        yield* lockOwner(input.userId)
        if (input.isDefault) yield* clearDefault(input.userId)
        yield* sql`
          INSERT INTO users.addresses (id, user_id, label, location, landmark, zone_id, is_default, created_at, updated_at)
          VALUES (${input.id}, ${input.userId}, ${input.label}, ${point(input.location.lat, input.location.lng)}, ${input.landmark},
                  ${zoneAt(input.location.lat, input.location.lng)}, ${input.isDefault}, ${input.now}, ${input.now})`
        return Option.getOrThrow(yield* findOne(input.userId, input.id))
      })).pipe(Effect.mapError(unavailable)),

    update: (userId, id, patch) =>
      !isUuid(id) ? Effect.succeed(Option.none()) : sql.withTransaction(Effect.gen(function*() {
        yield* lockOwner(userId)
        const existing = yield* findOne(userId, id)
        if (Option.isNone(existing)) return Option.none<Address>()
        if (patch.isDefault === true) yield* clearDefault(userId)
        const location = patch.location ?? existing.value.location
        yield* sql`
          UPDATE users.addresses SET
            label = ${patch.label ?? existing.value.label},
            landmark = ${patch.landmark ?? existing.value.landmark},
            location = ${point(location.lat, location.lng)},
            zone_id = ${zoneAt(location.lat, location.lng)},
            is_default = ${patch.isDefault === true || existing.value.isDefault},
            updated_at = ${patch.now}
          WHERE user_id = ${userId} AND id = ${id}`
        return yield* findOne(userId, id)
      })).pipe(Effect.mapError(unavailable)),

    delete: (userId, id) =>
      !isUuid(id) ? Effect.succeed(false) : sql.withTransaction(Effect.gen(function*() {
        yield* lockOwner(userId)
        const deleted = yield* sql<{ isDefault: boolean }>`DELETE FROM users.addresses WHERE user_id = ${userId} AND id = ${id} RETURNING is_default`
        if (deleted.length === 0) return false
        if (deleted[0]!.isDefault) {
          yield* sql`
            UPDATE users.addresses SET is_default = true
            WHERE id = (SELECT id FROM users.addresses WHERE user_id = ${userId} ORDER BY updated_at DESC, id LIMIT 1)`
        }
        return true
      })).pipe(Effect.mapError(unavailable))
  })
}))
