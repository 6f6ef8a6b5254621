import { randomBytes } from "node:crypto"
import { Layer } from "effect"
import { LivePositionsMemory } from "@nelo/adapters/memory/LivePositionsMemory"
import { LivePositionsRedis } from "@nelo/adapters/redis/LivePositionsRedis"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { withEnv } from "../../support/withEnv.ts"
import { livePositionsContract } from "./livePositionsContract.ts"

const keyPrefix = `${process.env.REDIS_KEY_PREFIX ?? "nelo-test"}-positions-${randomBytes(3).toString("hex")}`

livePositionsContract("memory", LivePositionsMemory)
livePositionsContract("redis", LivePositionsRedis.pipe(Layer.provide(RedisClientLayer), Layer.provide(withEnv({ REDIS_KEY_PREFIX: keyPrefix }))))
