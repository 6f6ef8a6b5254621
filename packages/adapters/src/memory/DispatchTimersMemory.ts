import { Effect, Layer } from "effect"
import { DispatchTimers, type DispatchWakeUp } from "@nelo/domain/deliveries/DispatchTimers"

/**
 * Wake-ups kept in memory for unit tests: scheduled, listed, never fired by themselves (a test runs
 * `Dispatch.advance` when it has moved its clock). The same key scheduled twice is the first one.
 */
export const DispatchTimersMemory = Layer.sync(DispatchTimers, () => {
  const pending = new Map<string, DispatchWakeUp>()
  return DispatchTimers.of({
    schedule: (wakeUp) => Effect.sync(() => void (pending.has(wakeUp.key) || pending.set(wakeUp.key, wakeUp))),
    pendingFor: (deliveryId) => Effect.sync(() => [...pending.values()].filter((wakeUp) => wakeUp.deliveryId === deliveryId))
  })
})
