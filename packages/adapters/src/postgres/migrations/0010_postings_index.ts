import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // Nothing reads the postings by (account, time) any more: the outflow check has its partial index
  // (0008), the fan-out rule its pairs (0007), the history (account, transaction). Every transfer
  // was writing two entries into it for nothing.
  yield* sql`DROP INDEX wallet.postings_by_account_and_time`
})
