import type { Category } from "./Category.ts"
import type { GasProduct, Product } from "./Product.ts"
import type { Provider } from "./Provider.ts"

/**
 * What a customer reads before ordering: the provider, its categories in order with their products,
 * the products outside any category, and for a gas depot its bottles by brand and size. Made only
 * of JSON values, so that it is cached as it is.
 */
export interface Menu {
  readonly provider: Provider
  readonly categories: ReadonlyArray<{ readonly category: Category; readonly products: ReadonlyArray<Product> }>
  readonly uncategorized: ReadonlyArray<Product>
  readonly gasProducts: ReadonlyArray<GasProduct>
}
