import { randomBytes } from "node:crypto"
import { Effect } from "effect"
import type { TestProject } from "vitest/node"
import { Redis } from "ioredis"
import { migrate } from "@nelo/adapters/postgres/migrate"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { createDatabase, dropDatabase, freshDatabaseUrl } from "./testDatabase.ts"
import { cli } from "./runProcess.ts"
import { withEnv } from "./withEnv.ts"

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string
    redisKeyPrefix: string
  }
}

/** Deletes every Redis key under a prefix (BullMQ queues and caches of one test run). */
export const deleteRedisKeys = async (prefix: string) => {
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 })
  try {
    let cursor = "0"
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000)
      cursor = next
      if (keys.length > 0) await redis.del(...keys)
    } while (cursor !== "0")
  } finally {
    redis.disconnect()
  }
}

/**
 * Each run of the suite gets its own database (migrated once here) and its own Redis key prefix,
 * so runs never see each other's rows or jobs; both are removed at the end.
 */
export default async function setup(project: TestProject) {
  const databaseUrl = freshDatabaseUrl("run")
  const redisKeyPrefix = `nelo-test-${randomBytes(4).toString("hex")}`
  await Effect.runPromise(createDatabase(databaseUrl))
  await Effect.runPromise(migrate.pipe(Effect.provide(PostgresLayer), Effect.provide(withEnv({ DATABASE_URL: databaseUrl }))))
  project.provide("databaseUrl", databaseUrl)
  project.provide("redisKeyPrefix", redisKeyPrefix)

  return async () => {
    try {
      // Whatever the suite did to the run's ledger (orders, refunds, top-ups, transfers, crashes
      // simulated), every balance must still be what its postings say: the admin's own audit checks it.
      const audit = await cli(["wallet", "audit"], { DATABASE_URL: databaseUrl, REDIS_KEY_PREFIX: redisKeyPrefix })
      if (audit.code !== 0) throw new Error(`nelo-admin wallet audit after the suite exited ${audit.code}:\n${audit.stdout}\n${audit.stderr}`)
      // And every account kind's balance together is zero: the trial balance an accountant reads.
      const trialBalance = await cli(["ledger", "trial-balance"], { DATABASE_URL: databaseUrl, REDIS_KEY_PREFIX: redisKeyPrefix })
      if (trialBalance.code !== 0) throw new Error(`nelo-admin ledger trial-balance after the suite exited ${trialBalance.code}:\n${trialBalance.stdout}\n${trialBalance.stderr}`)
    } finally {
      await Effect.runPromise(dropDatabase(databaseUrl)).catch(() => {})
      await deleteRedisKeys(redisKeyPrefix)
    }
  }
}
