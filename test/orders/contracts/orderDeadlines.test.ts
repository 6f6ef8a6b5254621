import { randomBytes } from "node:crypto"
import { Effect, Layer } from "effect"
import { OrderDeadlinesBullmq } from "@nelo/adapters/bullmq/OrderDeadlinesBullmq"
import { OrderDeadlinesMemory } from "@nelo/adapters/memory/OrderDeadlinesMemory"
import { deleteRedisKeys } from "../../support/globalSetup.ts"
import { withEnv } from "../../support/withEnv.ts"
import { orderDeadlinesContract } from "./orderDeadlinesContract.ts"

orderDeadlinesContract("memory", OrderDeadlinesMemory)

// BullMQ on the real Redis, under a key prefix of its own, removed afterwards.
const prefix = `nelo-test-deadlines-${randomBytes(4).toString("hex")}`
orderDeadlinesContract(
  "bullmq",
  OrderDeadlinesBullmq.pipe(
    Layer.provide(withEnv({ REDIS_KEY_PREFIX: prefix })),
    Layer.merge(Layer.effectDiscard(Effect.addFinalizer(() => Effect.promise(() => deleteRedisKeys(prefix)))))
  )
)
