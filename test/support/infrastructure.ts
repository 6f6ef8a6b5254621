import { Layer } from "effect"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"

/** The real Postgres (this run's database) and Redis, as the apps build them. */
export const Infrastructure = Layer.mergeAll(PostgresLayer, RedisClientLayer)
