import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { Catalogue } from "@nelo/domain/catalogue/Catalogue"
import type { StockChange } from "@nelo/domain/catalogue/MenuRepository"
import { defaultNearbyRadiusM } from "@nelo/domain/catalogue/nearbyCell"
import { providerAt } from "@nelo/domain/catalogue/openingState"
import type { Provider } from "@nelo/domain/catalogue/Provider"
import { NeloApi } from "../NeloApi.ts"
import { CurrentUser } from "../shared/Authentication.ts"
import { jsonBody } from "../shared/jsonBody.ts"
import { readUpload } from "../shared/readUpload.ts"
import type { MenuView, NearbyProvidersPage, ProvidersPage, ProviderView } from "./views.ts"
import { categoryView, gasProductView, menuView, nearbyProviderView, productView, providerSummaryView, providerView } from "./views.ts"

const defaultPageSize = 20

/**
 * What customers read: public, no account needed to browse. These are the busiest routes: each
 * writes its view as JSON itself (typed against the endpoint's schema), not re-checked field by field.
 */
export const ProvidersHandlers = HttpApiBuilder.group(NeloApi, "providers", Effect.fn(function*(handlers) {
  const catalogue = yield* Catalogue
  const toMenuView = menuView(catalogue.photoUrl)
  return handlers.handleAll({
    list: ({ query }) =>
      Effect.map(
        catalogue.listProviders({ ...query, limit: query.limit ?? defaultPageSize }),
        (page) => jsonBody({ items: page.items.map(providerSummaryView), nextCursor: page.nextCursor } satisfies typeof ProvidersPage.Type)
      ),
    nearby: ({ query }) =>
      Effect.map(
        catalogue.nearbyProviders({
          point: { lat: query.lat, lng: query.lng },
          radiusM: query.radiusM ?? defaultNearbyRadiusM,
          type: query.type,
          openNow: query.openNow,
          cursor: query.cursor,
          limit: query.limit ?? defaultPageSize
        }),
        (page) => jsonBody({ items: page.items.map(nearbyProviderView), nextCursor: page.nextCursor } satisfies typeof NearbyProvidersPage.Type)
      ),
    get: ({ params }) => Effect.map(catalogue.getProvider(params.providerId), (provider) => jsonBody(providerView(provider) satisfies typeof ProviderView.Type)),
    menu: ({ params }) => Effect.map(catalogue.readMenu(params.providerId), (read) => jsonBody(toMenuView(read) satisfies typeof MenuView.Type))
  })
}))

const stockChangeOf = (payload: { readonly stock?: number | null; readonly adjustBy?: number }): StockChange =>
  payload.adjustBy !== undefined ? { _tag: "Adjust", by: payload.adjustBy } : { _tag: "Set", stock: payload.stock ?? null }

/** An owner sees their provider as customers do, opening state included. */
const viewNow = (provider: Provider) => Effect.map(Effect.clockWith((clock) => clock.currentTimeMillis), (instantMs) => providerView(providerAt(provider, instantMs)))

/** What owners (provider role) and admins do to a catalogue; someone else's provider is not found. */
export const CatalogueManagementHandlers = HttpApiBuilder.group(NeloApi, "catalogueManagement", Effect.fn(function*(handlers) {
  const catalogue = yield* Catalogue
  const toProductView = productView(catalogue.photoUrl)
  return handlers.handleAll({
    myProviders: ({ query }) =>
      Effect.gen(function*() {
        const page = yield* catalogue.listProviders({ ownerId: (yield* CurrentUser).userId, cursor: query.cursor, limit: query.limit ?? defaultPageSize })
        return { items: page.items.map(providerView), nextCursor: page.nextCursor }
      }),
    createProvider: ({ payload }) =>
      Effect.gen(function*() {
        const { description, landmark, hours, ...rest } = payload
        return yield* viewNow(yield* catalogue.createProvider(yield* CurrentUser, {
          ...rest,
          description: description ?? "",
          landmark: landmark ?? "",
          hours: hours && { weekly: hours.weekly, exceptions: hours.exceptions ?? [] }
        }))
      }),
    updateProvider: ({ params, payload }) =>
      Effect.gen(function*() {
        return yield* viewNow(yield* catalogue.changeProvider(yield* CurrentUser, params.providerId, payload))
      }),
    setSchedule: ({ params, payload }) =>
      Effect.gen(function*() {
        return yield* viewNow(yield* catalogue.setProviderHours(yield* CurrentUser, params.providerId, { weekly: payload.weekly, exceptions: payload.exceptions ?? [] }))
      }),
    pause: ({ params }) =>
      Effect.gen(function*() {
        return yield* viewNow(yield* catalogue.pauseProvider(yield* CurrentUser, params.providerId))
      }),
    resume: ({ params }) =>
      Effect.gen(function*() {
        return yield* viewNow(yield* catalogue.resumeProvider(yield* CurrentUser, params.providerId))
      }),

    addCategory: ({ params, payload }) =>
      Effect.gen(function*() {
        return categoryView(yield* catalogue.addCategory(yield* CurrentUser, params.providerId, payload.name))
      }),
    renameCategory: ({ params, payload }) =>
      Effect.gen(function*() {
        return categoryView(yield* catalogue.renameCategory(yield* CurrentUser, params.providerId, params.categoryId, payload.name))
      }),
    removeCategory: ({ params }) =>
      Effect.gen(function*() {
        yield* catalogue.removeCategory(yield* CurrentUser, params.providerId, params.categoryId)
      }),
    reorderCategories: ({ params, payload }) =>
      Effect.gen(function*() {
        return (yield* catalogue.reorderCategories(yield* CurrentUser, params.providerId, payload.categoryIds)).map(categoryView)
      }),

    addProduct: ({ params, payload }) =>
      Effect.gen(function*() {
        return toProductView(yield* catalogue.addProduct(yield* CurrentUser, params.providerId, {
          categoryId: payload.categoryId ?? null,
          name: payload.name,
          description: payload.description ?? "",
          priceXof: payload.priceXof,
          available: payload.available ?? true,
          stock: payload.stock ?? null,
          optionGroups: (payload.optionGroups ?? []).map((group) => ({ ...group, kind: group.kind ?? "choice" }))
        }))
      }),
    updateProduct: ({ params, payload }) =>
      Effect.gen(function*() {
        const { optionGroups, ...fields } = payload
        return toProductView(yield* catalogue.changeProduct(yield* CurrentUser, params.providerId, params.productId, {
          ...fields,
          ...(optionGroups === undefined ? {} : { optionGroups: optionGroups.map((group) => ({ ...group, kind: group.kind ?? "choice" })) })
        }))
      }),
    removeProduct: ({ params }) =>
      Effect.gen(function*() {
        yield* catalogue.removeProduct(yield* CurrentUser, params.providerId, params.productId)
      }),
    changeProductStock: ({ params, payload }) =>
      Effect.gen(function*() {
        return yield* catalogue.changeProductStock(yield* CurrentUser, params.providerId, params.productId, stockChangeOf(payload))
      }),
    changeProductPhoto: ({ params, payload }) =>
      Effect.gen(function*() {
        return yield* catalogue.changeProductPhoto(yield* CurrentUser, params.providerId, params.productId, yield* readUpload(payload.file))
      }),
    removeProductPhoto: ({ params }) =>
      Effect.gen(function*() {
        yield* catalogue.removeProductPhoto(yield* CurrentUser, params.providerId, params.productId)
      }),

    addGasProduct: ({ params, payload }) =>
      Effect.gen(function*() {
        return gasProductView(yield* catalogue.addGasProduct(yield* CurrentUser, params.providerId, {
          ...payload,
          fullBottlesInStock: payload.fullBottlesInStock ?? null,
          available: payload.available ?? true
        }))
      }),
    updateGasProduct: ({ params, payload }) =>
      Effect.gen(function*() {
        return gasProductView(yield* catalogue.changeGasProduct(yield* CurrentUser, params.providerId, params.gasProductId, payload))
      }),
    removeGasProduct: ({ params }) =>
      Effect.gen(function*() {
        yield* catalogue.removeGasProduct(yield* CurrentUser, params.providerId, params.gasProductId)
      }),
    changeGasStock: ({ params, payload }) =>
      Effect.gen(function*() {
        return yield* catalogue.changeGasStock(yield* CurrentUser, params.providerId, params.gasProductId, stockChangeOf(payload))
      })
  })
}))
