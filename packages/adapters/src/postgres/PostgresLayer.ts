import { PgClient } from "@effect/sql-pg"
import { Duration, Effect, Layer, String as Str } from "effect"
import { DatabaseConfig } from "./DatabaseConfig.ts"

/** The pool the whole process shares. Database columns are snake_case, TypeScript is camelCase. */
export const PostgresLayer = Layer.unwrap(Effect.gen(function*() {
  const config = yield* DatabaseConfig
  return PgClient.layer({
    url: config.url,
    maxConnections: config.poolMax,
    connectTimeout: Duration.millis(config.connectTimeoutMs),
    applicationName: "nelo",
    transformResultNames: Str.snakeToCamel,
    transformQueryNames: Str.camelToSnake,
    // Column names are snake_case, but JSON documents are stored as the code writes them (camelCase):
    // renaming keys inside every jsonb value cost ~130 µs on a nearby page for nothing.
    transformJson: false
  })
}))
