import { Effect, Layer } from "effect"
import { DeliveryLog, type DeliveryRecord } from "@nelo/domain/notifications/DeliveryLog"

export const DeliveryLogMemory = Layer.sync(DeliveryLog, () => {
  const records = new Map<string, DeliveryRecord>()
  return DeliveryLog.of({
    wasDelivered: (eventId) => Effect.sync(() => records.has(eventId)),
    recordDelivered: (record) =>
      Effect.sync(() => {
        if (!records.has(record.eventId)) records.set(record.eventId, record)
      })
  })
})
