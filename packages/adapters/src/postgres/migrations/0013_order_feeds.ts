import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // The live streams' positions. A change's identity id is drawn when it is inserted, not when it
  // commits: of two orders of one provider changed at once, the higher id may commit first, and a
  // stream resuming after it would skip the other for ever. Each provider has a counter, bumped in
  // the change's own transaction under its row lock: positions commit in the order they are given.
  yield* sql`CREATE TABLE orders.provider_feeds (
    provider_id uuid PRIMARY KEY,
    position bigint NOT NULL CHECK (position > 0)
  )`
  yield* sql`ALTER TABLE orders.changes ADD COLUMN position bigint`
  yield* sql`
    UPDATE orders.changes SET position = numbered.position
    FROM (SELECT id, row_number() OVER (PARTITION BY provider_id ORDER BY id) AS position FROM orders.changes) AS numbered
    WHERE orders.changes.id = numbered.id`
  yield* sql`
    INSERT INTO orders.provider_feeds (provider_id, position)
    SELECT provider_id, max(position) FROM orders.changes GROUP BY provider_id`
  yield* sql`ALTER TABLE orders.changes ALTER COLUMN position SET NOT NULL`
  yield* sql`DROP INDEX orders.changes_by_provider`
  yield* sql`CREATE UNIQUE INDEX changes_by_provider_position ON orders.changes (provider_id, position)`
  yield* sql`DROP INDEX orders.changes_by_order`
  yield* sql`CREATE INDEX changes_by_order_position ON orders.changes (order_id, position)`
})
