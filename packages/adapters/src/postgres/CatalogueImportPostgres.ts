import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { type CatalogueImportEntry, CatalogueImport } from "@nelo/domain/catalogue/CatalogueImport"
import { CatalogueStoreUnavailable } from "@nelo/domain/catalogue/errors"
import { searchableName } from "@nelo/domain/catalogue/searchableName"

const unavailable = (cause: unknown) => new CatalogueStoreUnavailable({ cause })

// Every table of a batch is written by ONE statement: its rows travel as one JSON parameter
// (snake_case keys, the column names) and json_to_recordset turns them back into rows. A few
// statements per 500 providers instead of one per row: the round trips, not Postgres, were the cost.
// The shapes stored in jsonb columns (hours, option groups) are the domain's, as the repositories
// write them.

const providerRecord = "id uuid, owner_id uuid, type text, name text, search_name text, description text, lat float8, lng float8, landmark text, time_zone text, weekly_hours jsonb, hour_exceptions jsonb, paused boolean"
const categoryRecord = "id uuid, provider_id uuid, name text, position integer"
const productRecord = "id uuid, provider_id uuid, category_id uuid, name text, description text, price_xof integer, available boolean, stock integer, option_groups jsonb, photo_key text, position integer"
const gasProductRecord = "id uuid, provider_id uuid, brand text, bottle_size_kg numeric, refill_price_xof integer, new_bottle_price_xof integer, full_bottles_in_stock integer, available boolean"

export const CatalogueImportPostgres = Layer.effect(CatalogueImport, Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = (json: string, record: string) => sql`json_to_recordset(${json}::json) AS r(${sql.literal(record)})`

  return CatalogueImport.of({
    importBatch: (entries, now) =>
      entries.length === 0
        ? Effect.succeed({ providersCreated: 0, providersSkipped: 0, categoriesCreated: 0, productsCreated: 0, gasProductsCreated: 0 })
        // ON CONFLICT DO NOTHING would quietly keep the first of two entries with one id, then write
        // both catalogues: refused instead.
        : new Set(entries.map((entry) => entry.provider.id)).size !== entries.length
        ? Effect.fail(unavailable(new Error("the same provider twice in one batch")))
        : sql.withTransaction(Effect.gen(function*() {
          const providers = JSON.stringify(entries.map(({ provider }) => ({
            id: provider.id,
            owner_id: provider.ownerId,
            type: provider.type,
            name: provider.name,
            search_name: searchableName(provider.name),
            description: provider.description,
            lat: provider.location.lat,
            lng: provider.location.lng,
            landmark: provider.landmark,
            time_zone: provider.schedule.timeZone,
            weekly_hours: provider.schedule.weekly,
            hour_exceptions: provider.schedule.exceptions,
            paused: provider.schedule.paused
          })))
          // An id the store already has is skipped, and so is everything of that entry below:
          // importing the same entries again changes nothing.
          const inserted = yield* sql<{ id: string }>`
            INSERT INTO catalogue.providers (id, owner_id, type, name, search_name, description, location, landmark, zone_id,
                                             time_zone, weekly_hours, hour_exceptions, paused, created_at, updated_at)
            SELECT r.id, r.owner_id, r.type, r.name, r.search_name, r.description,
                   ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326)::geography, r.landmark,
                   (SELECT z.id FROM geo.zone_at(r.lat, r.lng) z),
                   r.time_zone, r.weekly_hours, r.hour_exceptions, r.paused, ${now}, ${now}
            FROM ${rows(providers, providerRecord)}
            ON CONFLICT (id) DO NOTHING
            RETURNING id`
          const created = new Set(inserted.map((row) => row.id))
          const fresh = entries.filter((entry) => created.has(entry.provider.id))

          const categories = fresh.flatMap((entry) => entry.categories.map((category) => ({
            id: category.id,
            provider_id: category.providerId,
            name: category.name,
            position: category.position
          })))
          if (categories.length > 0) {
            yield* sql`
              INSERT INTO catalogue.categories (id, provider_id, name, position, created_at, updated_at)
              SELECT r.id, r.provider_id, r.name, r.position, ${now}, ${now} FROM ${rows(JSON.stringify(categories), categoryRecord)}`
          }

          const products = fresh.flatMap((entry) => entry.products.map((product) => ({
            id: product.id,
            provider_id: product.providerId,
            category_id: product.categoryId,
            name: product.name,
            description: product.description,
            price_xof: product.priceXof,
            available: product.available,
            stock: product.stock,
            option_groups: product.optionGroups,
            photo_key: product.photoKey,
            position: product.position
          })))
          if (products.length > 0) {
            yield* sql`
              INSERT INTO catalogue.products (id, provider_id, category_id, name, description, price_xof, available, stock,
                                              option_groups, photo_key, position, created_at, updated_at)
              SELECT r.id, r.provider_id, r.category_id, r.name, r.description, r.price_xof, r.available, r.stock,
                     r.option_groups, r.photo_key, r.position, ${now}, ${now}
              FROM ${rows(JSON.stringify(products), productRecord)}`
          }

          const gasProducts = fresh.flatMap((entry) => entry.gasProducts.map((gas) => ({
            id: gas.id,
            provider_id: gas.providerId,
            brand: gas.brand,
            bottle_size_kg: gas.bottleSizeKg,
            refill_price_xof: gas.refillPriceXof,
            new_bottle_price_xof: gas.newBottlePriceXof,
            full_bottles_in_stock: gas.fullBottlesInStock,
            available: gas.available
          })))
          if (gasProducts.length > 0) {
            yield* sql`
              INSERT INTO catalogue.gas_products (id, provider_id, brand, bottle_size_kg, refill_price_xof, new_bottle_price_xof,
                                                  full_bottles_in_stock, available, created_at, updated_at)
              SELECT r.id, r.provider_id, r.brand, r.bottle_size_kg, r.refill_price_xof, r.new_bottle_price_xof,
                     r.full_bottles_in_stock, r.available, ${now}, ${now}
              FROM ${rows(JSON.stringify(gasProducts), gasProductRecord)}`
          }

          return {
            providersCreated: fresh.length,
            providersSkipped: entries.length - fresh.length,
            categoriesCreated: categories.length,
            productsCreated: products.length,
            gasProductsCreated: gasProducts.length
          }
        })).pipe(Effect.mapError(unavailable)),

    counts: sql<{ providers: number; categories: number; products: number; gasProducts: number }>`
      SELECT (SELECT count(*) FROM catalogue.providers)::int AS providers,
             (SELECT count(*) FROM catalogue.categories)::int AS categories,
             (SELECT count(*) FROM catalogue.products)::int AS products,
             (SELECT count(*) FROM catalogue.gas_products)::int AS gas_products`.pipe(
      Effect.map((result) => result[0]!),
      Effect.mapError(unavailable)
    )
  })
}))
