import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // The trail of a delivery (packages/domain/src/deliveries/sampleTrail.ts): the driver's points
  // while he holds it, one every 25 m or 30 s, kept for disputes ("he never came"). Only ever
  // appended; read by delivery, in time order.
  yield* sql`CREATE TABLE deliveries.trail_points (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id uuid NOT NULL REFERENCES deliveries.deliveries (id),
    driver_id uuid NOT NULL,
    location geography(Point, 4326) NOT NULL,
    accuracy_m real NOT NULL CHECK (accuracy_m >= 0),
    recorded_at timestamptz NOT NULL
  )`
  yield* sql`CREATE INDEX trail_points_by_delivery ON deliveries.trail_points (delivery_id, recorded_at)`
})
