import { Effect, Layer, Option, Semaphore } from "effect"
import { encodeNewEvent, type StoredEvent } from "@nelo/domain/events/DomainEvent"
import { OutboxStore } from "@nelo/domain/events/OutboxStore"
import { recordUndo } from "./memoryTransaction.ts"

/** In-memory outbox for unit tests; the claim is a one-permit semaphore that is never waited for. */
export const OutboxStoreMemory = Layer.effect(OutboxStore, Effect.gen(function*() {
  const rows: Array<{ event: StoredEvent; relayed: boolean }> = []
  let sequence = 0
  const claim = yield* Semaphore.make(1)
  return OutboxStore.of({
    append: (events) =>
      Effect.suspend(() => {
        // Stored as the database would: the JSON form, a copy.
        const appended = events.map((event) => ({ event: { ...structuredClone(encodeNewEvent(event)), sequence: ++sequence }, relayed: false }))
        rows.push(...appended)
        return recordUndo(() => {
          for (const row of appended) rows.splice(rows.indexOf(row), 1)
        })
      }),
    withClaim: (limit, use) =>
      claim.withPermitsIfAvailable(1)(Effect.suspend(() =>
        use({
          events: rows.filter((row) => !row.relayed).slice(0, limit).map((row) => row.event),
          markRelayed: (ids) =>
            Effect.sync(() => {
              for (const row of rows) if (ids.includes(row.event.id)) row.relayed = true
            })
        })
      )).pipe(Effect.map(Option.getOrUndefined)),
    pendingCount: Effect.sync(() => rows.filter((row) => !row.relayed).length)
  })
}))
