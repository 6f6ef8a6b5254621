import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { addCategory, removeCategory, renameCategory, reorderCategories } from "@nelo/domain/catalogue/categories"
import { addGasProduct, changeGasProduct, changeGasStock, removeGasProduct } from "@nelo/domain/catalogue/gasProducts"
import type { StockChange } from "@nelo/domain/catalogue/MenuRepository"
import { providerAt } from "@nelo/domain/catalogue/openingState"
import { changeProductPhoto, removeProductPhoto } from "@nelo/domain/catalogue/productPhoto"
import { addProduct, changeProduct, changeProductStock, removeProduct } from "@nelo/domain/catalogue/products"
import { changeProvider, createProvider, pauseProvider, resumeProvider, setProviderHours } from "@nelo/domain/catalogue/providers"
import { listProviders } from "@nelo/domain/catalogue/providerSearch"
import type { Provider } from "@nelo/domain/catalogue/Provider"
import { ObjectStorage } from "@nelo/domain/storage/ObjectStorage"
import { CurrentUser } from "../shared/Authentication.ts"
import { NeloApi } from "../api/NeloApi.ts"
import { answerCatalogue } from "./answerCatalogue.ts"
import { categoryView, gasProductView, productView, providerView } from "./catalogueViews.ts"
import type { CatalogueServices } from "./CatalogueServices.ts"
import { readUpload } from "./readUpload.ts"

const stockChangeOf = (payload: { readonly stock?: number | null; readonly adjustBy?: number }): StockChange =>
  payload.adjustBy !== undefined ? { _tag: "Adjust", by: payload.adjustBy } : { _tag: "Set", stock: payload.stock ?? null }

/** An owner sees their provider as customers do, opening state included. */
const viewNow = (provider: Provider) => Effect.map(Effect.clockWith((clock) => clock.currentTimeMillis), (instantMs) => providerView(providerAt(provider, instantMs)))

export const CatalogueManagementHandlers = HttpApiBuilder.group(NeloApi, "catalogueManagement", Effect.fn(function*(handlers) {
  const answer = answerCatalogue(yield* Effect.context<CatalogueServices>())
  const storage = yield* ObjectStorage
  const toProductView = productView((key) => storage.publicUrl(key))
  return handlers.handleAll({
    myProviders: ({ query, request }) =>
      Effect.gen(function*() {
        const page = yield* listProviders({ ownerId: (yield* CurrentUser).userId, cursor: query.cursor, limit: query.limit ?? 20 })
        return { items: page.items.map(providerView), nextCursor: page.nextCursor }
      }).pipe(answer(request)),
    createProvider: ({ payload, request }) =>
      Effect.gen(function*() {
        const { description, landmark, ...rest } = payload
        const provider = yield* createProvider(yield* CurrentUser, { ...rest, description: description ?? "", landmark: landmark ?? "", hours: payload.hours && { weekly: payload.hours.weekly, exceptions: payload.hours.exceptions ?? [] } })
        return yield* viewNow(provider)
      }).pipe(answer(request)),
    updateProvider: ({ params, payload, request }) =>
      Effect.gen(function*() {
        return yield* viewNow(yield* changeProvider(yield* CurrentUser, params.providerId, payload))
      }).pipe(answer(request)),
    setSchedule: ({ params, payload, request }) =>
      Effect.gen(function*() {
        return yield* viewNow(yield* setProviderHours(yield* CurrentUser, params.providerId, { weekly: payload.weekly, exceptions: payload.exceptions ?? [] }))
      }).pipe(answer(request)),
    pause: ({ params, request }) =>
      Effect.gen(function*() {
        return yield* viewNow(yield* pauseProvider(yield* CurrentUser, params.providerId))
      }).pipe(answer(request)),
    resume: ({ params, request }) =>
      Effect.gen(function*() {
        return yield* viewNow(yield* resumeProvider(yield* CurrentUser, params.providerId))
      }).pipe(answer(request)),

    addCategory: ({ params, payload, request }) =>
      Effect.gen(function*() {
        return categoryView(yield* addCategory(yield* CurrentUser, params.providerId, payload.name))
      }).pipe(answer(request)),
    renameCategory: ({ params, payload, request }) =>
      Effect.gen(function*() {
        return categoryView(yield* renameCategory(yield* CurrentUser, params.providerId, params.categoryId, payload.name))
      }).pipe(answer(request)),
    removeCategory: ({ params, request }) =>
      Effect.gen(function*() {
        yield* removeCategory(yield* CurrentUser, params.providerId, params.categoryId)
      }).pipe(answer(request)),
    reorderCategories: ({ params, payload, request }) =>
      Effect.gen(function*() {
        return (yield* reorderCategories(yield* CurrentUser, params.providerId, payload.categoryIds)).map(categoryView)
      }).pipe(answer(request)),

    addProduct: ({ params, payload, request }) =>
      Effect.gen(function*() {
        return toProductView(yield* addProduct(yield* CurrentUser, params.providerId, {
          categoryId: payload.categoryId ?? null,
          name: payload.name,
          description: payload.description ?? "",
          priceXof: payload.priceXof,
          available: payload.available ?? true,
          stock: payload.stock ?? null,
          optionGroups: (payload.optionGroups ?? []).map((group) => ({ ...group, kind: group.kind ?? "choice" }))
        }))
      }).pipe(answer(request)),
    updateProduct: ({ params, payload, request }) =>
      Effect.gen(function*() {
        const { optionGroups, ...fields } = payload
        return toProductView(yield* changeProduct(yield* CurrentUser, params.providerId, params.productId, {
          ...fields,
          ...(optionGroups === undefined ? {} : { optionGroups: optionGroups.map((group) => ({ ...group, kind: group.kind ?? "choice" })) })
        }))
      }).pipe(answer(request)),
    removeProduct: ({ params, request }) =>
      Effect.gen(function*() {
        yield* removeProduct(yield* CurrentUser, params.providerId, params.productId)
      }).pipe(answer(request)),
    changeProductStock: ({ params, payload, request }) =>
      Effect.gen(function*() {
        return yield* changeProductStock(yield* CurrentUser, params.providerId, params.productId, stockChangeOf(payload))
      }).pipe(answer(request)),
    changeProductPhoto: ({ params, payload, request }) =>
      Effect.gen(function*() {
        return yield* changeProductPhoto(yield* CurrentUser, params.providerId, params.productId, yield* readUpload(payload.file))
      }).pipe(answer(request)),
    removeProductPhoto: ({ params, request }) =>
      Effect.gen(function*() {
        yield* removeProductPhoto(yield* CurrentUser, params.providerId, params.productId)
      }).pipe(answer(request)),

    addGasProduct: ({ params, payload, request }) =>
      Effect.gen(function*() {
        return gasProductView(yield* addGasProduct(yield* CurrentUser, params.providerId, {
          ...payload,
          fullBottlesInStock: payload.fullBottlesInStock ?? null,
          available: payload.available ?? true
        }))
      }).pipe(answer(request)),
    updateGasProduct: ({ params, payload, request }) =>
      Effect.gen(function*() {
        return gasProductView(yield* changeGasProduct(yield* CurrentUser, params.providerId, params.gasProductId, payload))
      }).pipe(answer(request)),
    removeGasProduct: ({ params, request }) =>
      Effect.gen(function*() {
        yield* removeGasProduct(yield* CurrentUser, params.providerId, params.gasProductId)
      }).pipe(answer(request)),
    changeGasStock: ({ params, payload, request }) =>
      Effect.gen(function*() {
        return yield* changeGasStock(yield* CurrentUser, params.providerId, params.gasProductId, stockChangeOf(payload))
      }).pipe(answer(request))
  })
}))
