import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // What each settlement split (packages/domain/src/earnings/SettlementRecord.ts): written with the
  // settlement's ledger transaction, in the same database transaction, once per order, never
  // changed. The ledger keeps each party's net; statements show how it was reached.
  yield* sql`CREATE TABLE earnings.settlements (
    order_id uuid PRIMARY KEY,
    reference text NOT NULL,
    provider_id uuid NOT NULL,
    driver_id uuid NOT NULL,
    transaction_id uuid NOT NULL UNIQUE REFERENCES wallet.transactions (id),
    settled_at timestamptz NOT NULL,
    subtotal_xof bigint NOT NULL CHECK (subtotal_xof >= 0),
    delivery_fee_xof bigint NOT NULL CHECK (delivery_fee_xof >= 0),
    discount_xof bigint NOT NULL CHECK (discount_xof >= 0),
    discount_funded_by text CHECK (discount_funded_by IN ('provider', 'platform')),
    provider_basis_points integer NOT NULL CHECK (provider_basis_points BETWEEN 0 AND 10000),
    driver_basis_points integer NOT NULL CHECK (driver_basis_points BETWEEN 0 AND 10000),
    provider_commission_xof bigint NOT NULL,
    driver_commission_xof bigint NOT NULL,
    provider_refunds_xof bigint NOT NULL,
    driver_refunds_xof bigint NOT NULL,
    platform_refunds_xof bigint NOT NULL,
    provider_net_xof bigint NOT NULL,
    driver_net_xof bigint NOT NULL,
    platform_net_xof bigint NOT NULL
  )`
  // A party's statement sums its records of a period; the revenue report reads a period's records.
  yield* sql`CREATE INDEX settlements_by_provider ON earnings.settlements (provider_id, settled_at)`
  yield* sql`CREATE INDEX settlements_by_driver ON earnings.settlements (driver_id, settled_at)`
  yield* sql`CREATE INDEX settlements_by_time ON earnings.settlements (settled_at)`
  // Only ever inserted, as the ledger it describes.
  yield* sql`CREATE FUNCTION earnings.settlements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'earnings.settlements is append-only';
    END
  $$`
  yield* sql`CREATE TRIGGER settlements_append_only BEFORE UPDATE OR DELETE ON earnings.settlements
    FOR EACH ROW EXECUTE FUNCTION earnings.settlements_append_only()`
})
