import { Config, Redacted, Schema } from "effect"

export const defaultDatabaseUrl = "postgres://postgres@127.0.0.1:5432/nelo"

const PostgresUrl = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^postgres(?:ql)?:\/\/[^\s]+$/u, { expected: "a postgres:// URL" }))
)

/** DATABASE_URL may carry a password, so it stays Redacted everywhere but at the driver. */
export const DatabaseConfig = Config.all({
  url: Config.schema(Schema.Redacted(PostgresUrl), "DATABASE_URL").pipe(
    Config.withDefault(Redacted.make(defaultDatabaseUrl))
  ),
  poolMax: Config.Int("DATABASE_POOL_MAX").pipe(Config.withDefault(10)),
  connectTimeoutMs: Config.Int("DATABASE_CONNECT_TIMEOUT_MS").pipe(Config.withDefault(5_000))
})
export type DatabaseConfig = Config.Success<typeof DatabaseConfig>
