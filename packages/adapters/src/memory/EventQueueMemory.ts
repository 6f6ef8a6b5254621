import { Context, Effect, Layer } from "effect"
import type { StoredEvent } from "@nelo/domain/events/DomainEvent"
import { EventQueue, EventQueueUnavailable } from "@nelo/domain/events/EventQueue"

/** What the in-memory queue received, for assertions, and a switch to simulate an outage. */
export class EventQueueMemoryProbe extends Context.Service<EventQueueMemoryProbe, {
  readonly published: (queue: string) => ReadonlyArray<StoredEvent>
  readonly setAvailable: (available: boolean) => void
}>()("nelo/adapters/EventQueueMemoryProbe") {}

/** Same contract as BullMQ: the event id is the job identity, so publishing twice adds once. */
export const EventQueueMemory = Layer.effectContext(Effect.sync(() => {
  const queues = new Map<string, Map<string, StoredEvent>>()
  let available = true
  const queue = EventQueue.of({
    publish: (name, event) =>
      Effect.suspend(() => {
        if (!available) return Effect.fail(new EventQueueUnavailable({ cause: "queue switched off" }))
        const jobs = queues.get(name) ?? new Map<string, StoredEvent>()
        queues.set(name, jobs)
        if (!jobs.has(event.id)) jobs.set(event.id, event)
        return Effect.void
      })
  })
  const probe = EventQueueMemoryProbe.of({
    published: (name) => [...(queues.get(name)?.values() ?? [])],
    setAvailable: (value) => {
      available = value
    }
  })
  return Context.make(EventQueue, queue).pipe(Context.add(EventQueueMemoryProbe, probe))
}))
