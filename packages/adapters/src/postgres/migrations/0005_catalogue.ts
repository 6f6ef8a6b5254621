import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // Trigram indexes answer "name contains" searches without scanning every provider.
  yield* sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`

  // A provider and its opening hours. The hours are read whole by the domain (isOpen, nextOpenAt),
  // never queried piecemeal, so they are JSON. search_name is the domain's searchableName(name):
  // lower case without accents; collation "C" so the database sorts it exactly as the code compares.
  yield* sql`CREATE TABLE catalogue.providers (
    id uuid PRIMARY KEY,
    owner_id uuid NOT NULL REFERENCES users.users (id),
    type text NOT NULL CHECK (type IN ('restaurant', 'gas_depot', 'grocery')),
    name text NOT NULL CHECK (char_length(name) BETWEEN 2 AND 120),
    search_name text COLLATE "C" NOT NULL,
    description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 1000),
    location geography(Point, 4326) NOT NULL,
    landmark text NOT NULL DEFAULT '' CHECK (char_length(landmark) <= 300),
    zone_id uuid REFERENCES geo.zones (id),
    time_zone text NOT NULL DEFAULT 'Africa/Abidjan',
    weekly_hours jsonb NOT NULL DEFAULT '[]',
    hour_exceptions jsonb NOT NULL DEFAULT '[]',
    paused boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
  )`
  yield* sql`CREATE INDEX providers_location ON catalogue.providers USING gist (location)`
  yield* sql`CREATE INDEX providers_by_name ON catalogue.providers (search_name, id)`
  yield* sql`CREATE INDEX providers_by_type_and_name ON catalogue.providers (type, search_name, id)`
  yield* sql`CREATE INDEX providers_by_zone_and_name ON catalogue.providers (zone_id, search_name, id)`
  yield* sql`CREATE INDEX providers_search_name_trigrams ON catalogue.providers USING gin (search_name gin_trgm_ops)`
  yield* sql`CREATE INDEX providers_by_owner ON catalogue.providers (owner_id)`

  yield* sql`CREATE TABLE catalogue.categories (
    id uuid PRIMARY KEY,
    provider_id uuid NOT NULL REFERENCES catalogue.providers (id),
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
    position integer NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (provider_id, id)
  )`
  yield* sql`CREATE INDEX categories_by_provider ON catalogue.categories (provider_id, position)`

  // The composite key keeps a product in a category of its own provider only; deleting the
  // category leaves its products on the menu, uncategorized. Prices are whole XOF: integer
  // (2.1 billion francs) is far above any price and decodes as a JavaScript number.
  yield* sql`CREATE TABLE catalogue.products (
    id uuid PRIMARY KEY,
    provider_id uuid NOT NULL REFERENCES catalogue.providers (id),
    category_id uuid,
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
    description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 1000),
    price_xof integer NOT NULL CHECK (price_xof >= 0),
    available boolean NOT NULL DEFAULT true,
    stock integer CHECK (stock IS NULL OR stock >= 0),
    option_groups jsonb NOT NULL DEFAULT '[]',
    photo_key text,
    position integer NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    FOREIGN KEY (provider_id, category_id) REFERENCES catalogue.categories (provider_id, id) ON DELETE SET NULL (category_id)
  )`
  yield* sql`CREATE INDEX products_by_provider ON catalogue.products (provider_id, category_id, position)`

  // One line per brand and bottle size at a depot. Sizes are the kilograms of butane (B6 = 6).
  yield* sql`CREATE TABLE catalogue.gas_products (
    id uuid PRIMARY KEY,
    provider_id uuid NOT NULL REFERENCES catalogue.providers (id),
    brand text NOT NULL CHECK (brand IN ('Petroci', 'Oryx', 'Petro Ivoire', 'Total', 'Districom', 'Sinam', 'Ivoire Butane')),
    bottle_size_kg numeric(3, 1) NOT NULL CHECK (bottle_size_kg IN (6, 12.5, 15, 17.5, 25, 28)),
    refill_price_xof integer NOT NULL CHECK (refill_price_xof >= 0),
    new_bottle_price_xof integer NOT NULL CHECK (new_bottle_price_xof >= 0),
    full_bottles_in_stock integer CHECK (full_bottles_in_stock IS NULL OR full_bottles_in_stock >= 0),
    available boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (provider_id, brand, bottle_size_kg)
  )`
})
