import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // Each order's delivery code (packages/domain/src/orders/Order.ts): 4 digits the customer reads
  // out to the driver at the door, the proof of delivery. Orders placed before it get one drawn
  // here, so that every order, old or new, can be completed the same way.
  yield* sql`ALTER TABLE orders.orders ADD COLUMN delivery_code text`
  yield* sql`UPDATE orders.orders SET delivery_code = lpad(floor(random() * 10000)::int::text, 4, '0')`
  yield* sql`ALTER TABLE orders.orders ALTER COLUMN delivery_code SET NOT NULL`
  yield* sql`ALTER TABLE orders.orders ADD CONSTRAINT orders_delivery_code_check CHECK (delivery_code ~ '^[0-9]{4}$')`
})
