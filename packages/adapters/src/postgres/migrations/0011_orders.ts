import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // The ledger gains one escrow account per provider (packages/domain/src/wallet/Account.ts): what
  // customers paid for its orders in progress. Owned by the provider, never below zero.
  yield* sql`ALTER TABLE wallet.accounts DROP CONSTRAINT accounts_kind_check`
  yield* sql`ALTER TABLE wallet.accounts ADD CONSTRAINT accounts_kind_check
    CHECK (kind IN ('customer_wallet', 'provider_earnings', 'driver_earnings', 'driver_cash_in_hand', 'platform_revenue', 'gateway_clearing', 'orders_escrow'))`
  yield* sql`ALTER TABLE wallet.accounts DROP CONSTRAINT accounts_owner_matches_kind`
  yield* sql`ALTER TABLE wallet.accounts ADD CONSTRAINT accounts_owner_matches_kind
    CHECK ((owner_id IS NOT NULL) = (kind IN ('customer_wallet', 'provider_earnings', 'driver_earnings', 'driver_cash_in_hand', 'orders_escrow')))`
  yield* sql`ALTER TABLE wallet.accounts DROP CONSTRAINT accounts_money_of_people_not_negative`
  yield* sql`ALTER TABLE wallet.accounts ADD CONSTRAINT accounts_money_of_people_not_negative
    CHECK (kind NOT IN ('customer_wallet', 'provider_earnings', 'driver_earnings', 'orders_escrow') OR balance_xof >= 0)`

  // An order (packages/domain/src/orders/Order.ts). Its lines, promotion, pickup, destination and
  // cancellation are snapshots read and written whole with it (JSONB): editing a menu or an address
  // changes no order. The totals are columns, held to the rule that makes them add up.
  yield* sql`CREATE TABLE orders.orders (
    id uuid PRIMARY KEY,
    reference text NOT NULL CONSTRAINT orders_reference_unique UNIQUE,
    customer_id uuid NOT NULL REFERENCES users.users (id),
    provider_id uuid NOT NULL REFERENCES catalogue.providers (id),
    status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'preparing', 'ready', 'picked_up', 'delivering', 'delivered', 'cancelled', 'failed')),
    payment_method text NOT NULL CHECK (payment_method IN ('wallet', 'wave', 'cinetpay', 'cash')),
    payment_status text NOT NULL CHECK (payment_status IN ('awaiting', 'paid', 'on_delivery', 'refunded', 'unpaid')),
    lines jsonb NOT NULL,
    subtotal_xof bigint NOT NULL CHECK (subtotal_xof >= 0),
    delivery_fee_xof bigint NOT NULL CHECK (delivery_fee_xof >= 0),
    discount_xof bigint NOT NULL CHECK (discount_xof >= 0),
    total_xof bigint NOT NULL CHECK (total_xof >= 0),
    promotion jsonb,
    pickup jsonb NOT NULL,
    destination jsonb NOT NULL,
    distance_m integer NOT NULL CHECK (distance_m >= 0),
    note text,
    preparation_minutes integer CHECK (preparation_minutes BETWEEN 1 AND 1440),
    cancellation jsonb,
    idempotency_key text NOT NULL,
    request_digest text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT orders_totals_add_up CHECK (total_xof = subtotal_xof + delivery_fee_xof - discount_xof),
    CONSTRAINT orders_one_per_customer_key UNIQUE (customer_id, idempotency_key)
  )`
  // Lists newest first by time-ordered id: a customer's, a provider's (by status for its app).
  yield* sql`CREATE INDEX orders_by_customer ON orders.orders (customer_id, id DESC)`
  yield* sql`CREATE INDEX orders_by_provider ON orders.orders (provider_id, id DESC)`
  yield* sql`CREATE INDEX orders_cash_outcomes ON orders.orders (customer_id, updated_at DESC)
    WHERE payment_method = 'cash' AND status IN ('delivered', 'failed')`

  // Every change of every order, in order: the timeline, the audit, and what live streams replay
  // after a reconnection (ids grow; provider_id is copied so that a provider's stream is one range).
  yield* sql`CREATE TABLE orders.changes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id uuid NOT NULL REFERENCES orders.orders (id),
    provider_id uuid NOT NULL,
    change text NOT NULL CHECK (change IN ('created', 'paid', 'confirmed', 'preparing', 'ready', 'picked_up', 'delivering', 'delivered', 'cancelled', 'failed')),
    from_status text CHECK (from_status IN ('pending', 'confirmed', 'preparing', 'ready', 'picked_up', 'delivering', 'delivered', 'cancelled', 'failed')),
    to_status text NOT NULL CHECK (to_status IN ('pending', 'confirmed', 'preparing', 'ready', 'picked_up', 'delivering', 'delivered', 'cancelled', 'failed')),
    actor_kind text NOT NULL CHECK (actor_kind IN ('customer', 'provider', 'driver', 'admin', 'system')),
    actor_id text NOT NULL,
    reason text,
    at timestamptz NOT NULL
  )`
  yield* sql`CREATE INDEX changes_by_order ON orders.changes (order_id, id)`
  yield* sql`CREATE INDEX changes_by_provider ON orders.changes (provider_id, id)`

  // Promotions, with their uses counted on the row (under its lock) and each use kept: released
  // (not deleted) when its order is cancelled, so the count can always be re-derived.
  yield* sql`CREATE TABLE orders.promotions (
    id uuid PRIMARY KEY,
    code text CONSTRAINT promotions_code_unique UNIQUE,
    label text NOT NULL,
    benefit jsonb NOT NULL,
    minimum_subtotal_xof bigint NOT NULL CHECK (minimum_subtotal_xof >= 0),
    maximum_discount_xof bigint CHECK (maximum_discount_xof > 0),
    starts_at timestamptz NOT NULL,
    ends_at timestamptz,
    maximum_uses integer CHECK (maximum_uses > 0),
    budget_xof bigint CHECK (budget_xof > 0),
    per_customer_limit integer CHECK (per_customer_limit > 0),
    first_order_only boolean NOT NULL,
    provider_id uuid REFERENCES catalogue.providers (id),
    funded_by text NOT NULL CHECK (funded_by IN ('platform', 'provider')),
    active boolean NOT NULL,
    uses_count integer NOT NULL DEFAULT 0 CHECK (uses_count >= 0),
    discount_total_xof bigint NOT NULL DEFAULT 0 CHECK (discount_total_xof >= 0),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT promotions_window CHECK (ends_at IS NULL OR ends_at > starts_at),
    CONSTRAINT promotions_uses_within_maximum CHECK (maximum_uses IS NULL OR uses_count <= maximum_uses),
    CONSTRAINT promotions_within_budget CHECK (budget_xof IS NULL OR discount_total_xof <= budget_xof)
  )`
  yield* sql`CREATE INDEX promotions_automatic ON orders.promotions (provider_id) WHERE code IS NULL AND active`
  yield* sql`CREATE TABLE orders.promotion_uses (
    order_id uuid PRIMARY KEY REFERENCES orders.orders (id),
    promotion_id uuid NOT NULL REFERENCES orders.promotions (id),
    customer_id uuid NOT NULL,
    discount_xof bigint NOT NULL CHECK (discount_xof > 0),
    at timestamptz NOT NULL,
    released_at timestamptz
  )`
  yield* sql`CREATE INDEX promotion_uses_by_customer ON orders.promotion_uses (promotion_id, customer_id) WHERE released_at IS NULL`

  // A payment intent pays a top-up, or an order (one intent per order) through Wave or CinetPay.
  yield* sql`ALTER TABLE payments.intents ADD COLUMN order_id uuid REFERENCES orders.orders (id)`
  yield* sql`CREATE UNIQUE INDEX intents_one_per_order ON payments.intents (order_id) WHERE order_id IS NOT NULL`

  // Each version of the delivery fee bands, the latest in force; the first is the plan's default.
  yield* sql`CREATE TABLE orders.delivery_fee_schedules (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    schedule jsonb NOT NULL,
    set_by text NOT NULL,
    set_at timestamptz NOT NULL
  )`
})
