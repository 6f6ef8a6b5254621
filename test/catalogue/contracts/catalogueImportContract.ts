import { randomInt } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect, Exit, type Layer, Option } from "effect"
import { demoProviders } from "@nelo/adapters/seeds/demoCatalogue"
import { type CatalogueImportEntry, CatalogueImport } from "@nelo/domain/catalogue/CatalogueImport"
import { MenuRepository } from "@nelo/domain/catalogue/MenuRepository"
import type { Product } from "@nelo/domain/catalogue/Product"
import { ProviderRepository } from "@nelo/domain/catalogue/ProviderRepository"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { ZoneRepository } from "@nelo/domain/geo/ZoneRepository"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { makeNewUser } from "../../users/contracts/userRepositoryContract.ts"

type Stores = CatalogueImport | ProviderRepository | MenuRepository | ZoneRepository | UserRepository

// The run's database is shared with other test files: each test imports a demo seed of its own
// (demo ids are derived from the seed), and counts are compared as lower bounds only.
const freshSeed = () => randomInt(1, 2 ** 31)

const owner = Effect.gen(function*() {
  return (yield* (yield* UserRepository).create(makeNewUser({ roles: ["client", "provider"] }))).id
})

const demoEntries = (ownerId: string, count: number, productsPerProvider = 6, seed = freshSeed()): Array<CatalogueImportEntry> =>
  demoProviders({ seed, productsPerProvider }, 0, count).map((demo) => ({
    provider: { ...demo.provider, ownerId },
    categories: demo.categories,
    products: demo.products,
    gasProducts: demo.gasProducts
  }))

const byBrandThenSize = (a: { brand: string; bottleSizeKg: number }, b: { brand: string; bottleSizeKg: number }) =>
  (a.brand < b.brand ? -1 : a.brand > b.brand ? 1 : 0) || a.bottleSizeKg - b.bottleSizeKg

/** One suite, run against every CatalogueImport adapter, reading back through the repositories of the same store. */
export const catalogueImportContract = (name: string, storesLayer: Layer.Layer<Stores, unknown>) =>
  layer(storesLayer, { excludeTestServices: true })(`CatalogueImport contract: ${name}`, (it) => {
    it.effect("an imported batch is read back through the repositories: providers with their zone, menus in order, gas lines", () =>
      Effect.gen(function*() {
        yield* seedCity(tiassale)
        const importer = yield* CatalogueImport
        const providers = yield* ProviderRepository
        const menus = yield* MenuRepository
        const zones = yield* ZoneRepository
        const entries = demoEntries(yield* owner, 40)

        const result = yield* importer.importBatch(entries, new Date())
        assert.deepStrictEqual(result, {
          providersCreated: 40,
          providersSkipped: 0,
          categoriesCreated: entries.reduce((sum, entry) => sum + entry.categories.length, 0),
          productsCreated: entries.reduce((sum, entry) => sum + entry.products.length, 0),
          gasProductsCreated: entries.reduce((sum, entry) => sum + entry.gasProducts.length, 0)
        })
        assert.isAbove(result.gasProductsCreated, 0)

        let zoned = 0
        for (const entry of entries) {
          const found = Option.getOrThrow(yield* providers.findById(entry.provider.id))
          const zone = yield* zones.zoneAt(entry.provider.location)
          const expectedZone = Option.match(zone, { onNone: () => null, onSome: (match) => ({ id: match.zoneId, slug: match.zoneSlug, name: match.zoneName }) })
          assert.deepStrictEqual(found, { ...entry.provider, zone: expectedZone, ratingSum: 0, ratingCount: 0 })
          if (expectedZone !== null) zoned += 1

          const menu = yield* menus.menu(entry.provider.id)
          assert.deepStrictEqual(menu.categories, entry.categories)
          // Products come in (category position, product position) order, which is the entry's own.
          assert.deepStrictEqual(menu.products, entry.products)
          assert.deepStrictEqual(menu.gasProducts, [...entry.gasProducts].sort(byBrandThenSize))
        }
        assert.isAbove(zoned, 30, "most demo providers are inside a zone of Tiassalé")

        const counts = yield* importer.counts
        assert.isAtLeast(counts.providers, 40)
        assert.isAtLeast(counts.products, result.productsCreated)
        assert.isAtLeast(counts.gasProducts, result.gasProductsCreated)
      }))

    it.effect("importing providers the store already has skips them whole: their catalogues stay as they were", () =>
      Effect.gen(function*() {
        const importer = yield* CatalogueImport
        const menus = yield* MenuRepository
        const ownerId = yield* owner
        const seed = freshSeed()
        const first = demoEntries(ownerId, 10, 4, seed)
        yield* importer.importBatch(first, new Date())

        // The same ids with other products (more of them), plus five new providers.
        const again = demoEntries(ownerId, 15, 7, seed)
        const result = yield* importer.importBatch(again, new Date())
        assert.strictEqual(result.providersCreated, 5)
        assert.strictEqual(result.providersSkipped, 10)
        assert.strictEqual(result.productsCreated, again.slice(10).reduce((sum, entry) => sum + entry.products.length, 0))
        for (const entry of first) assert.deepStrictEqual((yield* menus.menu(entry.provider.id)).products, entry.products)
        for (const entry of again.slice(10)) assert.deepStrictEqual((yield* menus.menu(entry.provider.id)).products, entry.products)

        const repeated = yield* importer.importBatch(again, new Date())
        assert.deepStrictEqual(repeated, { providersCreated: 0, providersSkipped: 15, categoriesCreated: 0, productsCreated: 0, gasProductsCreated: 0 })
      }))

    it.effect("a batch the store refuses writes nothing: a product in another provider's category, an owner without an account, one provider twice", () =>
      Effect.gen(function*() {
        const importer = yield* CatalogueImport
        const providers = yield* ProviderRepository
        const ownerId = yield* owner
        const entries = demoEntries(ownerId, 3, 4)
        const [first, second] = [entries[0]!, entries[1]!]
        assert.isAbove(first.categories.length, 0)
        assert.isAbove(second.products.length, 0)

        const stolenCategory: CatalogueImportEntry = {
          ...second,
          products: second.products.map((product, index): Product => index === 0 ? { ...product, categoryId: first.categories[0]!.id } : product)
        }
        const ownerless: CatalogueImportEntry = { ...second, provider: { ...second.provider, ownerId: makeNewUser().id } }
        for (const batch of [[first, stolenCategory], [first, ownerless], [first, second, first]]) {
          const exit = yield* Effect.exit(importer.importBatch(batch, new Date()))
          assert.isTrue(Exit.isFailure(exit))
          assert.strictEqual(Exit.isFailure(exit) && exit.cause.reasons[0]?._tag === "Fail" ? (exit.cause.reasons[0].error as { _tag: string })._tag : undefined, "CatalogueStoreUnavailable")
          for (const entry of entries) assert.isTrue(Option.isNone(yield* providers.findById(entry.provider.id)), "nothing of a refused batch is written")
        }

        // The same entries, corrected, go in.
        assert.strictEqual((yield* importer.importBatch(entries, new Date())).providersCreated, 3)
      }))
  })
