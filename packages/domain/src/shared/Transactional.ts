import { Context, Effect, Schema } from "effect"

/** The store could not begin or commit the transaction: nothing of it was written. */
export class TransactionUnavailable extends Schema.TaggedError<TransactionUnavailable>()("TransactionUnavailable", {
  cause: Schema.Defect()
}) {}

type Run = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | TransactionUnavailable, R>

/**
 * One unit of work across ports: every write made by the effect (to any repository, the ledger,
 * the outbox) commits together, or none does when it fails. Nested, the inner one is a savepoint:
 * its failure undoes its own writes only, and the outer one decides for the rest. A use case that
 * writes a change and its events wraps both in one `run`; adapters never append events on their own.
 *
 * `afterCommit` is for what others may only see once the writes are there for them to read (a
 * live stream told of a change): it runs when the outermost transaction has committed, never when
 * it (or the savepoint it was asked in) fails; outside any transaction, at once. It must not fail.
 */
export class Transactional extends Context.Service<Transactional, {
  readonly run: Run
  readonly afterCommit: (effect: Effect.Effect<void>) => Effect.Effect<void>
}>()("nelo/shared/Transactional") {
  /**
   * A Transactional from a store's own `run` (begin, commit or roll back, savepoints when nested):
   * the hooks of `afterCommit` are kept per transaction level, handed to the level above when a
   * savepoint succeeds, and run after the outermost commit.
   */
  static readonly fromRun = (storeRun: Run) =>
    Transactional.of({
      run: (effect) =>
        PendingHooks.use((outer) => {
          const hooks: Array<Effect.Effect<void>> = []
          return storeRun(Effect.provideService(effect, PendingHooks, hooks)).pipe(
            Effect.tap(() => outer === null ? Effect.forEach(hooks, (hook) => hook, { discard: true }) : Effect.sync(() => void outer.push(...hooks)))
          )
        }),
      afterCommit: (hook) => PendingHooks.use((hooks) => hooks === null ? hook : Effect.sync(() => void hooks.push(hook)))
    })
}

/** The hooks of the transaction the fiber runs in (null outside any). */
const PendingHooks = Context.Reference<Array<Effect.Effect<void>> | null>("nelo/shared/Transactional/PendingHooks", { defaultValue: () => null })
