import { Effect, Option } from "effect"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { CatalogueCache } from "./CatalogueCache.ts"
import { CategoryNotFound, CategoryOrderMismatch } from "./errors.ts"
import { MenuRepository } from "./MenuRepository.ts"
import { type CatalogueActor, managedProvider } from "./providerAccess.ts"
import { currentDate } from "../shared/currentDate.ts"

export const addCategory = Effect.fn("addCategory")(function*(actor: CatalogueActor, providerId: string, name: string) {
  yield* managedProvider(actor, providerId)
  const id = yield* (yield* IdGenerator).uuid
  const category = yield* (yield* MenuRepository).createCategory({ id, providerId, name, now: yield* currentDate })
  yield* (yield* CatalogueCache).invalidateMenu(providerId)
  return category
})

export const renameCategory = Effect.fn("renameCategory")(function*(actor: CatalogueActor, providerId: string, categoryId: string, name: string) {
  yield* managedProvider(actor, providerId)
  const renamed = yield* (yield* MenuRepository).renameCategory(providerId, categoryId, name, yield* currentDate)
  if (Option.isNone(renamed)) return yield* new CategoryNotFound()
  yield* (yield* CatalogueCache).invalidateMenu(providerId)
  return renamed.value
})

/** Its products stay on the menu, without a category. */
export const removeCategory = Effect.fn("removeCategory")(function*(actor: CatalogueActor, providerId: string, categoryId: string) {
  yield* managedProvider(actor, providerId)
  if (!(yield* (yield* MenuRepository).deleteCategory(providerId, categoryId))) return yield* new CategoryNotFound()
  yield* (yield* CatalogueCache).invalidateMenu(providerId)
})

/** The new order names every category of the provider exactly once. */
export const reorderCategories = Effect.fn("reorderCategories")(function*(actor: CatalogueActor, providerId: string, orderedIds: ReadonlyArray<string>) {
  yield* managedProvider(actor, providerId)
  const menus = yield* MenuRepository
  if (!(yield* menus.reorderCategories(providerId, orderedIds))) {
    const categories = (yield* menus.menu(providerId)).categories
    return yield* new CategoryOrderMismatch({ expectedIds: categories.map((category) => category.id) })
  }
  yield* (yield* CatalogueCache).invalidateMenu(providerId)
  return (yield* menus.menu(providerId)).categories
})
