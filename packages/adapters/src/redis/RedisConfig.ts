import { Config, Redacted, Schema } from "effect"

const RedisUrl = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^rediss?:\/\/[^\s]+$/u, { expected: "a redis:// URL" }))
)
const KeyPrefix = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^[a-z0-9][a-z0-9_-]*$/u, { expected: "lowercase letters, digits, - and _" }))
)

/** REDIS_URL may carry a password, so it stays Redacted. The prefix separates environments and test runs. */
export const RedisConfig = Config.all({
  url: Config.schema(Schema.Redacted(RedisUrl), "REDIS_URL").pipe(
    Config.withDefault(Redacted.make("redis://127.0.0.1:6379"))
  ),
  keyPrefix: Config.schema(KeyPrefix, "REDIS_KEY_PREFIX").pipe(Config.withDefault("nelo"))
})
export type RedisConfig = Config.Success<typeof RedisConfig>
