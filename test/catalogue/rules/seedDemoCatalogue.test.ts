import { assert, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { AuthCryptoMemory } from "@nelo/adapters/memory/AuthCryptoMemory"
import { CatalogueImportMemory } from "@nelo/adapters/memory/CatalogueImportMemory"
import { MenuRepositoryMemory } from "@nelo/adapters/memory/MenuRepositoryMemory"
import { ProviderRepositoryMemory } from "@nelo/adapters/memory/ProviderRepositoryMemory"
import { UserRepositoryMemory } from "@nelo/adapters/memory/UserRepositoryMemory"
import { ZoneRepositoryMemory } from "@nelo/adapters/memory/ZoneRepositoryMemory"
import { IdGeneratorUuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { demoCatalogue, demoOwner, demoProviderId } from "@nelo/adapters/seeds/demoCatalogue"
import { ProviderRepository } from "@nelo/domain/catalogue/ProviderRepository"
import { type SeedDemoProgress, seedDemoCatalogue } from "@nelo/domain/catalogue/seedDemoCatalogue"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { makeNewUser } from "../../users/contracts/userRepositoryContract.ts"

// The use case on the in-memory stores: owners, batches and progress, and what a second run does.
const stores = CatalogueImportMemory.pipe(
  Layer.provideMerge(Layer.mergeAll(MenuRepositoryMemory, ProviderRepositoryMemory)),
  Layer.provideMerge(Layer.mergeAll(ZoneRepositoryMemory, UserRepositoryMemory, IdGeneratorUuidV7, AuthCryptoMemory))
)

layer(stores, { excludeTestServices: true })("seedDemoCatalogue", (it) => {
  it.effect("writes owners then providers batch by batch, telling progress; a second run adds nothing; an existing account at a demo phone becomes an owner", () =>
    Effect.gen(function*() {
      yield* seedCity(tiassale)
      const users = yield* UserRepository
      // Somebody already has the number of owner 1 (seed 5), as a client only.
      const taken = yield* users.create(makeNewUser({ phone: demoOwner(5, 1).phone }))

      const progress: Array<SeedDemoProgress> = []
      const first = yield* seedDemoCatalogue(demoCatalogue, { seed: 5, providers: 120, productsPerProvider: 3, batchSize: 50 }, (step) => Effect.sync(() => progress.push(step)))
      assert.deepStrictEqual(progress.map((step) => [step.done, step.created, step.skipped]), [[50, 50, 0], [100, 100, 0], [120, 120, 0]])
      assert.deepStrictEqual(first.owners, { created: 2, existing: 1 })
      assert.strictEqual(first.providersCreated, 120)
      assert.strictEqual(first.productsCreated, 102 * 3)
      assert.deepStrictEqual(first.counts, { providers: 120, categories: first.categoriesCreated, products: 306, gasProducts: first.gasProductsCreated })

      const providers = yield* ProviderRepository
      const ofTaken = Option.getOrThrow(yield* providers.findById(demoProviderId(5, 75)))
      assert.strictEqual(ofTaken.ownerId, taken.id, "providers 50..99 belong to owner 1")
      assert.include(Option.getOrThrow(yield* users.findById(taken.id)).roles, "provider")
      assert.isNotNull(Option.getOrThrow(yield* providers.findById(demoProviderId(5, 0))).zone)

      const second = yield* seedDemoCatalogue(demoCatalogue, { seed: 5, providers: 130, productsPerProvider: 3, batchSize: 50 })
      assert.deepStrictEqual(second.owners, { created: 0, existing: 3 })
      assert.strictEqual(second.providersSkipped, 120)
      assert.strictEqual(second.providersCreated, 10)
      assert.strictEqual(second.counts.providers, 130)
    }))
})
