import { PgClient } from "@effect/sql-pg"
import { Effect, Layer } from "effect"
import { Transactional, TransactionUnavailable } from "@nelo/domain/shared/Transactional"

/**
 * One database transaction around the use case: every adapter's statement inside it runs on the
 * transaction's connection (the SQL client carries it in the fiber's context), and a nested run
 * is a savepoint. Failing to begin or commit is TransactionUnavailable: nothing was written.
 */
export const TransactionalPostgres = Layer.effect(Transactional, Effect.gen(function*() {
  const sql = yield* PgClient.PgClient
  return Transactional.fromRun((effect) => sql.withTransaction(effect).pipe(Effect.catchTag("SqlError", (cause) => Effect.fail(new TransactionUnavailable({ cause })))))
}))
