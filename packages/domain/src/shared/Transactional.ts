import { Context, type Effect, Schema } from "effect"

/** The store could not begin or commit the transaction: nothing of it was written. */
export class TransactionUnavailable extends Schema.TaggedError<TransactionUnavailable>()("TransactionUnavailable", {
  cause: Schema.Defect()
}) {}

/**
 * One unit of work across ports: every write made by the effect (to any repository, the ledger,
 * the outbox) commits together, or none does when it fails. Nested, the inner one is a savepoint:
 * its failure undoes its own writes only, and the outer one decides for the rest. A use case that
 * writes a change and its events wraps both in one `run`; adapters never append events on their own.
 */
export class Transactional extends Context.Service<Transactional, {
  readonly run: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | TransactionUnavailable, R>
}>()("nelo/shared/Transactional") {}
