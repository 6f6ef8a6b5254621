import { Schema } from "effect"

/**
 * A fact that happened in one aggregate. It is written in the same database transaction as the
 * state change that caused it (the outbox), then relayed to the queues by the worker.
 * `sequence` is assigned by the outbox on insert and orders events, in particular per aggregate.
 */
export const DomainEvent = Schema.Struct({
  id: Schema.String,
  sequence: Schema.Number,
  type: Schema.String,
  aggregateType: Schema.String,
  aggregateId: Schema.String,
  payload: Schema.Unknown,
  occurredAt: Schema.String
})
export type DomainEvent = typeof DomainEvent.Type

/** What a use case hands to the outbox; the outbox assigns the sequence. */
export type NewDomainEvent = Omit<DomainEvent, "sequence">
