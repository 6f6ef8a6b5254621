import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // Admin refunds by the idempotency key of their request (packages/domain/src/earnings/RefundRequestStore.ts):
  // the answer a request sent twice gets again. Written in the refund's transaction, never updated.
  yield* sql`CREATE TABLE earnings.refund_requests (
    idempotency_key text PRIMARY KEY,
    admin_id text NOT NULL,
    reason text NOT NULL,
    transaction_id uuid NOT NULL REFERENCES wallet.transactions (id),
    order_id uuid NOT NULL,
    reference text NOT NULL,
    amount_xof bigint NOT NULL CHECK (amount_xof > 0),
    responsible text NOT NULL CHECK (responsible IN ('provider', 'driver', 'platform')),
    charged_to text NOT NULL CHECK (charged_to IN ('escrow', 'earnings')),
    refunded_xof bigint NOT NULL,
    refundable_xof bigint NOT NULL,
    created_at timestamptz NOT NULL
  )`
})
