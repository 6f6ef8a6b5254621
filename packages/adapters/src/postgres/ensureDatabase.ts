import { PgClient } from "@effect/sql-pg"
import { Duration, Effect, Redacted } from "effect"
import { Reactivity } from "effect/reactivity"
import { DatabaseConfig } from "./DatabaseConfig.ts"

/** The database named in a URL, and the same URL pointing at the `postgres` maintenance database. */
export const splitDatabaseUrl = (url: string) => {
  const parsed = new URL(url)
  const database = decodeURIComponent(parsed.pathname.replace(/^\//u, "")) || "postgres"
  parsed.pathname = "/postgres"
  return { database, maintenanceUrl: parsed.toString() }
}

/**
 * Creates the database named by DATABASE_URL when it does not exist yet, so a fresh machine needs
 * no manual `createdb`. Returns whether it was created.
 */
export const ensureDatabase = Effect.scoped(Effect.gen(function*() {
  const config = yield* DatabaseConfig
  const { database, maintenanceUrl } = splitDatabaseUrl(Redacted.value(config.url))
  const sql = yield* PgClient.make({
    url: Redacted.make(maintenanceUrl),
    maxConnections: 1,
    connectTimeout: Duration.millis(config.connectTimeoutMs)
  })
  const exists = sql<{ one: number }>`SELECT 1 AS one FROM pg_database WHERE datname = ${database}`.pipe(
    Effect.map((rows) => rows.length > 0)
  )
  if (yield* exists) return false
  // Identifiers cannot be bound parameters: sql(name) quotes it as an identifier.
  yield* sql`CREATE DATABASE ${sql(database)}`.pipe(
    // Another process may create it between our check and our CREATE (Postgres then reports a
    // duplicate, as 42P04 or as a unique violation): if it exists now, that is what we wanted.
    Effect.catchTag("SqlError", (error) => Effect.flatMap(exists, (created) => created ? Effect.void : Effect.fail(error)))
  )
  return true
})).pipe(Effect.provide(Reactivity.layer))
