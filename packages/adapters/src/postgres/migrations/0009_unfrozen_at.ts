import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // When an admin last unfroze the account: the fan-out rule counts new receivers from then on at
  // most, so that an unfreeze is not undone by the very transfers that caused the freeze.
  yield* sql`ALTER TABLE wallet.accounts ADD COLUMN last_unfrozen_at timestamptz`
  yield* sql`
    UPDATE wallet.accounts a SET last_unfrozen_at = latest.at
    FROM (SELECT account_id, max(at) AS at FROM wallet.freezes WHERE action = 'unfreeze' GROUP BY account_id) latest
    WHERE latest.account_id = a.id`
})
