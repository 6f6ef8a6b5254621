import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Option, Schema } from "effect"
import { Driver } from "@nelo/domain/deliveries/Driver"
import { DriverRepository, type RegisterOutcome } from "@nelo/domain/deliveries/DriverRepository"
import { DeliveriesUnavailable } from "@nelo/domain/deliveries/errors"
import { isUuid } from "./isUuid.ts"

const columns = `user_id, vehicle, plate, zone_id, status, status_changed_at, last_delivered_at, rating_sum, rating_count, created_at`

const unavailable = (cause: unknown) => new DeliveriesUnavailable({ cause })
const orUnavailable = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, DeliveriesUnavailable, R> =>
  Effect.mapError(effect, (failure) => failure instanceof DeliveriesUnavailable ? failure : unavailable(failure))

// A row the model refuses is a store that cannot be read as it stands.
const toDrivers = (rows: ReadonlyArray<unknown>) => Schema.decodeUnknownEffect(Schema.Array(Driver))(rows).pipe(Effect.mapError(unavailable))
const firstDriver = (rows: ReadonlyArray<unknown>) => Effect.map(toDrivers(rows.slice(0, 1)), (drivers) => Option.fromNullishOr(drivers[0]))

export const DriverRepositoryPostgres = Layer.effect(DriverRepository, Effect.gen(function*() {
  const sql = yield* PgClient.PgClient
  const cols = sql.literal(columns)
  const findById = (userId: string) =>
    !isUuid(userId) ? Effect.succeed(Option.none<Driver>()) : sql`SELECT ${cols} FROM deliveries.drivers WHERE user_id = ${userId}`.pipe(Effect.flatMap(firstDriver), orUnavailable)

  return DriverRepository.of({
    register: (driver) =>
      Effect.gen(function*() {
        const inserted = yield* sql`
          INSERT INTO deliveries.drivers ${sql.insert({
            userId: driver.userId,
            vehicle: driver.vehicle,
            plate: driver.plate,
            zoneId: driver.zoneId,
            status: driver.status,
            statusChangedAt: driver.statusChangedAt,
            lastDeliveredAt: driver.lastDeliveredAt,
            ratingSum: driver.ratingSum,
            ratingCount: driver.ratingCount,
            createdAt: driver.createdAt
          })} ON CONFLICT (user_id) DO NOTHING RETURNING ${cols}`
        const created = yield* firstDriver(inserted)
        if (Option.isSome(created)) return { _tag: "Registered", driver: created.value } satisfies RegisterOutcome
        const existing = yield* findById(driver.userId)
        if (Option.isNone(existing)) return yield* Effect.fail(unavailable(new Error(`driver ${driver.userId} neither inserted nor found`)))
        return { _tag: "AlreadyRegistered", driver: existing.value } satisfies RegisterOutcome
      }).pipe(orUnavailable),

    findById,

    findMany: (userIds) => {
      // Ids naming no uuid name no driver, without reaching the uuid column.
      const asked = [...new Set(userIds.filter(isUuid).map((id) => id.toLowerCase()))]
      if (asked.length === 0) return Effect.succeed([])
      return sql`SELECT ${cols} FROM deliveries.drivers WHERE user_id = ANY(${asked}::uuid[]) ORDER BY user_id`.pipe(Effect.flatMap(toDrivers), orUnavailable)
    },

    // Held until the caller's transaction ends; outside one, released at once.
    lock: (userId) =>
      !isUuid(userId) ? Effect.succeed(Option.none()) : sql`SELECT ${cols} FROM deliveries.drivers WHERE user_id = ${userId} FOR UPDATE`.pipe(Effect.flatMap(firstDriver), orUnavailable),

    markDelivered: (userId, at) =>
      !isUuid(userId) ? Effect.void : sql`UPDATE deliveries.drivers SET last_delivered_at = ${at} WHERE user_id = ${userId}`.pipe(Effect.asVoid, orUnavailable),

    // One statement: of two ratings at once, the second's update waits for the first's row and adds to it.
    addRating: (userId, stars) =>
      !isUuid(userId) ? Effect.void : sql`
        UPDATE deliveries.drivers SET rating_sum = rating_sum + ${stars}, rating_count = rating_count + 1
        WHERE user_id = ${userId}`.pipe(Effect.asVoid, orUnavailable),

    setStatus: (userId, status, at) =>
      !isUuid(userId) ? Effect.succeed(Option.none()) : sql`
        UPDATE deliveries.drivers SET status = ${status}, status_changed_at = ${at}
        WHERE user_id = ${userId} RETURNING ${cols}`.pipe(Effect.flatMap(firstDriver), orUnavailable),

    list: (query) => {
      if (query.afterId !== null && !isUuid(query.afterId)) return Effect.succeed([])
      const conditions = [
        query.onlineOnly ? sql`status = 'online'` : sql`TRUE`,
        query.afterId === null ? sql`TRUE` : sql`user_id > ${query.afterId}`
      ]
      return sql`SELECT ${cols} FROM deliveries.drivers WHERE ${sql.and(conditions)} ORDER BY user_id LIMIT ${Math.max(0, Math.floor(query.limit))}`.pipe(
        Effect.flatMap(toDrivers),
        orUnavailable
      )
    }
  })
}))
