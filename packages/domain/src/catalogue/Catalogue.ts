import { Context, Effect, Layer } from "effect"
import { ObjectStorage } from "../storage/ObjectStorage.ts"
import { makeCategories } from "./categories.ts"
import { makeGasProducts } from "./gasProducts.ts"
import { makeProductPhoto } from "./productPhoto.ts"
import { makeProducts } from "./products.ts"
import { makeProviders } from "./providers.ts"
import { makeProviderSearch } from "./providerSearch.ts"
import { makeMenuReader } from "./readMenu.ts"

/**
 * The catalogue's use cases, built once with their ports (providers, menus, the cache, users for
 * the owner an admin names, ids, images, storage): what the apps call. Each one is in the file
 * named after it. The customers' reads (list, nearby, get, menu) are the busiest requests of the
 * API: they are plain closures over ports taken here, with nothing looked up per call.
 */
export class Catalogue extends Context.Service<Catalogue>()("nelo/catalogue/Catalogue", {
  make: Effect.gen(function*() {
    const search = yield* makeProviderSearch
    const storage = yield* ObjectStorage
    return {
      listProviders: search.list,
      nearbyProviders: search.nearby,
      getProvider: search.get,
      readMenu: yield* makeMenuReader,
      /** Where a product photo (a public object) is served. */
      photoUrl: (key: string) => storage.publicUrl(key),
      ...(yield* makeProviders),
      ...(yield* makeCategories),
      ...(yield* makeProducts),
      ...(yield* makeProductPhoto),
      ...(yield* makeGasProducts)
    }
  })
}) {
  static readonly layer = Layer.effect(Catalogue, Catalogue.make)
}
