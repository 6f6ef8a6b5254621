import { Effect, Option } from "effect"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { CatalogueCache } from "./CatalogueCache.ts"
import { GasPricesInconsistent, GasProductNotFound, NotAGasDepot } from "./errors.ts"
import { type GasProductFields, MenuRepository, type StockChange } from "./MenuRepository.ts"
import { stockOutcome } from "./products.ts"
import { type CatalogueActor, managedProvider } from "./providerAccess.ts"
import { currentDate } from "../shared/currentDate.ts"

/** One line per brand and bottle size, sold by gas depots only. */
export const addGasProduct = Effect.fn("addGasProduct")(function*(actor: CatalogueActor, providerId: string, fields: GasProductFields) {
  const provider = yield* managedProvider(actor, providerId)
  if (provider.type !== "gas_depot") return yield* new NotAGasDepot()
  if (fields.newBottlePriceXof < fields.refillPriceXof) return yield* new GasPricesInconsistent()
  const id = yield* (yield* IdGenerator).uuid
  const created = yield* (yield* MenuRepository).createGasProduct({ ...fields, id, providerId, now: yield* currentDate })
  yield* (yield* CatalogueCache).invalidateMenu(providerId)
  return created
})

export const changeGasProduct = Effect.fn("changeGasProduct")(function*(actor: CatalogueActor, providerId: string, gasProductId: string, patch: Partial<GasProductFields>) {
  yield* managedProvider(actor, providerId)
  const menus = yield* MenuRepository
  if (patch.refillPriceXof !== undefined || patch.newBottlePriceXof !== undefined) {
    const existing = (yield* menus.menu(providerId)).gasProducts.find((gas) => gas.id === gasProductId)
    if (existing === undefined) return yield* new GasProductNotFound()
    if ((patch.newBottlePriceXof ?? existing.newBottlePriceXof) < (patch.refillPriceXof ?? existing.refillPriceXof)) return yield* new GasPricesInconsistent()
  }
  const updated = yield* menus.updateGasProduct(providerId, gasProductId, { ...patch, now: yield* currentDate })
  if (Option.isNone(updated)) return yield* new GasProductNotFound()
  yield* (yield* CatalogueCache).invalidateMenu(providerId)
  return updated.value
})

export const removeGasProduct = Effect.fn("removeGasProduct")(function*(actor: CatalogueActor, providerId: string, gasProductId: string) {
  yield* managedProvider(actor, providerId)
  if (!(yield* (yield* MenuRepository).deleteGasProduct(providerId, gasProductId))) return yield* new GasProductNotFound()
  yield* (yield* CatalogueCache).invalidateMenu(providerId)
})

/** Full bottles on hand: set, or adjusted as bottles arrive and leave; never below zero. */
export const changeGasStock = Effect.fn("changeGasStock")(function*(actor: CatalogueActor, providerId: string, gasProductId: string, change: StockChange) {
  yield* managedProvider(actor, providerId)
  const outcome = yield* (yield* MenuRepository).changeGasStock(providerId, gasProductId, change, yield* currentDate)
  const stock = yield* Effect.fromResult(stockOutcome(outcome, () => new GasProductNotFound()))
  yield* (yield* CatalogueCache).invalidateMenu(providerId)
  return { fullBottlesInStock: stock }
})
