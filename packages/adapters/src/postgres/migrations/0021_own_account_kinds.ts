import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // Two accounts of NELO's own (packages/domain/src/wallet/Account.ts): earnings on their way to
  // payees (payouts_in_flight) and the cash drivers hand in at the office (office_cash). Neither has
  // an owner, and each exists once: the ledger's "open on first use" relies on the unique index.
  yield* sql`ALTER TABLE wallet.accounts DROP CONSTRAINT accounts_kind_check`
  yield* sql`ALTER TABLE wallet.accounts ADD CONSTRAINT accounts_kind_check
    CHECK (kind IN ('customer_wallet', 'provider_earnings', 'driver_earnings', 'driver_cash_in_hand', 'platform_revenue', 'gateway_clearing', 'orders_escrow', 'payouts_in_flight', 'office_cash'))`
  yield* sql`CREATE UNIQUE INDEX accounts_one_of_each_own_kind ON wallet.accounts (kind) WHERE kind IN ('payouts_in_flight', 'office_cash')`
})
