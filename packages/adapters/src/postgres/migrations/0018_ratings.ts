import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // A customer's rating of a delivered order (packages/domain/src/deliveries/Rating.ts): the driver
  // who carried it and the provider who made it. One per order: the primary key decides between
  // two sent at once. The parties are copied from the order and its delivery.
  yield* sql`CREATE TABLE deliveries.ratings (
    order_id uuid PRIMARY KEY REFERENCES orders.orders (id),
    delivery_id uuid NOT NULL REFERENCES deliveries.deliveries (id),
    customer_id uuid NOT NULL REFERENCES users.users (id),
    driver_id uuid NOT NULL REFERENCES deliveries.drivers (user_id),
    provider_id uuid NOT NULL REFERENCES catalogue.providers (id),
    driver_stars smallint NOT NULL CHECK (driver_stars BETWEEN 1 AND 5),
    provider_stars smallint NOT NULL CHECK (provider_stars BETWEEN 1 AND 5),
    comment text,
    created_at timestamptz NOT NULL
  )`

  // The provider's public rating, kept beside it as the drivers' is (deliveries.drivers): the sum
  // of the stars and their count, added to as each rating is recorded.
  yield* sql`ALTER TABLE catalogue.providers
    ADD COLUMN rating_sum integer NOT NULL DEFAULT 0 CHECK (rating_sum >= 0),
    ADD COLUMN rating_count integer NOT NULL DEFAULT 0 CHECK (rating_count >= 0)`
})
