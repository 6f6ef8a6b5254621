import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { defaultNearbyRadiusM } from "@nelo/domain/catalogue/nearbyCell"
import { makeProviderSearch } from "@nelo/domain/catalogue/providerSearch"
import { makeMenuReader } from "@nelo/domain/catalogue/readMenu"
import { ObjectStorage } from "@nelo/domain/storage/ObjectStorage"
import type { MenuView, NearbyProviderView, ProviderSummaryView, ProviderView } from "../api/CatalogueApi.ts"
import { NeloApi } from "../api/NeloApi.ts"
import { answerCatalogueRead, jsonBody } from "./answerCatalogue.ts"
import { menuView, nearbyProviderView, providerSummaryView, providerView } from "./catalogueViews.ts"

const defaultPageSize = 20

interface Page<Item> {
  readonly items: ReadonlyArray<Item>
  readonly nextCursor: string | null
}

/** What customers read: public, no account needed to browse. The ports are taken once, at start. */
export const ProvidersHandlers = HttpApiBuilder.group(NeloApi, "providers", Effect.fn(function*(handlers) {
  const search = yield* makeProviderSearch
  const readMenu = yield* makeMenuReader
  const storage = yield* ObjectStorage
  const toMenuView = menuView((key) => storage.publicUrl(key))
  return handlers.handleAll({
    list: ({ query, request }) =>
      search.list({ ...query, limit: query.limit ?? defaultPageSize }).pipe(
        Effect.map((page) => jsonBody({ items: page.items.map(providerSummaryView), nextCursor: page.nextCursor } satisfies Page<typeof ProviderSummaryView.Type>)),
        answerCatalogueRead(request)
      ),
    nearby: ({ query, request }) =>
      search.nearby({
        point: { lat: query.lat, lng: query.lng },
        radiusM: query.radiusM ?? defaultNearbyRadiusM,
        type: query.type,
        openNow: query.openNow,
        cursor: query.cursor,
        limit: query.limit ?? defaultPageSize
      }).pipe(
        Effect.map((page) => jsonBody({ items: page.items.map(nearbyProviderView), nextCursor: page.nextCursor } satisfies Page<typeof NearbyProviderView.Type>)),
        answerCatalogueRead(request)
      ),
    get: ({ params, request }) =>
      search.get(params.providerId).pipe(
        Effect.map((provider) => jsonBody(providerView(provider) satisfies typeof ProviderView.Type)),
        answerCatalogueRead(request)
      ),
    menu: ({ params, request }) =>
      readMenu(params.providerId).pipe(
        Effect.map((read) => jsonBody(toMenuView(read) satisfies typeof MenuView.Type)),
        answerCatalogueRead(request)
      )
  })
}))
