import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // The phones that receive a user's push notifications (packages/domain/src/users/Device.ts). A
  // token is one phone's: unique, it moves to whoever registers it last.
  yield* sql`CREATE TABLE users.devices (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users.users (id),
    token text NOT NULL CONSTRAINT devices_token_unique UNIQUE,
    platform text NOT NULL CHECK (platform IN ('android', 'ios', 'web')),
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL
  )`
  yield* sql`CREATE INDEX devices_by_user ON users.devices (user_id, last_seen_at DESC)`
})
