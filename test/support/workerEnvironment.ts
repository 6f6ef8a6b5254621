import { inject } from "vitest"

// Test files read configuration like the apps do, from the environment: point it at this run's
// database and Redis prefix, and keep the logs of the code under test quiet unless asked.
process.env.DATABASE_URL = inject("databaseUrl")
process.env.REDIS_KEY_PREFIX = inject("redisKeyPrefix")
process.env.LOG_LEVEL ??= "warn"
process.env.NODE_ENV = "test"
