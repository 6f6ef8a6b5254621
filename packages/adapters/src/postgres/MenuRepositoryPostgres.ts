import { Effect, Layer, Option, Schema } from "effect"
import { SqlClient, type SqlError, type Statement } from "effect/sql"
import type { Category } from "@nelo/domain/catalogue/Category"
import { CatalogueStoreUnavailable, GasProductDuplicate } from "@nelo/domain/catalogue/errors"
import { MenuRepository, type StockChange, type StockOutcome } from "@nelo/domain/catalogue/MenuRepository"
import { GasProduct, Product } from "@nelo/domain/catalogue/Product"
import { isUuid } from "./isUuid.ts"

// Rows are the models' own encoded form (the client turns snake_case into camelCase): decoded
// by the domain's schemas, which check what the columns' CHECK constraints already guarantee.
type ProductRow = typeof Product.Encoded
type GasProductRow = typeof GasProduct.Encoded
const unavailable = (cause: unknown) => new CatalogueStoreUnavailable({ cause })

// A row the model refuses is a store that cannot be read as it stands.
const decodeProducts = (rows: ReadonlyArray<ProductRow>) => Schema.decodeUnknownEffect(Schema.Array(Product))(rows).pipe(Effect.mapError(unavailable))
const decodeGasProducts = (rows: ReadonlyArray<GasProductRow>) => Schema.decodeUnknownEffect(Schema.Array(GasProduct))(rows).pipe(Effect.mapError(unavailable))

// Postgres's name for UNIQUE (provider_id, brand, bottle_size_kg) of migration 0005.
const gasProductUniqueConstraint = "gas_products_provider_id_brand_bottle_size_kg_key"


const categoryColumns = "id, provider_id, name, position"
const productColumns = "id, provider_id, category_id, name, description, price_xof, available, stock, option_groups, photo_key, position"
// numeric(3, 1) arrives as a decimal string: the sizes (6, 12.5, ...) are exact in float8.
const gasProductColumns =
  "id, provider_id, brand, bottle_size_kg::float8 AS bottle_size_kg, refill_price_xof, new_bottle_price_xof, full_bottles_in_stock, available"

export const MenuRepositoryPostgres = Layer.effect(MenuRepository, Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const categoryCols = sql.literal(categoryColumns)
  const productCols = sql.literal(productColumns)
  const gasCols = sql.literal(gasProductColumns)
  const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`

  // Writes that append (positions) or must see the provider's set of categories queue behind this
  // lock. NO KEY UPDATE does not block the foreign-key checks of inserts (KEY SHARE). Taken first in
  // every transaction that takes it, before any category or product row, so locks never cycle.
  const lockProvider = (providerId: string) => sql`SELECT 1 FROM catalogue.providers WHERE id = ${providerId} FOR NO KEY UPDATE`
  const categoryExists = (providerId: string, categoryId: string) =>
    !isUuid(categoryId)
      ? Effect.succeed(false)
      : sql`SELECT 1 FROM catalogue.categories WHERE provider_id = ${providerId} AND id = ${categoryId} FOR KEY SHARE`.pipe(
        Effect.map((rows) => rows.length > 0)
      )
  const nextProductPosition = (providerId: string, categoryId: string | null) =>
    sql`(SELECT COALESCE(max(position) + 1, 0) FROM catalogue.products
         WHERE provider_id = ${providerId} AND category_id IS NOT DISTINCT FROM ${categoryId}::uuid)`

  const firstProduct = (rows: ReadonlyArray<ProductRow>) => Effect.map(decodeProducts(rows.slice(0, 1)), (products) => Option.fromNullishOr(products[0]))
  const firstGasProduct = (rows: ReadonlyArray<GasProductRow>) => Effect.map(decodeGasProducts(rows.slice(0, 1)), (products) => Option.fromNullishOr(products[0]))

  const duplicateOrUnavailable = <A, R>(effect: Effect.Effect<A, SqlError.SqlError, R>) =>
    effect.pipe(Effect.catchReason(
      "SqlError",
      "UniqueViolation",
      (violation, error) => Effect.fail(violation.constraint === gasProductUniqueConstraint ? new GasProductDuplicate() : unavailable(error)),
      (_reason, error) => Effect.fail(unavailable(error))
    ))

  /**
   * A stock change in one statement. Adjust locks the row (waiting for a concurrent change to
   * commit, then reading its result), and the update adds to that locked value: concurrent
   * adjustments queue and none is lost. The locked value also says why nothing changed.
   */
  /** The stock read under the row's lock, the domain's decision on it, the write when it changed. */
  const changeStock = (table: "products" | "gas_products", column: "stock" | "full_bottles_in_stock") =>
  (providerId: string, id: string, decide: (stock: number | null) => StockOutcome, now: Date): Effect.Effect<Option.Option<StockOutcome>, CatalogueStoreUnavailable> => {
    if (!isUuid(providerId) || !isUuid(id)) return Effect.succeed(Option.none())
    const target = sql.literal(`catalogue.${table}`)
    const stock = sql.literal(column)
    return sql.withTransaction(Effect.gen(function*() {
      const [locked] = yield* sql<{ stock: number | null }>`
        SELECT ${stock} AS stock FROM ${target} WHERE provider_id = ${providerId} AND id = ${id} FOR NO KEY UPDATE`
      if (locked === undefined) return Option.none<StockOutcome>()
      const outcome = decide(locked.stock)
      if (outcome._tag === "Changed") {
        yield* sql`UPDATE ${target} SET ${stock} = ${outcome.stock}::integer, updated_at = ${now} WHERE provider_id = ${providerId} AND id = ${id}`
      }
      return Option.some(outcome)
    })).pipe(Effect.mapError(unavailable))
  }

  return MenuRepository.of({
    menu: (providerId) =>
      !isUuid(providerId) ? Effect.succeed({ categories: [], products: [], gasProducts: [] }) : Effect.gen(function*() {
        const categories = yield* sql<Category>`
          SELECT ${categoryCols} FROM catalogue.categories WHERE provider_id = ${providerId} ORDER BY position, id`
        const products = yield* sql<ProductRow>`
          SELECT ${sql.literal(productColumns.split(", ").map((column) => `p.${column}`).join(", "))}
          FROM catalogue.products p LEFT JOIN catalogue.categories c ON c.id = p.category_id
          WHERE p.provider_id = ${providerId}
          ORDER BY c.position NULLS LAST, c.id, p.position, p.id`
        const gasProducts = yield* sql<GasProductRow>`
          SELECT ${gasCols} FROM catalogue.gas_products WHERE provider_id = ${providerId}
          ORDER BY brand COLLATE "C", bottle_size_kg, id`
        return { categories, products: yield* decodeProducts(products), gasProducts: yield* decodeGasProducts(gasProducts) }
      }).pipe(Effect.mapError(unavailable)),

    createCategory: (input) =>
      sql.withTransaction(Effect.gen(function*() {
        yield* lockProvider(input.providerId)
        const rows = yield* sql<Category>`
          INSERT INTO catalogue.categories (id, provider_id, name, position, created_at, updated_at)
          SELECT ${input.id}::uuid, ${input.providerId}::uuid, ${input.name}, COALESCE(max(position) + 1, 0), ${input.now}, ${input.now}
          FROM catalogue.categories WHERE provider_id = ${input.providerId}
          RETURNING ${categoryCols}`
        return rows[0]!
      })).pipe(Effect.mapError(unavailable)),

    renameCategory: (providerId, id, name, now) =>
      !isUuid(providerId) || !isUuid(id) ? Effect.succeed(Option.none()) : sql<Category>`
        UPDATE catalogue.categories SET name = ${name}, updated_at = ${now}
        WHERE provider_id = ${providerId} AND id = ${id}
        RETURNING ${categoryCols}`.pipe(Effect.map((rows) => Option.fromNullishOr(rows[0])), Effect.mapError(unavailable)),

    // The foreign key would only clear category_id: this keeps the products' order too, after the
    // provider's uncategorized ones, and records the change on them.
    deleteCategory: (providerId, id) =>
      !isUuid(providerId) || !isUuid(id) ? Effect.succeed(false) : sql.withTransaction(Effect.gen(function*() {
        yield* lockProvider(providerId)
        yield* sql`
          UPDATE catalogue.products SET category_id = NULL, position = ${nextProductPosition(providerId, null)} + position, updated_at = now()
          WHERE provider_id = ${providerId} AND category_id = ${id}`
        const deleted = yield* sql`DELETE FROM catalogue.categories WHERE provider_id = ${providerId} AND id = ${id} RETURNING id`
        return deleted.length > 0
      })).pipe(Effect.mapError(unavailable)),

    reorderCategories: (providerId, decide) =>
      !isUuid(providerId) ? Effect.succeed(false) : sql.withTransaction(Effect.gen(function*() {
        yield* lockProvider(providerId)
        const current = yield* sql<{ id: string }>`SELECT id FROM catalogue.categories WHERE provider_id = ${providerId}`
        const orderedIds = decide(current.map((row) => row.id))
        // Ids that are not UUIDs cannot be the provider's: the domain's rule refuses them first.
        if (orderedIds === undefined || !orderedIds.every(isUuid)) return false
        if (orderedIds.length > 0) {
          yield* sql`
            UPDATE catalogue.categories c SET position = ordered.n - 1, updated_at = now()
            FROM unnest(${orderedIds}::uuid[]) WITH ORDINALITY AS ordered (id, n)
            WHERE c.provider_id = ${providerId} AND c.id = ordered.id`
        }
        return true
      })).pipe(Effect.mapError(unavailable)),

    findProduct: (providerId, id) =>
      !isUuid(providerId) || !isUuid(id) ? Effect.succeed(Option.none()) : sql<ProductRow>`
        SELECT ${productCols} FROM catalogue.products WHERE provider_id = ${providerId} AND id = ${id}`.pipe(
        Effect.flatMap(firstProduct),
        Effect.mapError(unavailable)
      ),

    createProduct: (input) =>
      sql.withTransaction(Effect.gen(function*() {
        yield* lockProvider(input.providerId)
        if (input.categoryId !== null && !(yield* categoryExists(input.providerId, input.categoryId))) return Option.none<Product>()
        const rows = yield* sql<ProductRow>`
          INSERT INTO catalogue.products (id, provider_id, category_id, name, description, price_xof, available, stock,
                                          option_groups, photo_key, position, created_at, updated_at)
          VALUES (${input.id}, ${input.providerId}, ${input.categoryId}::uuid, ${input.name}, ${input.description}, ${input.priceXof},
                  ${input.available}, ${input.stock}::integer, ${json(input.optionGroups)}, NULL,
                  ${nextProductPosition(input.providerId, input.categoryId)}, ${input.now}, ${input.now})
          RETURNING ${productCols}`
        return yield* firstProduct(rows)
      })).pipe(Effect.mapError(unavailable)),

    updateProduct: (providerId, id, patch) =>
      !isUuid(providerId) || !isUuid(id) ? Effect.succeed(Option.none()) : sql.withTransaction(Effect.gen(function*() {
        yield* lockProvider(providerId)
        const existing = yield* firstProduct(yield* sql<ProductRow>`
          SELECT ${productCols} FROM catalogue.products WHERE provider_id = ${providerId} AND id = ${id} FOR NO KEY UPDATE`)
        if (Option.isNone(existing)) return Option.none<Product>()
        const categoryId = patch.categoryId === undefined ? existing.value.categoryId : patch.categoryId
        const moved = categoryId !== existing.value.categoryId
        if (moved && categoryId !== null && !(yield* categoryExists(providerId, categoryId))) return Option.none<Product>()
        // Moved without a position: appended after the last product of its new category.
        const position: Statement.Fragment = patch.position !== undefined
          ? sql`${patch.position}::integer`
          : moved
          ? nextProductPosition(providerId, categoryId)
          : sql`position`
        const assignments: Array<Statement.Fragment> = [sql`category_id = ${categoryId}::uuid`, sql`position = ${position}`, sql`updated_at = ${patch.now}`]
        if (patch.name !== undefined) assignments.push(sql`name = ${patch.name}`)
        if (patch.description !== undefined) assignments.push(sql`description = ${patch.description}`)
        if (patch.priceXof !== undefined) assignments.push(sql`price_xof = ${patch.priceXof}`)
        if (patch.available !== undefined) assignments.push(sql`available = ${patch.available}`)
        if (patch.stock !== undefined) assignments.push(sql`stock = ${patch.stock}::integer`)
        if (patch.optionGroups !== undefined) assignments.push(sql`option_groups = ${json(patch.optionGroups)}`)
        return yield* firstProduct(yield* sql<ProductRow>`
          UPDATE catalogue.products SET ${sql.csv(assignments)}
          WHERE provider_id = ${providerId} AND id = ${id}
          RETURNING ${productCols}`)
      })).pipe(Effect.mapError(unavailable)),

    deleteProduct: (providerId, id) =>
      !isUuid(providerId) || !isUuid(id) ? Effect.succeed(Option.none()) : sql<ProductRow>`
        DELETE FROM catalogue.products WHERE provider_id = ${providerId} AND id = ${id}
        RETURNING ${productCols}`.pipe(Effect.flatMap(firstProduct), Effect.mapError(unavailable)),

    changeProductStock: changeStock("products", "stock"),

    setProductPhoto: (providerId, id, photoKey, now) =>
      !isUuid(providerId) || !isUuid(id) ? Effect.succeed(Option.none()) : sql<{ previous: string | null }>`
        WITH locked AS (
          SELECT id, photo_key FROM catalogue.products WHERE provider_id = ${providerId} AND id = ${id} FOR NO KEY UPDATE
        )
        UPDATE catalogue.products p SET photo_key = ${photoKey}, updated_at = ${now}
        FROM locked WHERE p.id = locked.id
        RETURNING locked.photo_key AS previous`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), (row) => row.previous)),
        Effect.mapError(unavailable)
      ),

    createGasProduct: (input) =>
      duplicateOrUnavailable(sql<GasProductRow>`
        INSERT INTO catalogue.gas_products (id, provider_id, brand, bottle_size_kg, refill_price_xof, new_bottle_price_xof,
                                            full_bottles_in_stock, available, created_at, updated_at)
        VALUES (${input.id}, ${input.providerId}, ${input.brand}, ${input.bottleSizeKg}::float8, ${input.refillPriceXof},
                ${input.newBottlePriceXof}, ${input.fullBottlesInStock}::integer, ${input.available}, ${input.now}, ${input.now})
        RETURNING ${gasCols}`).pipe(Effect.flatMap(firstGasProduct), Effect.flatMap(Option.match({
          onNone: () => Effect.die(new Error("the inserted gas product came back empty")),
          onSome: Effect.succeed
        }))),

    updateGasProduct: (providerId, id, patch) => {
      if (!isUuid(providerId) || !isUuid(id)) return Effect.succeed(Option.none())
      const assignments: Array<Statement.Fragment> = [sql`updated_at = ${patch.now}`]
      if (patch.brand !== undefined) assignments.push(sql`brand = ${patch.brand}`)
      if (patch.bottleSizeKg !== undefined) assignments.push(sql`bottle_size_kg = ${patch.bottleSizeKg}::float8`)
      if (patch.refillPriceXof !== undefined) assignments.push(sql`refill_price_xof = ${patch.refillPriceXof}`)
      if (patch.newBottlePriceXof !== undefined) assignments.push(sql`new_bottle_price_xof = ${patch.newBottlePriceXof}`)
      if (patch.fullBottlesInStock !== undefined) assignments.push(sql`full_bottles_in_stock = ${patch.fullBottlesInStock}::integer`)
      if (patch.available !== undefined) assignments.push(sql`available = ${patch.available}`)
      return duplicateOrUnavailable(sql<GasProductRow>`
        UPDATE catalogue.gas_products SET ${sql.csv(assignments)}
        WHERE provider_id = ${providerId} AND id = ${id}
        RETURNING ${gasCols}`).pipe(Effect.flatMap(firstGasProduct))
    },

    deleteGasProduct: (providerId, id) =>
      !isUuid(providerId) || !isUuid(id) ? Effect.succeed(false) : sql`
        DELETE FROM catalogue.gas_products WHERE provider_id = ${providerId} AND id = ${id} RETURNING id`.pipe(
        Effect.map((rows) => rows.length > 0),
        Effect.mapError(unavailable)
      ),

    changeGasStock: changeStock("gas_products", "full_bottles_in_stock")
  })
}))
