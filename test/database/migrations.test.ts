import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { migrations } from "@nelo/adapters/postgres/migrations/index"
import { dropDatabase, freshDatabaseUrl } from "../support/testDatabase.ts"
import { cli } from "../support/runProcess.ts"
import { withEnv } from "../support/withEnv.ts"

layer(Layer.empty, { excludeTestServices: true, timeout: "60 seconds" })("migrations", (it) => {
  it.effect("two processes migrating a database that does not exist yet: it is created and migrated once", () =>
    Effect.scoped(Effect.gen(function*() {
      const databaseUrl = freshDatabaseUrl("migrate_race")
      yield* Effect.addFinalizer(() => Effect.ignore(dropDatabase(databaseUrl)))
      const [first, second] = yield* Effect.promise(() =>
        Promise.all([cli(["db", "migrate"], { DATABASE_URL: databaseUrl }), cli(["db", "migrate"], { DATABASE_URL: databaseUrl })]))
      assert.strictEqual(first.code, 0, first.stderr)
      assert.strictEqual(second.code, 0, second.stderr)
      const appliedLines = (first.stdout + second.stdout).split("\n").filter((line) => line.startsWith("Migration appliquée"))
      assert.strictEqual(appliedLines.length, Object.keys(migrations).length, "each migration applied by exactly one process")

      const again = yield* Effect.promise(() => cli(["db", "migrate"], { DATABASE_URL: databaseUrl }))
      assert.strictEqual(again.code, 0)
      assert.match(again.stdout, /rien à appliquer/u)

      const sql = Context.get(yield* Layer.build(Layer.fresh(PostgresLayer).pipe(Layer.provide(withEnv({ DATABASE_URL: databaseUrl })))), SqlClient.SqlClient)
      const rows = yield* sql<{ migrationId: number }>`SELECT migration_id FROM effect_sql_migrations`
      assert.strictEqual(rows.length, Object.keys(migrations).length)
      const [postgis] = yield* sql<{ version: string }>`SELECT extversion AS version FROM pg_extension WHERE extname = 'postgis'`
      assert.match(postgis!.version, /^3\./u)
      const schemas = (yield* sql<{ name: string }>`SELECT nspname AS name FROM pg_namespace`).map((row) => row.name)
      for (const context of ["auth", "users", "geo", "catalogue", "orders", "deliveries", "wallet", "payments", "notifications", "events"]) {
        assert.include(schemas, context)
      }
      const [index] = yield* sql<{ definition: string }>`SELECT indexdef AS definition FROM pg_indexes WHERE indexname = 'zones_boundary_gist'`
      assert.match(index!.definition, /USING gist/u)
    })))

  it.effect("db status lists each migration as applied", () =>
    Effect.gen(function*() {
      const status = yield* Effect.promise(() => cli(["db", "status"]))
      assert.strictEqual(status.code, 0, status.stderr)
      assert.match(status.stdout, /0001_foundation {2}appliquée le \d{4}-/u)
      assert.match(status.stdout, /Le schéma est à jour/u)
    }))
})
