import { Effect, Option } from "effect"
import { currentDate } from "../shared/currentDate.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { CatalogueCache } from "./CatalogueCache.ts"
import { CategoryNotFound, CategoryOrderMismatch } from "./errors.ts"
import { MenuRepository } from "./MenuRepository.ts"
import { type CatalogueActor, makeManagedProvider } from "./providerAccess.ts"
import { categoryOrder } from "./categoryOrder.ts"

/** A provider's menu sections: added, renamed, removed and put in order by whoever manages it. */
export const makeCategories = Effect.gen(function*() {
  const menus = yield* MenuRepository
  const ids = yield* IdGenerator
  const cache = yield* CatalogueCache
  const managedProvider = yield* makeManagedProvider

  const addCategory = Effect.fn("Catalogue.addCategory")(function*(actor: CatalogueActor, providerId: string, name: string) {
    yield* managedProvider(actor, providerId)
    const id = yield* ids.uuid
    const category = yield* menus.createCategory({ id, providerId, name, now: yield* currentDate })
    yield* cache.invalidateMenu(providerId)
    return category
  })

  const renameCategory = Effect.fn("Catalogue.renameCategory")(function*(actor: CatalogueActor, providerId: string, categoryId: string, name: string) {
    yield* managedProvider(actor, providerId)
    const renamed = yield* menus.renameCategory(providerId, categoryId, name, yield* currentDate)
    if (Option.isNone(renamed)) return yield* new CategoryNotFound()
    yield* cache.invalidateMenu(providerId)
    return renamed.value
  })

  /** Its products stay on the menu, without a category. */
  const removeCategory = Effect.fn("Catalogue.removeCategory")(function*(actor: CatalogueActor, providerId: string, categoryId: string) {
    yield* managedProvider(actor, providerId)
    if (!(yield* menus.deleteCategory(providerId, categoryId))) return yield* new CategoryNotFound()
    yield* cache.invalidateMenu(providerId)
  })

  /** The new order names every category of the provider exactly once. */
  const reorderCategories = Effect.fn("Catalogue.reorderCategories")(function*(actor: CatalogueActor, providerId: string, orderedIds: ReadonlyArray<string>) {
    yield* managedProvider(actor, providerId)
    if (!(yield* menus.reorderCategories(providerId, categoryOrder(orderedIds)))) {
      const categories = (yield* menus.menu(providerId)).categories
      return yield* new CategoryOrderMismatch({ expectedIds: categories.map((category) => category.id) })
    }
    yield* cache.invalidateMenu(providerId)
    return (yield* menus.menu(providerId)).categories
  })

  return { addCategory, renameCategory, removeCategory, reorderCategories }
})
