import { Context, type Effect, Schema } from "effect"
import type { StoredEvent } from "./DomainEvent.ts"

export class EventQueueUnavailable extends Schema.TaggedError<EventQueueUnavailable>()("EventQueueUnavailable", {
  cause: Schema.Defect()
}) {}

/**
 * Where relayed events go to be consumed (a queue per consumer). Publishing the same event to the
 * same queue twice must have one effect: the event id is the job's identity.
 */
export class EventQueue extends Context.Service<EventQueue, {
  readonly publish: (queue: string, event: StoredEvent) => Effect.Effect<void, EventQueueUnavailable>
}>()("nelo/events/EventQueue") {}
