import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { AuthStoreUnavailable } from "@nelo/domain/auth/errors"
import type { Device, DevicePlatform } from "@nelo/domain/users/Device"
import { DeviceRepository } from "@nelo/domain/users/DeviceRepository"
import { isUuid } from "./isUuid.ts"

interface DeviceRow {
  readonly id: string
  readonly userId: string
  readonly token: string
  readonly platform: string
  readonly createdAt: Date
  readonly lastSeenAt: Date
}

const toDevice = (row: DeviceRow): Device => ({ ...row, platform: row.platform as DevicePlatform })

const unavailable = (cause: unknown) => new AuthStoreUnavailable({ cause })

export const DeviceRepositoryPostgres = Layer.effect(DeviceRepository, Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const columns = sql.literal("id, user_id, token, platform, created_at, last_seen_at")
  return DeviceRepository.of({
    // One statement for the token (inserted, refreshed, or moved to this user: then a new id, as a
    // new registration), then the user's stalest devices beyond `keep` forgotten, in one transaction.
    register: (input) =>
      sql.withTransaction(Effect.gen(function*() {
        const [row] = yield* sql<DeviceRow>`
          INSERT INTO users.devices (id, user_id, token, platform, created_at, last_seen_at)
          VALUES (${input.id}, ${input.userId}, ${input.token}, ${input.platform}, ${input.now}, ${input.now})
          ON CONFLICT (token) DO UPDATE SET
            id = CASE WHEN users.devices.user_id = EXCLUDED.user_id THEN users.devices.id ELSE EXCLUDED.id END,
            created_at = CASE WHEN users.devices.user_id = EXCLUDED.user_id THEN users.devices.created_at ELSE EXCLUDED.created_at END,
            user_id = EXCLUDED.user_id,
            platform = EXCLUDED.platform,
            last_seen_at = EXCLUDED.last_seen_at
          RETURNING ${columns}`
        yield* sql`
          DELETE FROM users.devices WHERE id IN (
            SELECT id FROM users.devices WHERE user_id = ${input.userId}
            ORDER BY last_seen_at DESC, id DESC OFFSET ${input.keep})`
        return toDevice(row!)
      })).pipe(Effect.mapError(unavailable)),

    list: (userId) =>
      !isUuid(userId) ? Effect.succeed([]) : sql<DeviceRow>`
        SELECT ${columns} FROM users.devices WHERE user_id = ${userId} ORDER BY last_seen_at DESC, id DESC`.pipe(
        Effect.map((rows) => rows.map(toDevice)),
        Effect.mapError(unavailable)
      ),

    remove: (userId, id) =>
      !isUuid(userId) || !isUuid(id) ? Effect.succeed(false) : sql<{ id: string }>`
        DELETE FROM users.devices WHERE user_id = ${userId} AND id = ${id} RETURNING id`.pipe(
        Effect.map((rows) => rows.length > 0),
        Effect.mapError(unavailable)
      ),

    forget: (id) =>
      !isUuid(id) ? Effect.succeed(false) : sql<{ id: string }>`
        DELETE FROM users.devices WHERE id = ${id} RETURNING id`.pipe(
        Effect.map((rows) => rows.length > 0),
        Effect.mapError(unavailable)
      )
  })
}))
