import { Clock, Effect, Option } from "effect"
import { CatalogueCache } from "./CatalogueCache.ts"
import { ProviderNotFound } from "./errors.ts"
import type { Menu } from "./Menu.ts"
import { MenuRepository } from "./MenuRepository.ts"
import { providerAt } from "./openingState.ts"
import { ProviderRepository } from "./ProviderRepository.ts"

const gasOrder = (a: Menu["gasProducts"][number], b: Menu["gasProducts"][number]) =>
  a.brand < b.brand ? -1 : a.brand > b.brand ? 1 : a.bottleSizeKg - b.bottleSizeKg

/**
 * Menus as customers read them, with the ports taken once: a menu comes from the cache when it
 * holds the current version (5 minutes at most, and every write invalidates it before returning),
 * else from the database. Whether the provider is open is computed at each read, never cached.
 */
export const makeMenuReader = Effect.gen(function*() {
  const cache = yield* CatalogueCache
  const providers = yield* ProviderRepository
  const menus = yield* MenuRepository

  const loadMenu = (providerId: string) =>
    Effect.gen(function*() {
      const provider = yield* providers.findById(providerId)
      if (Option.isNone(provider)) return yield* new ProviderNotFound()
      const stored = yield* menus.menu(providerId)
      const byCategory = new Map(stored.categories.map((category) => [category.id, [] as Array<Menu["uncategorized"][number]>]))
      const uncategorized: Array<Menu["uncategorized"][number]> = []
      for (const product of stored.products) (byCategory.get(product.categoryId ?? "") ?? uncategorized).push(product)
      return {
        provider: provider.value,
        categories: [...stored.categories].sort((a, b) => a.position - b.position).map((category) => ({ category, products: byCategory.get(category.id)! })),
        uncategorized,
        gasProducts: [...stored.gasProducts].sort(gasOrder)
      } satisfies Menu
    })

  return (providerId: string) =>
    Effect.gen(function*() {
      const cached = yield* cache.readMenu(providerId)
      let menu: Menu
      if (cached.json !== null) {
        menu = JSON.parse(cached.json) as Menu
      } else {
        menu = yield* loadMenu(providerId)
        if (cached.version !== null) yield* cache.storeMenu(providerId, cached.version, JSON.stringify(menu))
      }
      return { menu, ...providerAt(menu.provider, yield* Clock.currentTimeMillis) }
    })
})
