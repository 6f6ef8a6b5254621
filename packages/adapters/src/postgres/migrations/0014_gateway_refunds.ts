import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // A cancelled order whose payment goes back through its gateway (Wave) is `refunding` until the
  // gateway accepts the refund; then a `refunded` change settles it (packages/domain/src/payments/refundToGateway.ts).
  yield* sql`ALTER TABLE orders.orders DROP CONSTRAINT orders_payment_status_check`
  yield* sql`ALTER TABLE orders.orders ADD CONSTRAINT orders_payment_status_check
    CHECK (payment_status IN ('awaiting', 'paid', 'on_delivery', 'refunding', 'refunded', 'unpaid'))`
  yield* sql`ALTER TABLE orders.changes DROP CONSTRAINT changes_change_check`
  yield* sql`ALTER TABLE orders.changes ADD CONSTRAINT changes_change_check
    CHECK (change IN ('created', 'paid', 'confirmed', 'preparing', 'ready', 'picked_up', 'delivering', 'delivered', 'cancelled', 'failed', 'refunded'))`
  // The worker's sweep of refunds the queue gave up on: few rows, found without a scan.
  yield* sql`CREATE INDEX orders_refunding ON orders.orders (updated_at) WHERE payment_status = 'refunding'`
})
