import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // The deliveries context (packages/domain/src/deliveries). A driver is a user with the driver
  // role; their live position is in Redis, their documents in users.kyc_documents.
  yield* sql`CREATE SCHEMA IF NOT EXISTS deliveries`
  yield* sql`CREATE TABLE deliveries.drivers (
    user_id uuid PRIMARY KEY REFERENCES users.users (id),
    vehicle text NOT NULL CHECK (vehicle IN ('motorbike', 'bicycle', 'tricycle', 'car')),
    plate text,
    zone_id uuid NOT NULL REFERENCES geo.zones (id),
    status text NOT NULL CHECK (status IN ('offline', 'online')),
    status_changed_at timestamptz NOT NULL,
    last_delivered_at timestamptz,
    rating_sum integer NOT NULL DEFAULT 0 CHECK (rating_sum >= 0),
    rating_count integer NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
    created_at timestamptz NOT NULL
  )`
  // Matching and the CLI's --online read the online ones only: few rows among all drivers.
  yield* sql`CREATE INDEX drivers_online ON deliveries.drivers (user_id) WHERE status = 'online'`
})
