import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // The wallet's PIN, Argon2id like passwords. Failed tries and lockouts live in Redis (they expire).
  yield* sql`ALTER TABLE users.users ADD COLUMN pin_hash text`

  // Addresses in Tiassalé are landmarks ("derrière la pharmacie") around a point. The zone is
  // resolved when the point is written (NULL outside every zone: NELO does not deliver there yet).
  yield* sql`CREATE TABLE users.addresses (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users.users (id),
    label text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 50),
    location geography(Point, 4326) NOT NULL,
    landmark text NOT NULL CHECK (char_length(landmark) <= 300),
    zone_id uuid REFERENCES geo.zones (id),
    is_default boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
  )`
  yield* sql`CREATE INDEX addresses_by_user ON users.addresses (user_id, created_at)`
  // At most one default address per user, whatever the races between two requests.
  yield* sql`CREATE UNIQUE INDEX addresses_one_default ON users.addresses (user_id) WHERE is_default`
})
