import { Effect, Layer } from "effect"
import { migrate } from "@nelo/adapters/postgres/migrate"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { createDatabase, dropDatabase, freshDatabaseUrl } from "./testDatabase.ts"
import { withEnv } from "./withEnv.ts"

/**
 * A migrated database of its own for a test that must see no other test's rows (outbox races,
 * migration runs), dropped when the scope closes. Returns its URL.
 */
export const isolatedDatabase = (label: string, options: { readonly migrated: boolean } = { migrated: true }) =>
  Effect.acquireRelease(
    Effect.gen(function*() {
      const url = freshDatabaseUrl(label)
      yield* createDatabase(url)
      // fresh: inside a suite that already built PostgresLayer, the memoized pool would point at the shared database.
      if (options.migrated) yield* migrate.pipe(Effect.provide(Layer.fresh(PostgresLayer)), Effect.provide(withEnv({ DATABASE_URL: url })))
      return url
    }),
    (url) => Effect.ignore(dropDatabase(url))
  )
