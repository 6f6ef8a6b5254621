import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // Earnings may go below zero now: a refund charged to a provider or a driver after settlement is
  // recovered from later earnings (the payout pays no negative balance). Only the money people paid
  // in keeps its floor: customer wallets and the orders' escrow (packages/domain/src/wallet/Account.ts,
  // mustStayNonNegative).
  yield* sql`ALTER TABLE wallet.accounts DROP CONSTRAINT accounts_money_of_people_not_negative`
  yield* sql`ALTER TABLE wallet.accounts ADD CONSTRAINT accounts_money_of_people_not_negative
    CHECK (kind NOT IN ('customer_wallet', 'orders_escrow') OR balance_xof >= 0)`

  // The commission overrides per provider and per driver (packages/domain/src/earnings/CommissionRate.ts),
  // each in force from its effective date: only ever inserted, the history of a party's rates kept
  // whole. The party is a provider's id or a driver's user id (two tables: no foreign key; the use
  // case checks it exists). The identity orders two overrides of the same instant.
  yield* sql`CREATE SCHEMA IF NOT EXISTS earnings`
  yield* sql`CREATE TABLE earnings.commission_rates (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    party_kind text NOT NULL CHECK (party_kind IN ('provider', 'driver')),
    party_id uuid NOT NULL,
    basis_points integer NOT NULL CHECK (basis_points BETWEEN 0 AND 10000),
    effective_from timestamptz NOT NULL,
    set_by text NOT NULL,
    created_at timestamptz NOT NULL
  )`
  // The rate in force at an instant: the latest effective date at or before it, one index probe.
  yield* sql`CREATE INDEX commission_rates_in_force ON earnings.commission_rates (party_kind, party_id, effective_from DESC)`
})
