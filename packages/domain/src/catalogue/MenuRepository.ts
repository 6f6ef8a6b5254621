import { Context, type Effect, type Option } from "effect"
import type { Category } from "./Category.ts"
import type { CatalogueStoreUnavailable, GasProductDuplicate } from "./errors.ts"
import type { GasProduct, OptionGroup, Product } from "./Product.ts"
import type { Xof } from "../shared/Xof.ts"

export interface ProductFields {
  readonly categoryId: string | null
  readonly name: string
  readonly description: string
  readonly priceXof: Xof
  readonly available: boolean
  readonly stock: number | null
  readonly optionGroups: ReadonlyArray<OptionGroup>
}

export interface GasProductFields {
  readonly brand: GasProduct["brand"]
  readonly bottleSizeKg: GasProduct["bottleSizeKg"]
  readonly refillPriceXof: Xof
  readonly newBottlePriceXof: Xof
  readonly fullBottlesInStock: number | null
  readonly available: boolean
}

/** A stock change: set it (null = stop counting), or add a signed number of units atomically; a stock stays within 0..maximumStock. */
export type StockChange =
  | { readonly _tag: "Set"; readonly stock: number | null }
  | { readonly _tag: "Adjust"; readonly by: number }

/** What a stock change did: the new stock, or why nothing changed. */
export type StockOutcome =
  | { readonly _tag: "Changed"; readonly stock: number | null }
  | { readonly _tag: "BelowZero"; readonly stock: number }
  | { readonly _tag: "AboveMaximum"; readonly stock: number }
  | { readonly _tag: "NotCounted" }

/** A provider's menu as stored: categories in order, products in (category, position) order. */
export interface StoredMenu {
  readonly categories: ReadonlyArray<Category>
  readonly products: ReadonlyArray<Product>
  readonly gasProducts: ReadonlyArray<GasProduct>
}

/**
 * The content of providers' catalogues. Every operation names the provider: a category or product
 * of another provider is simply not found (None / false), as are malformed ids. Stock adjustments
 * are atomic (concurrent adjustments never lose one, and never go below zero).
 */
export class MenuRepository extends Context.Service<MenuRepository, {
  readonly menu: (providerId: string) => Effect.Effect<StoredMenu, CatalogueStoreUnavailable>

  /** Appends the category after the provider's last one. */
  readonly createCategory: (input: { readonly id: string; readonly providerId: string; readonly name: string; readonly now: Date }) => Effect.Effect<Category, CatalogueStoreUnavailable>
  readonly renameCategory: (providerId: string, id: string, name: string, now: Date) => Effect.Effect<Option.Option<Category>, CatalogueStoreUnavailable>
  /** Its products stay on the menu, uncategorized. */
  readonly deleteCategory: (providerId: string, id: string) => Effect.Effect<boolean, CatalogueStoreUnavailable>
  /**
   * Reads the provider's category ids under its lock and gives them to `decide` (the domain's rule,
   * categoryOrder): positions follow the order it returns; undefined changes nothing (false).
   */
  readonly reorderCategories: (
    providerId: string,
    decide: (currentIds: ReadonlyArray<string>) => ReadonlyArray<string> | undefined
  ) => Effect.Effect<boolean, CatalogueStoreUnavailable>

  readonly findProduct: (providerId: string, id: string) => Effect.Effect<Option.Option<Product>, CatalogueStoreUnavailable>
  /** Appends the product after the last one of its category. A categoryId not of this provider: None. */
  readonly createProduct: (input: ProductFields & { readonly id: string; readonly providerId: string; readonly now: Date }) => Effect.Effect<Option.Option<Product>, CatalogueStoreUnavailable>
  /** None when the product, or a new categoryId, is not this provider's. */
  readonly updateProduct: (providerId: string, id: string, patch: Partial<ProductFields> & { readonly position?: number; readonly now: Date }) => Effect.Effect<Option.Option<Product>, CatalogueStoreUnavailable>
  readonly deleteProduct: (providerId: string, id: string) => Effect.Effect<Option.Option<Product>, CatalogueStoreUnavailable>
  /**
   * Reads the stock under the row's lock and gives it to `decide` (the domain's rule,
   * applyStockChange); writes the stock when the outcome is Changed. None when not found.
   */
  readonly changeProductStock: (providerId: string, id: string, decide: (stock: number | null) => StockOutcome, now: Date) => Effect.Effect<Option.Option<StockOutcome>, CatalogueStoreUnavailable>
  /** Sets the photo key; returns the previous key (null without one), None when not found. */
  readonly setProductPhoto: (providerId: string, id: string, photoKey: string | null, now: Date) => Effect.Effect<Option.Option<string | null>, CatalogueStoreUnavailable>

  readonly createGasProduct: (input: GasProductFields & { readonly id: string; readonly providerId: string; readonly now: Date }) => Effect.Effect<GasProduct, CatalogueStoreUnavailable | GasProductDuplicate>
  readonly updateGasProduct: (providerId: string, id: string, patch: Partial<GasProductFields> & { readonly now: Date }) => Effect.Effect<Option.Option<GasProduct>, CatalogueStoreUnavailable | GasProductDuplicate>
  readonly deleteGasProduct: (providerId: string, id: string) => Effect.Effect<boolean, CatalogueStoreUnavailable>
  /** As changeProductStock, for the full bottles of a gas product. */
  readonly changeGasStock: (providerId: string, id: string, decide: (stock: number | null) => StockOutcome, now: Date) => Effect.Effect<Option.Option<StockOutcome>, CatalogueStoreUnavailable>
}>()("nelo/catalogue/MenuRepository") {}
