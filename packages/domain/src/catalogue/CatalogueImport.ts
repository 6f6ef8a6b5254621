import { Context, type Effect } from "effect"
import type { Category } from "./Category.ts"
import type { CatalogueStoreUnavailable } from "./errors.ts"
import type { GasProduct, Product } from "./Product.ts"
import type { Provider } from "./Provider.ts"

/** A provider with its whole catalogue, ids already given; the store resolves its zone. */
export interface CatalogueImportEntry {
  /** A new provider: its rating starts at none (the store writes 0 stars of 0 ratings). */
  readonly provider: Omit<Provider, "zone" | "ratingSum" | "ratingCount">
  readonly categories: ReadonlyArray<Category>
  /** Each in a category of `categories` (or none), positions as given. */
  readonly products: ReadonlyArray<Product>
  /** One line per brand and bottle size. */
  readonly gasProducts: ReadonlyArray<GasProduct>
}

export interface ImportBatchResult {
  /** Providers written, with their catalogues. */
  readonly providersCreated: number
  /** Entries whose provider id the store already had: left exactly as they were, catalogue included. */
  readonly providersSkipped: number
  readonly categoriesCreated: number
  readonly productsCreated: number
  readonly gasProductsCreated: number
}

/** What the whole catalogue holds (every provider, not only imported ones). */
export interface CatalogueCounts {
  readonly providers: number
  readonly categories: number
  readonly products: number
  readonly gasProducts: number
}

/**
 * Bulk writes of whole catalogues (the demo seed, a future import from a spreadsheet). The
 * ProviderRepository and MenuRepository write one row at a time for the API; this writes a batch of
 * providers at once, all of it or nothing (one transaction in Postgres), and what it wrote is read
 * back through those repositories like anything else. Entries are trusted: the caller built them
 * from the domain's models and rules (checkOptionGroup, whole non-negative prices); what the store's
 * constraints still refuse (a product in another provider's category, two lines of one brand and
 * size, an owner without an account) fails the whole batch with CatalogueStoreUnavailable.
 */
export class CatalogueImport extends Context.Service<CatalogueImport, {
  readonly importBatch: (entries: ReadonlyArray<CatalogueImportEntry>, now: Date) => Effect.Effect<ImportBatchResult, CatalogueStoreUnavailable>
  readonly counts: Effect.Effect<CatalogueCounts, CatalogueStoreUnavailable>
}>()("nelo/catalogue/CatalogueImport") {}
