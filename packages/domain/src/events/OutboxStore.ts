import { Context, type Effect, Schema } from "effect"
import type { NewDomainEvent, StoredEvent } from "./DomainEvent.ts"

export class OutboxUnavailable extends Schema.TaggedError<OutboxUnavailable>()("OutboxUnavailable", {
  cause: Schema.Defect()
}) {}

export interface OutboxBatch {
  /** Events not yet relayed, oldest first (by sequence), as stored. */
  readonly events: ReadonlyArray<StoredEvent>
  /** Marks events of this batch as relayed. */
  readonly markRelayed: (ids: ReadonlyArray<string>) => Effect.Effect<void, OutboxUnavailable>
}

/**
 * The outbox of domain events: `append` stores their JSON form (encodeNewEvent). `withClaim` gives the pending events to one relay at a time,
 * across processes: two relays never publish the same event, never reorder an aggregate's
 * events, and the one that finds the claim taken gets `undefined` and simply waits for its next turn.
 */
export class OutboxStore extends Context.Service<OutboxStore, {
  readonly append: (events: ReadonlyArray<NewDomainEvent>) => Effect.Effect<void, OutboxUnavailable>
  readonly withClaim: <A, E, R>(
    limit: number,
    use: (batch: OutboxBatch) => Effect.Effect<A, E, R>
  ) => Effect.Effect<A | undefined, E | OutboxUnavailable, R>
  readonly pendingCount: Effect.Effect<number, OutboxUnavailable>
}>()("nelo/events/OutboxStore") {}
