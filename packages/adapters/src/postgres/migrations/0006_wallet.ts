import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // The ledger's accounts (packages/domain/src/wallet/Account.ts). Balances are whole francs in
  // bigint; the CHECK on the accounts holding people's money is the last line of defence under the
  // domain's applyPostings. A freeze is all four columns or none.
  yield* sql`CREATE TABLE wallet.accounts (
    id uuid PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('customer_wallet', 'provider_earnings', 'driver_earnings', 'driver_cash_in_hand', 'platform_revenue', 'gateway_clearing')),
    owner_id uuid,
    gateway text CHECK (gateway IN ('wave', 'cinetpay')),
    balance_xof bigint NOT NULL DEFAULT 0,
    frozen_reason text,
    frozen_by_kind text CHECK (frozen_by_kind IN ('admin', 'system')),
    frozen_by_id text,
    frozen_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT accounts_owner_matches_kind
      CHECK ((owner_id IS NOT NULL) = (kind IN ('customer_wallet', 'provider_earnings', 'driver_earnings', 'driver_cash_in_hand'))),
    CONSTRAINT accounts_gateway_matches_kind CHECK ((gateway IS NOT NULL) = (kind = 'gateway_clearing')),
    CONSTRAINT accounts_money_of_people_not_negative
      CHECK (kind NOT IN ('customer_wallet', 'provider_earnings', 'driver_earnings') OR balance_xof >= 0),
    CONSTRAINT accounts_freeze_whole CHECK (
      (frozen_at IS NULL AND frozen_reason IS NULL AND frozen_by_kind IS NULL AND frozen_by_id IS NULL)
      OR (frozen_at IS NOT NULL AND frozen_reason IS NOT NULL AND frozen_by_kind IS NOT NULL AND frozen_by_id IS NOT NULL))
  )`
  // One account per (kind, owner), one clearing account per gateway, one revenue account: the
  // "open on first use" upserts of the ledger rely on these to never open two.
  yield* sql`CREATE UNIQUE INDEX accounts_one_per_owner ON wallet.accounts (kind, owner_id) WHERE owner_id IS NOT NULL`
  yield* sql`CREATE UNIQUE INDEX accounts_one_clearing_per_gateway ON wallet.accounts (gateway) WHERE kind = 'gateway_clearing'`
  yield* sql`CREATE UNIQUE INDEX accounts_one_platform_revenue ON wallet.accounts (kind) WHERE kind = 'platform_revenue'`

  // A transaction's idempotency key is unique: a replayed request finds the first one. A
  // transaction is reversed at most once (UNIQUE reverses_id), and only a reversal reverses.
  yield* sql`CREATE TABLE wallet.transactions (
    id uuid PRIMARY KEY,
    type text NOT NULL CHECK (type IN ('topup', 'payment', 'refund', 'transfer', 'commission', 'payout', 'cash_collection', 'reversal')),
    idempotency_key text NOT NULL CONSTRAINT transactions_idempotency_key_unique UNIQUE,
    cause_kind text NOT NULL CHECK (cause_kind IN ('user', 'admin', 'webhook', 'system')),
    cause_id text NOT NULL,
    reverses_id uuid CONSTRAINT transactions_reversed_once UNIQUE REFERENCES wallet.transactions (id),
    note text,
    reference text,
    created_at timestamptz NOT NULL,
    CONSTRAINT transactions_reversal_names_its_original CHECK ((type = 'reversal') = (reverses_id IS NOT NULL))
  )`

  // created_at is the transaction's, copied so that the outflow of a day or a month is a range of
  // (account_id, created_at) without visiting the transactions. position keeps the postings in the
  // order they were given, so a transaction reads back exactly as it was written.
  yield* sql`CREATE TABLE wallet.postings (
    transaction_id uuid NOT NULL REFERENCES wallet.transactions (id),
    account_id uuid NOT NULL REFERENCES wallet.accounts (id),
    position smallint NOT NULL,
    amount_xof bigint NOT NULL CHECK (amount_xof <> 0),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (transaction_id, account_id)
  )`
  yield* sql`CREATE INDEX postings_by_account_and_time ON wallet.postings (account_id, created_at)`
  // An account's history, newest first: transaction ids are time-ordered (UUIDv7).
  yield* sql`CREATE INDEX postings_by_account_and_transaction ON wallet.postings (account_id, transaction_id)`

  // Every freeze and unfreeze, with its reason and author: the accounts row holds only the current one.
  yield* sql`CREATE TABLE wallet.freezes (
    id uuid PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES wallet.accounts (id),
    action text NOT NULL CHECK (action IN ('freeze', 'unfreeze')),
    reason text NOT NULL,
    by_kind text NOT NULL CHECK (by_kind IN ('admin', 'system')),
    by_id text NOT NULL,
    at timestamptz NOT NULL
  )`
  yield* sql`CREATE INDEX freezes_by_account ON wallet.freezes (account_id, at)`

  // The ledger is a record of what happened to people's money: a wrong transaction is corrected by a
  // reversing one, never edited or erased, so that every balance can always be re-derived from the
  // postings and audited. The database refuses UPDATE, DELETE and TRUNCATE on that record (and on
  // the freeze history) whoever asks, including a mistaken script or a compromised admin session.
  yield* sql.unsafe(`CREATE FUNCTION wallet.refuse_rewriting_history() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'wallet.% is append-only: % refused (correct with a reversing transaction)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
    END
    $$`)
  for (const table of ["transactions", "postings", "freezes"]) {
    yield* sql.unsafe(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON wallet.${table}
      FOR EACH ROW EXECUTE FUNCTION wallet.refuse_rewriting_history()`)
    yield* sql.unsafe(`CREATE TRIGGER ${table}_never_truncated BEFORE TRUNCATE ON wallet.${table}
      FOR EACH STATEMENT EXECUTE FUNCTION wallet.refuse_rewriting_history()`)
  }

  // Checked at commit, once all of a transaction's postings are in: at least two, summing to zero.
  // The ledger checks this before writing; this is the last line of defence against any other writer.
  yield* sql.unsafe(`CREATE FUNCTION wallet.check_transaction_balanced() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
      checked uuid;
      total numeric;
      lines integer;
    BEGIN
      -- Two statements, not one CASE: each names a field only the row of its own table has.
      IF TG_TABLE_NAME = 'transactions' THEN
        checked := NEW.id;
      ELSE
        checked := NEW.transaction_id;
      END IF;
      SELECT coalesce(sum(amount_xof), 0), count(*) INTO total, lines FROM wallet.postings WHERE transaction_id = checked;
      IF lines < 2 OR total <> 0 THEN
        RAISE EXCEPTION 'wallet transaction % is unbalanced: % postings summing to %', checked, lines, total
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN NULL;
    END
    $$`)
  for (const table of ["transactions", "postings"]) {
    yield* sql.unsafe(`CREATE CONSTRAINT TRIGGER ${table}_balanced AFTER INSERT ON wallet.${table}
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wallet.check_transaction_balanced()`)
  }

  // A top-up someone started (packages/domain/src/payments/PaymentIntent.ts). The client's key is
  // unique per user; a succeeded intent names the ledger transaction that credited it.
  yield* sql`CREATE TABLE payments.intents (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users.users (id),
    gateway text NOT NULL CHECK (gateway IN ('wave', 'cinetpay')),
    amount_xof bigint NOT NULL CHECK (amount_xof > 0),
    currency text NOT NULL CHECK (currency = 'XOF'),
    status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'expired', 'mismatch')),
    idempotency_key text NOT NULL,
    gateway_reference text,
    payment_url text,
    ledger_transaction_id uuid REFERENCES wallet.transactions (id),
    failure_reason text,
    -- When the re-check last asked the gateway (missed webhooks): spreads its questions over all.
    last_checked_at timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT intents_one_per_user_and_key UNIQUE (user_id, idempotency_key),
    CONSTRAINT intents_succeeded_names_its_credit CHECK (status <> 'succeeded' OR ledger_transaction_id IS NOT NULL)
  )`
  yield* sql`CREATE INDEX intents_pending_by_creation ON payments.intents (created_at, id) WHERE status = 'pending'`
  yield* sql`CREATE INDEX intents_unsettled_by_user ON payments.intents (user_id, id) WHERE status <> 'succeeded'`

  // Webhooks as received, deduplicated on the gateway's event id. intent_id is text, kept as the
  // gateway sent it: an event naming no intent of ours (or not a uuid) is still recorded.
  yield* sql`CREATE TABLE payments.webhook_events (
    gateway text NOT NULL CHECK (gateway IN ('wave', 'cinetpay')),
    event_id text NOT NULL,
    type text NOT NULL,
    intent_id text,
    payload jsonb NOT NULL,
    received_at timestamptz NOT NULL,
    processed_at timestamptz,
    PRIMARY KEY (gateway, event_id)
  )`
  yield* sql`CREATE INDEX webhook_events_unprocessed ON payments.webhook_events (received_at) WHERE processed_at IS NULL`
})
