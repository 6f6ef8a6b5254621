import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // Every transfer checks the sender's outflow of the day and of the month (the limits). Read
  // through the transactions' types, that cost grew with each posting of the month; marked on the
  // posting itself and covered by a partial index, it is one short index-only range. The mark is
  // the port's definition of an outflow: money leaving a wallet by a transfer or a payment.
  yield* sql`ALTER TABLE wallet.postings ADD COLUMN counts_as_outflow boolean NOT NULL DEFAULT false`
  // The one rewrite of existing postings the ledger allows, here, in the migration that adds the
  // column (the append-only trigger is back on before it commits).
  yield* sql`ALTER TABLE wallet.postings DISABLE TRIGGER postings_append_only`
  yield* sql`
    UPDATE wallet.postings p SET counts_as_outflow = true
    FROM wallet.transactions t
    WHERE t.id = p.transaction_id AND p.amount_xof < 0 AND t.type IN ('transfer', 'payment')`
  yield* sql`ALTER TABLE wallet.postings ENABLE TRIGGER postings_append_only`
  yield* sql`CREATE INDEX postings_outflow_by_account_and_time ON wallet.postings (account_id, created_at) INCLUDE (amount_xof) WHERE counts_as_outflow`
})
