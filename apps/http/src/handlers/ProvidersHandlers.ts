import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { defaultNearbyRadiusM } from "@nelo/domain/catalogue/nearbyCell"
import { getProvider } from "@nelo/domain/catalogue/providers"
import { listProviders, nearbyProviders } from "@nelo/domain/catalogue/providerSearch"
import { readMenu } from "@nelo/domain/catalogue/readMenu"
import { ObjectStorage } from "@nelo/domain/storage/ObjectStorage"
import { NeloApi } from "../api/NeloApi.ts"
import { answerCatalogue } from "./answerCatalogue.ts"
import { menuView, nearbyProviderView, providerView } from "./catalogueViews.ts"
import type { CatalogueServices } from "./CatalogueServices.ts"

const defaultPageSize = 20

/** What customers read: public, no account needed to browse. */
export const ProvidersHandlers = HttpApiBuilder.group(NeloApi, "providers", Effect.fn(function*(handlers) {
  const answer = answerCatalogue(yield* Effect.context<CatalogueServices>())
  const storage = yield* ObjectStorage
  const toMenuView = menuView((key) => storage.publicUrl(key))
  return handlers.handleAll({
    list: ({ query, request }) =>
      listProviders({ ...query, limit: query.limit ?? defaultPageSize }).pipe(
        Effect.map((page) => ({ items: page.items.map(providerView), nextCursor: page.nextCursor })),
        answer(request)
      ),
    nearby: ({ query, request }) =>
      nearbyProviders({
        point: { lat: query.lat, lng: query.lng },
        radiusM: query.radiusM ?? defaultNearbyRadiusM,
        type: query.type,
        openNow: query.openNow,
        cursor: query.cursor,
        limit: query.limit ?? defaultPageSize
      }).pipe(
        Effect.map((page) => ({ items: page.items.map(nearbyProviderView), nextCursor: page.nextCursor })),
        answer(request)
      ),
    get: ({ params, request }) => getProvider(params.providerId).pipe(Effect.map(providerView), answer(request)),
    menu: ({ params, request }) => readMenu(params.providerId).pipe(Effect.map(toMenuView), answer(request))
  })
}))
