import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // A delivery (packages/domain/src/deliveries/Delivery.ts): one per order, from the dispatch that
  // finds it a driver to the handover. The order stays the source of what is carried and for how
  // much; provider_id and customer_id are copied from it for the lists and the notices.
  yield* sql`CREATE TABLE deliveries.deliveries (
    id uuid PRIMARY KEY,
    order_id uuid NOT NULL CONSTRAINT deliveries_one_per_order UNIQUE REFERENCES orders.orders (id),
    provider_id uuid NOT NULL,
    customer_id uuid NOT NULL,
    status text NOT NULL CHECK (status IN ('searching', 'unassigned', 'assigned', 'picked_up', 'delivering', 'delivered', 'failed', 'cancelled')),
    driver_id uuid REFERENCES deliveries.drivers (user_id),
    dispatch_at timestamptz NOT NULL,
    radius_index integer NOT NULL CHECK (radius_index >= 0),
    batches_in_radius integer NOT NULL CHECK (batches_in_radius >= 0),
    batch_count integer NOT NULL CHECK (batch_count >= 0),
    round_started_at timestamptz,
    unassigned_since timestamptz,
    next_retry_at timestamptz,
    wrong_code_attempts integer NOT NULL CHECK (wrong_code_attempts >= 0),
    completion_locked_at timestamptz,
    cash_collected_xof bigint CHECK (cash_collected_xof >= 0),
    failure_reason text CHECK (failure_reason IN ('customer_absent', 'customer_unreachable', 'address_not_found', 'refused', 'order_damaged', 'vehicle_problem', 'unsafe', 'other')),
    failure_note text,
    assigned_at timestamptz,
    picked_up_at timestamptz,
    delivered_at timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT deliveries_active_has_driver CHECK (status NOT IN ('assigned', 'picked_up', 'delivering') OR driver_id IS NOT NULL),
    CONSTRAINT deliveries_failure_note_has_reason CHECK (failure_note IS NULL OR failure_reason IS NOT NULL)
  )`
  // A driver holds one delivery at a time: the use cases check it under his row lock, and the
  // database refuses the second all the same. Also how activeOf and withActiveDelivery find it.
  yield* sql`CREATE UNIQUE INDEX deliveries_one_active_per_driver ON deliveries.deliveries (driver_id)
    WHERE status IN ('assigned', 'picked_up', 'delivering')`
  // The admins' list, newest first by time-ordered id, by status.
  yield* sql`CREATE INDEX deliveries_by_status ON deliveries.deliveries (status, id DESC)`
  // A driver's day: his deliveries handed over since a time.
  yield* sql`CREATE INDEX deliveries_delivered_by_driver ON deliveries.deliveries (driver_id, delivered_at) WHERE status = 'delivered'`

  // An offer of a delivery to a driver (packages/domain/src/deliveries/Offer.ts), part of a batch
  // sent at once. The factors of its score are kept as a document, for admins asking why him.
  yield* sql`CREATE TABLE deliveries.offers (
    id uuid PRIMARY KEY,
    delivery_id uuid NOT NULL REFERENCES deliveries.deliveries (id),
    driver_id uuid NOT NULL REFERENCES deliveries.drivers (user_id),
    batch integer NOT NULL CHECK (batch >= 1),
    status text NOT NULL CHECK (status IN ('open', 'accepted', 'rejected', 'expired', 'withdrawn', 'released')),
    reject_reason text,
    distance_to_pickup_m integer NOT NULL CHECK (distance_to_pickup_m >= 0),
    score double precision NOT NULL,
    factors jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    answered_at timestamptz
  )`
  // A delivery's offers, oldest first.
  yield* sql`CREATE INDEX offers_by_delivery ON deliveries.offers (delivery_id, created_at)`
  // A driver's latest offers: the matching's history factor and his trailing timeouts.
  yield* sql`CREATE INDEX offers_by_driver ON deliveries.offers (driver_id, created_at DESC)`
  // A driver's open offers: few rows among all offers.
  yield* sql`CREATE INDEX offers_open_by_driver ON deliveries.offers (driver_id) WHERE status = 'open'`
  // One winner per delivery: of two drivers accepting at once, the database refuses the second too.
  yield* sql`CREATE UNIQUE INDEX offers_one_accepted_per_delivery ON deliveries.offers (delivery_id) WHERE status = 'accepted'`
})
