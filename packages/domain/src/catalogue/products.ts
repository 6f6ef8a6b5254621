import { Effect, Option, Result } from "effect"
import { currentDate } from "../shared/currentDate.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { ObjectStorage } from "../storage/ObjectStorage.ts"
import { CatalogueCache } from "./CatalogueCache.ts"
import { CategoryNotFound, ProductNotFound, StockChangeRefused } from "./errors.ts"
import { type ProductFields, type StockChange, type StockOutcome, MenuRepository } from "./MenuRepository.ts"
import type { OptionGroup } from "./Product.ts"
import { checkOptionGroup } from "./productRules.ts"
import { type CatalogueActor, makeManagedProvider } from "./providerAccess.ts"
import { applyStockChange } from "./stockChange.ts"

/** An option group as an owner sends it: ids kept when given (carts refer to them), made when not. */
export interface OptionGroupInput {
  readonly id?: string | undefined
  readonly kind: OptionGroup["kind"]
  readonly name: string
  readonly minChoices: number
  readonly maxChoices: number
  readonly options: ReadonlyArray<{ readonly id?: string | undefined; readonly name: string; readonly priceDeltaXof: number }>
}

export type ProductInput = Omit<ProductFields, "optionGroups"> & { readonly optionGroups: ReadonlyArray<OptionGroupInput> }

/** Maps what the store did with a stock change to the caller's answer. */
export const stockOutcome = <NotFound>(outcome: Option.Option<StockOutcome>, notFound: () => NotFound): Result.Result<number | null, NotFound | StockChangeRefused> => {
  if (Option.isNone(outcome)) return Result.fail(notFound())
  switch (outcome.value._tag) {
    case "Changed":
      return Result.succeed(outcome.value.stock)
    case "BelowZero":
      return Result.fail(new StockChangeRefused({ reason: "below_zero", stock: outcome.value.stock }))
    case "AboveMaximum":
      return Result.fail(new StockChangeRefused({ reason: "above_maximum", stock: outcome.value.stock }))
    case "NotCounted":
      return Result.fail(new StockChangeRefused({ reason: "not_counted", stock: null }))
  }
}

/** A provider's products: added, changed, removed, and their stock set or adjusted. */
export const makeProducts = Effect.gen(function*() {
  const menus = yield* MenuRepository
  const ids = yield* IdGenerator
  const cache = yield* CatalogueCache
  const storage = yield* ObjectStorage
  const managedProvider = yield* makeManagedProvider

  /** Gives ids to new groups and options, then checks each group can be satisfied. */
  const optionGroupsOf = (inputs: ReadonlyArray<OptionGroupInput>) =>
    Effect.gen(function*() {
      const groups: Array<OptionGroup> = []
      for (const input of inputs) {
        const options = []
        for (const option of input.options) options.push({ id: option.id ?? (yield* ids.uuid), name: option.name, priceDeltaXof: option.priceDeltaXof as OptionGroup["options"][number]["priceDeltaXof"] })
        const group: OptionGroup = { id: input.id ?? (yield* ids.uuid), kind: input.kind, name: input.name, minChoices: input.minChoices, maxChoices: input.maxChoices, options }
        groups.push(yield* Effect.fromResult(checkOptionGroup(group)))
      }
      return groups
    })

  const addProduct = Effect.fn("Catalogue.addProduct")(function*(actor: CatalogueActor, providerId: string, input: ProductInput) {
    yield* managedProvider(actor, providerId)
    const optionGroups = yield* optionGroupsOf(input.optionGroups)
    const id = yield* ids.uuid
    const created = yield* menus.createProduct({ ...input, optionGroups, id, providerId, now: yield* currentDate })
    if (Option.isNone(created)) return yield* new CategoryNotFound()
    yield* cache.invalidateMenu(providerId)
    return created.value
  })

  /** Fields not sent keep their value; option groups sent replace them all. */
  const changeProduct = Effect.fn("Catalogue.changeProduct")(function*(
    actor: CatalogueActor,
    providerId: string,
    productId: string,
    patch: Partial<ProductInput> & { readonly position?: number | undefined }
  ) {
    yield* managedProvider(actor, providerId)
    if (Option.isNone(yield* menus.findProduct(providerId, productId))) return yield* new ProductNotFound()
    const { optionGroups, position, ...fields } = patch
    const updated = yield* menus.updateProduct(providerId, productId, {
      ...fields,
      ...(optionGroups === undefined ? {} : { optionGroups: yield* optionGroupsOf(optionGroups) }),
      ...(position === undefined ? {} : { position }),
      now: yield* currentDate
    })
    // It existed a moment ago: None now means the new category is not this provider's.
    if (Option.isNone(updated)) return yield* new CategoryNotFound()
    yield* cache.invalidateMenu(providerId)
    return updated.value
  })

  const removeProduct = Effect.fn("Catalogue.removeProduct")(function*(actor: CatalogueActor, providerId: string, productId: string) {
    yield* managedProvider(actor, providerId)
    const deleted = yield* menus.deleteProduct(providerId, productId)
    if (Option.isNone(deleted)) return yield* new ProductNotFound()
    yield* cache.invalidateMenu(providerId)
    // The photo is garbage now; failing to delete it must not fail the removal.
    if (deleted.value.photoKey !== null) yield* storage.delete(deleted.value.photoKey).pipe(Effect.ignore)
  })

  /** Sets the stock (null: stop counting) or adjusts it by a signed number; never below zero. */
  const changeProductStock = Effect.fn("Catalogue.changeProductStock")(function*(actor: CatalogueActor, providerId: string, productId: string, change: StockChange) {
    yield* managedProvider(actor, providerId)
    const outcome = yield* menus.changeProductStock(providerId, productId, applyStockChange(change), yield* currentDate)
    const stock = yield* Effect.fromResult(stockOutcome(outcome, () => new ProductNotFound()))
    yield* cache.invalidateMenu(providerId)
    return { stock }
  })

  return { addProduct, changeProduct, removeProduct, changeProductStock }
})
