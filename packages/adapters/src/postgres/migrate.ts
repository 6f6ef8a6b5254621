import { PgMigrator } from "@effect/sql-pg"
import { NodeServices } from "@effect/platform-node"
import { Effect } from "effect"
import { Migrator, SqlClient } from "effect/sql"
import { migrations } from "./migrations/index.ts"

// Any fixed number will do: it only has to be the same in every nelo process.
const migrationLockKey = 7_305_001

/**
 * Applies the pending migrations and returns the ones applied. Two processes starting together
 * serialise on an advisory lock, so the second finds nothing left to do (the migrator's own table
 * lock does not cover creating its table or the extensions).
 */
export const migrate = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* sql.withTransaction(Effect.gen(function*() {
    yield* sql`SELECT pg_advisory_xact_lock(${migrationLockKey})`
    return yield* PgMigrator.run({ loader: Migrator.fromRecord(migrations) })
  }))
}).pipe(Effect.provide(NodeServices.layer))

export interface MigrationStatus {
  readonly id: number
  readonly name: string
  readonly appliedAt: Date | undefined
}

/** Every known migration and when it was applied (undefined when pending). */
export const migrationStatus = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [table] = yield* sql<{ exists: boolean }>`SELECT to_regclass('public.effect_sql_migrations') IS NOT NULL AS exists`
  const applied = table?.exists
    ? yield* sql<{ migrationId: number; createdAt: Date }>`SELECT migration_id, created_at FROM effect_sql_migrations`
    : []
  const appliedAt = new Map(applied.map((row) => [Number(row.migrationId), row.createdAt]))
  return Object.keys(migrations).map((key): MigrationStatus => {
    const id = Number(key.slice(0, key.indexOf("_")))
    return { id, name: key.slice(key.indexOf("_") + 1), appliedAt: appliedAt.get(id) }
  })
})
