import { randomBytes } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { consumeDispatchTimers, DispatchTimersBullmq } from "@nelo/adapters/bullmq/DispatchTimersBullmq"
import { uuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { DispatchTimersMemory } from "@nelo/adapters/memory/DispatchTimersMemory"
import { DispatchTimers, type DispatchWakeUp } from "@nelo/domain/deliveries/DispatchTimers"
import { eventually } from "../../support/captureLogs.ts"
import { deleteRedisKeys } from "../../support/globalSetup.ts"
import { withEnv } from "../../support/withEnv.ts"
import { dispatchTimersContract } from "./dispatchTimersContract.ts"

dispatchTimersContract("memory", DispatchTimersMemory)

// BullMQ on the real Redis, under a key prefix of its own, removed afterwards.
const onRedis = (env: Record<string, string>) => {
  const prefix = `nelo-test-dispatch-timers-${randomBytes(4).toString("hex")}`
  const config = withEnv({ REDIS_KEY_PREFIX: prefix, ...env })
  return Layer.mergeAll(
    DispatchTimersBullmq.pipe(Layer.provide(config)),
    config,
    Layer.effectDiscard(Effect.addFinalizer(() => Effect.promise(() => deleteRedisKeys(prefix))))
  )
}

dispatchTimersContract("bullmq", onRedis({}))

// The worker's side, BullMQ only (in memory nothing fires by itself). Retries after 100 ms here.
layer(onRedis({ JOB_BACKOFF_MS: "100" }), { excludeTestServices: true, timeout: "30 seconds" })("DispatchTimers on BullMQ: the worker", (it) => {
  it.effect("a wake-up due now is run once, decoded; a failing run is retried until it succeeds", () =>
    Effect.gen(function*() {
      const timers = yield* DispatchTimers
      const deliveryId = uuidV7(Date.now())
      const due = { deliveryId, key: `start-${deliveryId}`, at: new Date(Date.now() - 1_000) }
      const flaky = { deliveryId, key: `retry-${deliveryId}-${Date.now()}`, at: new Date() }
      yield* timers.schedule(due)
      yield* timers.schedule(due)
      yield* timers.schedule(flaky)
      const runs: Array<DispatchWakeUp> = []
      const runsOf = (key: string) => runs.filter((wakeUp) => wakeUp.key === key)
      yield* Effect.scoped(Effect.gen(function*() {
        yield* consumeDispatchTimers({ concurrency: 2 }, (wakeUp) =>
          Effect.suspend(() => {
            runs.push(wakeUp)
            return wakeUp.key === flaky.key && runsOf(flaky.key).length === 1 ? Effect.fail({ _tag: "NotYet" } as const) : Effect.void
          }))
        yield* eventually(() => runsOf(due.key).length >= 1 && runsOf(flaky.key).length >= 2 ? true : undefined, 15_000, "both wake-ups run")
        // Long enough for a second run of either to show.
        yield* Effect.sleep("500 millis")
      }))
      assert.deepStrictEqual(runsOf(due.key), [due])
      assert.instanceOf(runsOf(due.key)[0]!.at, Date)
      assert.deepStrictEqual(runsOf(flaky.key), [flaky, flaky])
      assert.deepStrictEqual(yield* timers.pendingFor(deliveryId), [])
    }))
})
