import { Effect, Option } from "effect"
import { currentDate } from "../shared/currentDate.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { CatalogueCache } from "./CatalogueCache.ts"
import { GasPricesInconsistent, GasProductNotFound, NotAGasDepot } from "./errors.ts"
import { type GasProductFields, MenuRepository, type StockChange } from "./MenuRepository.ts"
import { stockOutcome } from "./products.ts"
import { type CatalogueActor, makeManagedProvider } from "./providerAccess.ts"
import { applyStockChange } from "./stockChange.ts"

/** A gas depot's bottles: one line per brand and bottle size, sold by gas depots only. */
export const makeGasProducts = Effect.gen(function*() {
  const menus = yield* MenuRepository
  const ids = yield* IdGenerator
  const cache = yield* CatalogueCache
  const managedProvider = yield* makeManagedProvider

  const addGasProduct = Effect.fn("Catalogue.addGasProduct")(function*(actor: CatalogueActor, providerId: string, fields: GasProductFields) {
    const provider = yield* managedProvider(actor, providerId)
    if (provider.type !== "gas_depot") return yield* new NotAGasDepot()
    if (fields.newBottlePriceXof < fields.refillPriceXof) return yield* new GasPricesInconsistent()
    const id = yield* ids.uuid
    const created = yield* menus.createGasProduct({ ...fields, id, providerId, now: yield* currentDate })
    yield* cache.invalidateMenu(providerId)
    return created
  })

  const changeGasProduct = Effect.fn("Catalogue.changeGasProduct")(function*(actor: CatalogueActor, providerId: string, gasProductId: string, patch: Partial<GasProductFields>) {
    yield* managedProvider(actor, providerId)
    if (patch.refillPriceXof !== undefined || patch.newBottlePriceXof !== undefined) {
      const existing = (yield* menus.menu(providerId)).gasProducts.find((gas) => gas.id === gasProductId)
      if (existing === undefined) return yield* new GasProductNotFound()
      if ((patch.newBottlePriceXof ?? existing.newBottlePriceXof) < (patch.refillPriceXof ?? existing.refillPriceXof)) return yield* new GasPricesInconsistent()
    }
    const updated = yield* menus.updateGasProduct(providerId, gasProductId, { ...patch, now: yield* currentDate })
    if (Option.isNone(updated)) return yield* new GasProductNotFound()
    yield* cache.invalidateMenu(providerId)
    return updated.value
  })

  const removeGasProduct = Effect.fn("Catalogue.removeGasProduct")(function*(actor: CatalogueActor, providerId: string, gasProductId: string) {
    yield* managedProvider(actor, providerId)
    if (!(yield* menus.deleteGasProduct(providerId, gasProductId))) return yield* new GasProductNotFound()
    yield* cache.invalidateMenu(providerId)
  })

  /** Full bottles on hand: set, or adjusted as bottles arrive and leave; never below zero. */
  const changeGasStock = Effect.fn("Catalogue.changeGasStock")(function*(actor: CatalogueActor, providerId: string, gasProductId: string, change: StockChange) {
    yield* managedProvider(actor, providerId)
    const outcome = yield* menus.changeGasStock(providerId, gasProductId, applyStockChange(change), yield* currentDate)
    const stock = yield* Effect.fromResult(stockOutcome(outcome, () => new GasProductNotFound()))
    yield* cache.invalidateMenu(providerId)
    return { fullBottlesInStock: stock }
  })

  return { addGasProduct, changeGasProduct, removeGasProduct, changeGasStock }
})
