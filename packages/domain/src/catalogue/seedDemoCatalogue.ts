import { Clock, Effect, Fiber, Option } from "effect"
import { PhoneAlreadyRegistered } from "../auth/errors.ts"
import type { Phone } from "../shared/Phone.ts"
import { makeCreateUser } from "../users/createUser.ts"
import { UserRepository } from "../users/UserRepository.ts"
import type { Category } from "./Category.ts"
import { type CatalogueImportEntry, CatalogueImport, type ImportBatchResult } from "./CatalogueImport.ts"
import type { GasProduct, Product } from "./Product.ts"
import type { Provider } from "./Provider.ts"

export interface DemoCatalogueOptions {
  /** An unsigned 32-bit integer: the same seed gives the same catalogue. */
  readonly seed: number
  /** Products per restaurant or grocery; gas depots list their bottles instead (4 to 10 lines). */
  readonly productsPerProvider: number
}

/** One demo provider with its catalogue, before it has an owner account or a zone. */
export interface DemoProviderEntry {
  readonly index: number
  /** The demo owner holding it (an index below `ownerCount` of the run's provider count). */
  readonly ownerIndex: number
  readonly provider: Omit<Provider, "ownerId" | "zone" | "ratingSum" | "ratingCount">
  readonly categories: ReadonlyArray<Category>
  readonly products: ReadonlyArray<Product>
  readonly gasProducts: ReadonlyArray<GasProduct>
}

/** A demo owner account: who signs in (by SMS code) for a group of demo providers. */
export interface DemoOwner {
  readonly phone: Phone
  readonly fullName: string
}

/**
 * The data the seed writes, given by the caller (it is data, not a rule: the adapters' seeds hold it).
 * It must be deterministic: the same seed and index always give the same owner and provider, with
 * the same ids, which is what makes the seed idempotent.
 */
export interface DemoCatalogue {
  /** How many owner accounts hold `providers` providers. */
  readonly ownerCount: (providers: number) => number
  readonly owner: (seed: number, ownerIndex: number) => DemoOwner
  /** Providers [from, from + count) of the catalogue: a batch. */
  readonly providers: (options: DemoCatalogueOptions, from: number, count: number) => ReadonlyArray<DemoProviderEntry>
}

/** Providers per transaction: big enough to amortize a round trip, small enough to show progress. */
export const demoBatchSize = 500

export interface SeedDemoOptions extends DemoCatalogueOptions {
  readonly providers: number
  readonly batchSize?: number | undefined
}

export interface SeedDemoProgress {
  /** Providers handled so far (created or already there), out of `total`. */
  readonly done: number
  readonly total: number
  readonly created: number
  readonly skipped: number
  readonly products: number
  readonly gasProducts: number
}

export interface DemoOwnersSummary {
  readonly created: number
  readonly existing: number
}

/**
 * The demo owner accounts of a seed, found by phone or created (roles client and provider; they
 * sign in by SMS code like anybody, so no password). An existing account at one of those phones
 * gets the provider role if it lacked it. Returns their ids by owner index.
 */
export const ensureDemoOwners = Effect.fn("ensureDemoOwners")(function*(catalogue: Pick<DemoCatalogue, "owner">, seed: number, count: number) {
  const users = yield* UserRepository
  const createUser = yield* makeCreateUser
  const ensureOne = (ownerIndex: number) =>
    Effect.gen(function*() {
      const { phone, fullName } = catalogue.owner(seed, ownerIndex)
      const found = yield* users.findByPhone(phone)
      if (Option.isSome(found)) {
        const user = found.value
        if (!user.roles.includes("provider")) yield* users.setRoles(user.id, [...user.roles, "provider"])
        return { id: user.id as string, created: false }
      }
      const created = yield* createUser({
        phone,
        fullName,
        language: "fr",
        roles: ["client", "provider"],
        referredBy: null,
        passwordHash: null,
        createdAt: new Date(yield* Clock.currentTimeMillis)
      }).pipe(
        Effect.map((user) => Option.some(user)),
        // Another run took the phone meanwhile: its account is the owner.
        Effect.catchTag("PhoneAlreadyRegistered", () => Effect.succeed(Option.none()))
      )
      if (Option.isSome(created)) return { id: created.value.id as string, created: true }
      const raced = yield* users.findByPhone(phone)
      if (Option.isNone(raced)) return yield* new PhoneAlreadyRegistered()
      return { id: raced.value.id as string, created: false }
    })
  const owners = yield* Effect.forEach(Array.from({ length: count }, (_, index) => index), ensureOne, { concurrency: 8 })
  const created = owners.filter((owner) => owner.created).length
  return { ids: owners.map((owner) => owner.id), summary: { created, existing: owners.length - created } satisfies DemoOwnersSummary }
})

/**
 * Writes `catalogue` for a seed: its owner accounts, then its providers, batch by batch.
 * Idempotent by seed: providers (and owners) the store already has are left as they are, so running
 * it again adds nothing, and a run that stopped half way resumes where it stopped. Batch i+1 is
 * generated while batch i is being written. `onBatch` is told after each batch, for progress.
 */
export const seedDemoCatalogue = Effect.fn("seedDemoCatalogue")(function*(
  catalogue: DemoCatalogue,
  options: SeedDemoOptions,
  onBatch: (progress: SeedDemoProgress) => Effect.Effect<void> = () => Effect.void
) {
  const importer = yield* CatalogueImport
  const owners = yield* ensureDemoOwners(catalogue, options.seed, catalogue.ownerCount(options.providers))
  const now = new Date(yield* Clock.currentTimeMillis)
  const batchSize = options.batchSize ?? demoBatchSize
  const totals = { done: 0, total: options.providers, created: 0, skipped: 0, categories: 0, products: 0, gasProducts: 0 }

  const entriesFrom = (from: number): Array<CatalogueImportEntry> =>
    catalogue.providers(options, from, Math.min(batchSize, options.providers - from)).map((demo) => ({
      provider: { ...demo.provider, ownerId: owners.ids[demo.ownerIndex]! },
      categories: demo.categories,
      products: demo.products,
      gasProducts: demo.gasProducts
    }))
  const record = (result: ImportBatchResult) =>
    Effect.suspend(() => {
      totals.done += result.providersCreated + result.providersSkipped
      totals.created += result.providersCreated
      totals.skipped += result.providersSkipped
      totals.categories += result.categoriesCreated
      totals.products += result.productsCreated
      totals.gasProducts += result.gasProductsCreated
      return onBatch({ done: totals.done, total: totals.total, created: totals.created, skipped: totals.skipped, products: totals.products, gasProducts: totals.gasProducts })
    })

  let writing: Fiber.Fiber<ImportBatchResult, Effect.Error<ReturnType<typeof importer.importBatch>>> | undefined
  for (let from = 0; from < options.providers; from += batchSize) {
    const entries = entriesFrom(from)
    if (writing !== undefined) yield* record(yield* Fiber.join(writing))
    writing = yield* Effect.forkChild(importer.importBatch(entries, now))
  }
  if (writing !== undefined) yield* record(yield* Fiber.join(writing))

  return {
    owners: owners.summary,
    providersCreated: totals.created,
    providersSkipped: totals.skipped,
    categoriesCreated: totals.categories,
    productsCreated: totals.products,
    gasProductsCreated: totals.gasProducts,
    counts: yield* importer.counts
  }
})
