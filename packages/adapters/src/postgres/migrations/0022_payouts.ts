import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // A payee's payout number (packages/domain/src/earnings/PayoutAccount.ts): the confirmed one, and
  // one waiting for its code. The payee is a provider's id or a driver's user id (no foreign key:
  // two tables; the use case checks it exists).
  yield* sql`CREATE TABLE earnings.payout_accounts (
    payee_kind text NOT NULL CHECK (payee_kind IN ('provider', 'driver')),
    payee_id uuid NOT NULL,
    holder_name text NOT NULL,
    mobile text,
    confirmed_at timestamptz,
    payouts_held_until timestamptz,
    pending_mobile text,
    pending_since timestamptz,
    PRIMARY KEY (payee_kind, payee_id),
    CONSTRAINT payout_accounts_confirmed_whole CHECK ((mobile IS NULL) = (confirmed_at IS NULL)),
    CONSTRAINT payout_accounts_pending_whole CHECK ((pending_mobile IS NULL) = (pending_since IS NULL))
  )`
  // Every change of number, never updated: who changed it, from what, when (account takeover inquiries).
  yield* sql`CREATE TABLE earnings.payout_account_changes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payee_kind text NOT NULL,
    payee_id uuid NOT NULL,
    previous_mobile text,
    mobile text NOT NULL,
    changed_by text NOT NULL,
    at timestamptz NOT NULL
  )`
  yield* sql`CREATE INDEX payout_account_changes_by_payee ON earnings.payout_account_changes (payee_kind, payee_id, id)`

  // A run of payouts: the worker's, or one manual batch per period (exported again, the same batch).
  yield* sql`CREATE TABLE earnings.payout_runs (
    id uuid PRIMARY KEY,
    method text NOT NULL CHECK (method IN ('gateway', 'manual')),
    period_from date,
    period_to date,
    started_by text NOT NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT payout_runs_manual_have_a_period CHECK ((method = 'manual') = (period_from IS NOT NULL AND period_to IS NOT NULL))
  )`
  yield* sql`CREATE UNIQUE INDEX payout_runs_one_batch_per_period ON earnings.payout_runs (period_from, period_to) WHERE method = 'manual'`

  // The payouts (packages/domain/src/earnings/Payout.ts). Its money moved to payouts in flight in the
  // same transaction as the row was inserted (ledger key payout:<id>).
  yield* sql`CREATE TABLE earnings.payouts (
    id uuid PRIMARY KEY,
    run_id uuid NOT NULL REFERENCES earnings.payout_runs (id),
    payee_kind text NOT NULL CHECK (payee_kind IN ('provider', 'driver')),
    payee_id uuid NOT NULL,
    amount_xof bigint NOT NULL CHECK (amount_xof > 0),
    mobile text NOT NULL,
    holder_name text NOT NULL,
    method text NOT NULL CHECK (method IN ('gateway', 'manual')),
    gateway text CHECK (gateway IN ('wave', 'cinetpay')),
    status text NOT NULL CHECK (status IN ('pending', 'sending', 'processing', 'succeeded', 'failed', 'reversed', 'exported', 'paid')),
    gateway_reference text,
    detail text,
    attempts integer NOT NULL DEFAULT 0,
    order_count integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
  )`
  // One open payout per payee, whatever runs race: the second insert fails, its transaction with it.
  yield* sql`CREATE UNIQUE INDEX payouts_one_open_per_payee ON earnings.payouts (payee_kind, payee_id)
    WHERE status IN ('pending', 'sending', 'processing', 'exported')`
  yield* sql`CREATE INDEX payouts_by_run ON earnings.payouts (run_id, id)`
  yield* sql`CREATE INDEX payouts_by_payee ON earnings.payouts (payee_kind, payee_id, id DESC)`
  // The worker's sweep of unfinished gateway payouts, oldest change first.
  yield* sql`CREATE INDEX payouts_unfinished ON earnings.payouts (updated_at)
    WHERE method = 'gateway' AND status IN ('pending', 'sending', 'processing')`
})
