import { Context, Effect, Exit, Layer, Semaphore } from "effect"
import { Transactional } from "@nelo/domain/shared/Transactional"

/** How to take back the changes of the memory transaction in progress, newest last. */
interface Journal {
  readonly undo: Array<() => void>
}

/** The memory transaction the fiber runs in, if any (as the SQL client carries its connection). */
const CurrentJournal = Context.Reference<Journal | null>("nelo/adapters/memory/CurrentJournal", { defaultValue: () => null })

/**
 * What a memory adapter calls with each change it makes: how to undo it, should the transaction it
 * runs in fail. Outside a transaction there is nothing to undo and nothing is kept.
 */
export const recordUndo = (undo: () => void) => CurrentJournal.useSync((journal) => void journal?.undo.push(undo))

/**
 * Transactions over the memory adapters, for unit tests: one at a time (isolation by a lock), and a
 * failure takes back, newest first, every change the adapters recorded with recordUndo. Nested,
 * the inner one is a savepoint: its failure takes back its own changes, its success hands them to
 * the outer one.
 */
export const TransactionalMemory = Layer.effect(Transactional, Effect.gen(function*() {
  const lock = yield* Semaphore.make(1)
  return Transactional.fromRun((effect) =>
    CurrentJournal.use((outer) => {
      const journal: Journal = { undo: [] }
      const body = effect.pipe(
        Effect.provideService(CurrentJournal, journal),
        Effect.onExit((exit) =>
          Effect.sync(() => {
            if (Exit.isSuccess(exit)) outer?.undo.push(...journal.undo)
            else for (const undo of journal.undo.reverse()) undo()
          }))
      )
      return outer === null ? lock.withPermits(1)(body) : body
    }))
}))
