import { Effect, Layer } from "effect"
import { DeliveryFeeRepository } from "@nelo/domain/orders/DeliveryFeeRepository"
import { defaultDeliveryFeeSchedule, type DeliveryFeeSchedule } from "@nelo/domain/orders/DeliveryFeeSchedule"
import { recordUndo } from "./memoryTransaction.ts"

/** The delivery fee schedules in memory, for unit tests: each version kept, the latest in force. */
export const DeliveryFeeRepositoryMemory = Layer.sync(DeliveryFeeRepository, () => {
  const versions: Array<{ readonly schedule: DeliveryFeeSchedule; readonly by: string; readonly at: Date }> = []
  return DeliveryFeeRepository.of({
    current: Effect.sync(() => versions.at(-1)?.schedule ?? defaultDeliveryFeeSchedule),
    replace: (schedule, by, now) =>
      Effect.suspend(() => {
        // Stored as the database would: a copy, untouched by what the caller does with its value.
        const version = { schedule: structuredClone(schedule), by, at: now }
        versions.push(version)
        return recordUndo(() => versions.splice(versions.indexOf(version), 1))
      })
  })
})
