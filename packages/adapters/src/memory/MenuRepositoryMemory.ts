import { Effect, Layer, Option } from "effect"
import type { Category } from "@nelo/domain/catalogue/Category"
import { CatalogueStoreUnavailable, GasProductDuplicate } from "@nelo/domain/catalogue/errors"
import { MenuRepository, type StockOutcome } from "@nelo/domain/catalogue/MenuRepository"
import type { GasProduct, Product } from "@nelo/domain/catalogue/Product"
import { recordUndo } from "./memoryTransaction.ts"

const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0)

// The database refuses a negative stock (CHECK); so does this store, as a store failure.
const checkStock = (stock: number | null) =>
  stock !== null && stock < 0 ? Effect.fail(new CatalogueStoreUnavailable({ cause: new Error(`negative stock ${stock}`) })) : Effect.void

/**
 * In-memory menus for unit tests. It stores what it is given, keyed by provider id, and does not
 * check that the provider exists (the Postgres adapter's foreign keys do).
 */
export const MenuRepositoryMemory = Layer.sync(MenuRepository, () => {
  const categories = new Map<string, Category>()
  const products = new Map<string, Product>()
  const gasProducts = new Map<string, GasProduct>()

  const categoriesOf = (providerId: string) =>
    [...categories.values()].filter((category) => category.providerId === providerId).sort((a, b) => a.position - b.position || compare(a.id, b.id))
  const productsOf = (providerId: string) => [...products.values()].filter((product) => product.providerId === providerId)
  const categoryOf = (providerId: string, id: string) => {
    const category = categories.get(id)
    return category?.providerId === providerId ? category : undefined
  }
  const productOf = (providerId: string, id: string) => {
    const product = products.get(id)
    return product?.providerId === providerId ? product : undefined
  }
  const gasProductOf = (providerId: string, id: string) => {
    const gasProduct = gasProducts.get(id)
    return gasProduct?.providerId === providerId ? gasProduct : undefined
  }
  const nextProductPosition = (providerId: string, categoryId: string | null) =>
    Math.max(-1, ...productsOf(providerId).filter((product) => product.categoryId === categoryId).map((product) => product.position)) + 1
  const duplicateGas = (candidate: GasProduct) =>
    [...gasProducts.values()].some((other) =>
      other.id !== candidate.id && other.providerId === candidate.providerId && other.brand === candidate.brand && other.bottleSizeKg === candidate.bottleSizeKg
    )

  return MenuRepository.of({
    menu: (providerId) =>
      Effect.sync(() => {
        const ordered = categoriesOf(providerId)
        const rank = new Map(ordered.map((category) => [category.id, category]))
        // Categories by position (then id), uncategorized products last; then position, then id.
        const productKey = (product: Product) => {
          const category = product.categoryId === null ? undefined : rank.get(product.categoryId)
          return category === undefined ? [Number.POSITIVE_INFINITY, ""] as const : [category.position, category.id] as const
        }
        return {
          categories: ordered,
          products: productsOf(providerId).sort((a, b) => {
            const [positionA, idA] = productKey(a)
            const [positionB, idB] = productKey(b)
            return compare(positionA, positionB) || compare(idA, idB) || a.position - b.position || compare(a.id, b.id)
          }),
          gasProducts: [...gasProducts.values()]
            .filter((gasProduct) => gasProduct.providerId === providerId)
            .sort((a, b) => compare(a.brand, b.brand) || a.bottleSizeKg - b.bottleSizeKg || compare(a.id, b.id))
        }
      }),

    createCategory: (input) =>
      Effect.sync(() => {
        const category: Category = {
          id: input.id,
          providerId: input.providerId,
          name: input.name,
          position: Math.max(-1, ...categoriesOf(input.providerId).map((other) => other.position)) + 1
        }
        categories.set(category.id, category)
        return category
      }),

    renameCategory: (providerId, id, name) =>
      Effect.sync(() => {
        const existing = categoryOf(providerId, id)
        if (!existing) return Option.none()
        const renamed = { ...existing, name }
        categories.set(id, renamed)
        return Option.some(renamed)
      }),

    deleteCategory: (providerId, id) =>
      Effect.sync(() => {
        if (!categoryOf(providerId, id)) return false
        // Its products follow the uncategorized ones, in their order.
        const base = nextProductPosition(providerId, null)
        for (const product of productsOf(providerId)) {
          if (product.categoryId === id) products.set(product.id, { ...product, categoryId: null, position: base + product.position })
        }
        categories.delete(id)
        return true
      }),

    reorderCategories: (providerId, decide) =>
      Effect.sync(() => {
        const ordered = decide(categoriesOf(providerId).map((category) => category.id))
        if (ordered === undefined) return false
        ordered.forEach((id, position) => categories.set(id, { ...categories.get(id)!, position }))
        return true
      }),

    findProduct: (providerId, id) => Effect.sync(() => Option.fromNullishOr(productOf(providerId, id))),

    createProduct: (input) =>
      Effect.gen(function*() {
        if (input.categoryId !== null && !categoryOf(input.providerId, input.categoryId)) return Option.none<Product>()
        yield* checkStock(input.stock)
        const product: Product = {
          id: input.id,
          providerId: input.providerId,
          categoryId: input.categoryId,
          name: input.name,
          description: input.description,
          priceXof: input.priceXof as Product["priceXof"],
          available: input.available,
          stock: input.stock,
          optionGroups: input.optionGroups,
          photoKey: null,
          position: nextProductPosition(input.providerId, input.categoryId)
        }
        products.set(product.id, product)
        return Option.some(product)
      }),

    updateProduct: (providerId, id, patch) =>
      Effect.gen(function*() {
        const existing = productOf(providerId, id)
        if (!existing) return Option.none<Product>()
        const categoryId = patch.categoryId === undefined ? existing.categoryId : patch.categoryId
        const moved = categoryId !== existing.categoryId
        if (moved && categoryId !== null && !categoryOf(providerId, categoryId)) return Option.none<Product>()
        if (patch.stock !== undefined) yield* checkStock(patch.stock)
        const updated: Product = {
          ...existing,
          categoryId,
          position: patch.position ?? (moved ? nextProductPosition(providerId, categoryId) : existing.position),
          name: patch.name ?? existing.name,
          description: patch.description ?? existing.description,
          priceXof: (patch.priceXof ?? existing.priceXof) as Product["priceXof"],
          available: patch.available ?? existing.available,
          stock: patch.stock === undefined ? existing.stock : patch.stock,
          optionGroups: patch.optionGroups ?? existing.optionGroups
        }
        products.set(id, updated)
        return Option.some(updated)
      }),

    deleteProduct: (providerId, id) =>
      Effect.sync(() => {
        const existing = productOf(providerId, id)
        if (existing) products.delete(id)
        return Option.fromNullishOr(existing)
      }),

    changeProductStock: (providerId, id, decide) =>
      Effect.gen(function*() {
        const existing = productOf(providerId, id)
        if (!existing) return Option.none<StockOutcome>()
        const outcome = decide(existing.stock)
        if (outcome._tag === "Changed") {
          yield* checkStock(outcome.stock)
          products.set(id, { ...existing, stock: outcome.stock })
          // A failed transaction (an order refused further on) puts the stock back.
          yield* recordUndo(() => {
            const current = products.get(id)
            if (current !== undefined) products.set(id, { ...current, stock: existing.stock })
          })
        }
        return Option.some(outcome)
      }),

    setProductPhoto: (providerId, id, photoKey) =>
      Effect.sync(() => {
        const existing = productOf(providerId, id)
        if (!existing) return Option.none()
        products.set(id, { ...existing, photoKey })
        return Option.some(existing.photoKey)
      }),

    createGasProduct: (input) =>
      Effect.gen(function*() {
        yield* checkStock(input.fullBottlesInStock)
        const gasProduct: GasProduct = {
          id: input.id,
          providerId: input.providerId,
          brand: input.brand,
          bottleSizeKg: input.bottleSizeKg,
          refillPriceXof: input.refillPriceXof as GasProduct["refillPriceXof"],
          newBottlePriceXof: input.newBottlePriceXof as GasProduct["newBottlePriceXof"],
          fullBottlesInStock: input.fullBottlesInStock,
          available: input.available
        }
        if (duplicateGas(gasProduct)) return yield* new GasProductDuplicate()
        gasProducts.set(gasProduct.id, gasProduct)
        return gasProduct
      }),

    updateGasProduct: (providerId, id, patch) =>
      Effect.gen(function*() {
        const existing = gasProductOf(providerId, id)
        if (!existing) return Option.none<GasProduct>()
        if (patch.fullBottlesInStock !== undefined) yield* checkStock(patch.fullBottlesInStock)
        const updated: GasProduct = {
          ...existing,
          brand: patch.brand ?? existing.brand,
          bottleSizeKg: patch.bottleSizeKg ?? existing.bottleSizeKg,
          refillPriceXof: (patch.refillPriceXof ?? existing.refillPriceXof) as GasProduct["refillPriceXof"],
          newBottlePriceXof: (patch.newBottlePriceXof ?? existing.newBottlePriceXof) as GasProduct["newBottlePriceXof"],
          fullBottlesInStock: patch.fullBottlesInStock === undefined ? existing.fullBottlesInStock : patch.fullBottlesInStock,
          available: patch.available ?? existing.available
        }
        if (duplicateGas(updated)) return yield* new GasProductDuplicate()
        gasProducts.set(id, updated)
        return Option.some(updated)
      }),

    deleteGasProduct: (providerId, id) =>
      Effect.sync(() => {
        if (!gasProductOf(providerId, id)) return false
        gasProducts.delete(id)
        return true
      }),

    changeGasStock: (providerId, id, decide) =>
      Effect.gen(function*() {
        const existing = gasProductOf(providerId, id)
        if (!existing) return Option.none<StockOutcome>()
        const outcome = decide(existing.fullBottlesInStock)
        if (outcome._tag === "Changed") {
          yield* checkStock(outcome.stock)
          gasProducts.set(id, { ...existing, fullBottlesInStock: outcome.stock })
          yield* recordUndo(() => {
            const current = gasProducts.get(id)
            if (current !== undefined) gasProducts.set(id, { ...current, fullBottlesInStock: existing.fullBottlesInStock })
          })
        }
        return Option.some(outcome)
      })
  })
})
