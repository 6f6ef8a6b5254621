import { Effect, Layer, Option, Semaphore } from "effect"
import { isXof } from "@nelo/domain/shared/Xof"
import { type CatalogueImportEntry, CatalogueImport } from "@nelo/domain/catalogue/CatalogueImport"
import { CatalogueStoreUnavailable } from "@nelo/domain/catalogue/errors"
import { MenuRepository } from "@nelo/domain/catalogue/MenuRepository"
import { ProviderRepository } from "@nelo/domain/catalogue/ProviderRepository"
import type { UserId } from "@nelo/domain/users/User"
import { UserRepository } from "@nelo/domain/users/UserRepository"

const refused = (reason: string) => new CatalogueStoreUnavailable({ cause: new Error(reason) })

/** What the catalogue tables' keys and constraints refuse, checked before anything is written. */
const problemOf = (entry: CatalogueImportEntry): string | undefined => {
  const providerId = entry.provider.id
  const categoryIds = new Set(entry.categories.map((category) => category.id))
  if (entry.categories.some((category) => category.providerId !== providerId)) return `a category of ${providerId} names another provider`
  for (const product of entry.products) {
    if (product.providerId !== providerId) return `product ${product.id} names another provider`
    if (product.categoryId !== null && !categoryIds.has(product.categoryId)) return `product ${product.id} is in a category of another provider`
    if (!isXof(product.priceXof) || product.priceXof < 0) return `product ${product.id} has a negative or fractional price`
    if (product.stock !== null && product.stock < 0) return `product ${product.id} has a negative stock`
  }
  const lines = new Set<string>()
  for (const gas of entry.gasProducts) {
    if (gas.providerId !== providerId) return `gas product ${gas.id} names another provider`
    const line = `${gas.brand}/${gas.bottleSizeKg}`
    if (lines.has(line)) return `two gas lines ${line} at ${providerId}`
    lines.add(line)
    if (gas.refillPriceXof < 0 || gas.newBottlePriceXof < 0) return `gas product ${gas.id} has a negative price`
    if (gas.fullBottlesInStock !== null && gas.fullBottlesInStock < 0) return `gas product ${gas.id} has a negative stock`
  }
  return undefined
}

/**
 * Bulk imports for unit tests, written through the in-memory ProviderRepository and MenuRepository
 * it is given (so what it imports is read back through them, zones resolved by their
 * ZoneRepository). Like the one Postgres transaction, a batch is checked whole first (owners with
 * accounts, categories of the same provider, one gas line per brand and size): a refused batch
 * writes nothing. Batches run one at a time.
 */
export const CatalogueImportMemory = Layer.effect(CatalogueImport, Effect.gen(function*() {
  const providers = yield* ProviderRepository
  const menus = yield* MenuRepository
  const users = yield* UserRepository
  const oneAtATime = yield* Semaphore.make(1)

  const write = (entry: CatalogueImportEntry, now: Date) =>
    Effect.gen(function*() {
      const { provider } = entry
      yield* providers.create({
        id: provider.id,
        ownerId: provider.ownerId,
        type: provider.type,
        name: provider.name,
        description: provider.description,
        location: provider.location,
        landmark: provider.landmark,
        schedule: provider.schedule,
        now
      })
      const categories = [...entry.categories].sort((a, b) => a.position - b.position)
      const rank = new Map(categories.map((category, index) => [category.id, index]))
      for (const category of categories) yield* menus.createCategory({ id: category.id, providerId: provider.id, name: category.name, now })
      const products = [...entry.products].sort((a, b) =>
        (rank.get(a.categoryId ?? "") ?? Number.MAX_SAFE_INTEGER) - (rank.get(b.categoryId ?? "") ?? Number.MAX_SAFE_INTEGER) || a.position - b.position
      )
      for (const product of products) {
        const created = yield* menus.createProduct({
          id: product.id,
          providerId: provider.id,
          categoryId: product.categoryId,
          name: product.name,
          description: product.description,
          priceXof: product.priceXof,
          available: product.available,
          stock: product.stock,
          optionGroups: product.optionGroups,
          now
        })
        if (Option.isNone(created)) return yield* refused(`product ${product.id}: category not found`)
        // The repository appends; the entry's own position wins when it differs.
        if (created.value.position !== product.position) yield* menus.updateProduct(provider.id, product.id, { position: product.position, now })
        if (product.photoKey !== null) yield* menus.setProductPhoto(provider.id, product.id, product.photoKey, now)
      }
      for (const gas of entry.gasProducts) {
        yield* menus.createGasProduct({ ...gas, now }).pipe(
          Effect.catchTag("GasProductDuplicate", () => Effect.fail(refused(`duplicate gas line at ${provider.id}`)))
        )
      }
    })

  return CatalogueImport.of({
    importBatch: (entries, now) =>
      oneAtATime.withPermit(Effect.gen(function*() {
        const ids = entries.map((entry) => entry.provider.id)
        if (new Set(ids).size !== ids.length) return yield* refused("the same provider twice in one batch")
        const fresh: Array<CatalogueImportEntry> = []
        for (const entry of entries) {
          if (Option.isSome(yield* providers.findById(entry.provider.id))) continue
          const problem = problemOf(entry)
          if (problem !== undefined) return yield* refused(problem)
          const owner = yield* users.findById(entry.provider.ownerId as UserId).pipe(Effect.mapError((error) => refused(String(error))))
          if (Option.isNone(owner)) return yield* refused(`owner ${entry.provider.ownerId} has no account`)
          fresh.push(entry)
        }
        for (const entry of fresh) yield* write(entry, now)
        return {
          providersCreated: fresh.length,
          providersSkipped: entries.length - fresh.length,
          categoriesCreated: fresh.reduce((sum, entry) => sum + entry.categories.length, 0),
          productsCreated: fresh.reduce((sum, entry) => sum + entry.products.length, 0),
          gasProductsCreated: fresh.reduce((sum, entry) => sum + entry.gasProducts.length, 0)
        }
      })),

    counts: Effect.gen(function*() {
      const all = yield* providers.list({ after: null, limit: Number.MAX_SAFE_INTEGER })
      const counts = { providers: all.length, categories: 0, products: 0, gasProducts: 0 }
      for (const provider of all) {
        const menu = yield* menus.menu(provider.id)
        counts.categories += menu.categories.length
        counts.products += menu.products.length
        counts.gasProducts += menu.gasProducts.length
      }
      return counts
    })
  })
}))
