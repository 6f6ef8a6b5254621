import { randomBytes } from "node:crypto"
import { PgClient } from "@effect/sql-pg"
import { Effect, Redacted } from "effect"
import { Reactivity } from "effect/reactivity"
import { splitDatabaseUrl } from "@nelo/adapters/postgres/ensureDatabase"

export const serverUrl = process.env.NELO_TEST_SERVER_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"

/** A URL for a new database name on the test server (the database is not created). */
export const freshDatabaseUrl = (label: string) => {
  const url = new URL(serverUrl)
  url.pathname = `/nelo_test_${label}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`
  return url.toString()
}

const onMaintenance = <A, E>(run: (sql: PgClient.PgClient) => Effect.Effect<A, E>) =>
  Effect.scoped(Effect.gen(function*() {
    const sql = yield* PgClient.make({ url: Redacted.make(splitDatabaseUrl(serverUrl).maintenanceUrl), maxConnections: 1 })
    return yield* run(sql)
  })).pipe(Effect.provide(Reactivity.layer))

export const dropDatabase = (databaseUrl: string) =>
  onMaintenance((sql) => sql`DROP DATABASE IF EXISTS ${sql(splitDatabaseUrl(databaseUrl).database)} WITH (FORCE)`)

export const createDatabase = (databaseUrl: string) =>
  onMaintenance((sql) => sql`CREATE DATABASE ${sql(splitDatabaseUrl(databaseUrl).database)}`)
