import { Effect, Option } from "effect"
import type { Role, UserId } from "../users/User.ts"
import { ProviderNotFound } from "./errors.ts"
import { canManageProvider } from "./Provider.ts"
import { ProviderRepository } from "./ProviderRepository.ts"

export interface CatalogueActor {
  readonly userId: UserId
  readonly roles: ReadonlyArray<Role>
}

/**
 * The provider this actor may manage. Someone else's provider is not found, exactly like one that
 * does not exist: an owner never learns which ids other providers have.
 */
export const makeManagedProvider = Effect.gen(function*() {
  const providers = yield* ProviderRepository
  return Effect.fn("Catalogue.managedProvider")(function*(actor: CatalogueActor, providerId: string) {
    const provider = yield* providers.findById(providerId)
    if (Option.isNone(provider) || !canManageProvider(actor, provider.value)) return yield* new ProviderNotFound()
    return provider.value
  })
})
