import { Effect } from "effect"
import { SqlClient } from "effect/sql"

// One Postgres schema per bounded context, so ownership is visible in every table name
// (wallet.accounts, orders.orders, ...). `events` holds the outbox shared by all contexts.
const contextSchemas = ["auth", "users", "geo", "catalogue", "orders", "deliveries", "wallet", "payments", "earnings", "notifications", "events"]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE EXTENSION IF NOT EXISTS postgis`
  for (const schema of contextSchemas) yield* sql`CREATE SCHEMA IF NOT EXISTS ${sql(schema)}`

  yield* sql`CREATE TABLE geo.cities (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug text NOT NULL UNIQUE,
    name text NOT NULL,
    country_code char(2) NOT NULL,
    time_zone text NOT NULL,
    center geography(Point, 4326) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`
  yield* sql`CREATE TABLE geo.zones (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    city_id uuid NOT NULL REFERENCES geo.cities (id),
    slug text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('quartier', 'town', 'village')),
    boundary geography(Polygon, 4326) NOT NULL,
    approximate boolean NOT NULL,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (city_id, slug)
  )`
  yield* sql`CREATE INDEX zones_boundary_gist ON geo.zones USING gist (boundary)`
  // The one place that decides which zone a point is in: the smallest active zone covering it, so
  // a quartier wins over a town zone drawn around it. ST_Covers on geography uses the GiST index.
  yield* sql.unsafe(`CREATE FUNCTION geo.zone_at(latitude double precision, longitude double precision)
    RETURNS SETOF geo.zones
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
      SELECT z.* FROM geo.zones z
      WHERE z.active
        AND ST_Covers(z.boundary, ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)::geography)
      ORDER BY ST_Area(z.boundary), z.id
      LIMIT 1
    $$`)

  // The outbox: each event is inserted in the transaction of the change that caused it.
  // `sequence` orders events (commit order per aggregate, since writers of one aggregate lock it).
  yield* sql`CREATE TABLE events.outbox (
    sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id uuid NOT NULL UNIQUE,
    type text NOT NULL,
    aggregate_type text NOT NULL,
    aggregate_id text NOT NULL,
    payload jsonb NOT NULL,
    occurred_at timestamptz NOT NULL,
    relayed_at timestamptz
  )`
  yield* sql`CREATE INDEX outbox_pending ON events.outbox (sequence) WHERE relayed_at IS NULL`

  // What the notifications consumer has sent, one row per event: redeliveries send nothing twice.
  yield* sql`CREATE TABLE notifications.deliveries (
    event_id uuid PRIMARY KEY,
    channel text NOT NULL,
    recipient text NOT NULL,
    body text NOT NULL,
    delivered_at timestamptz NOT NULL DEFAULT now()
  )`
})
