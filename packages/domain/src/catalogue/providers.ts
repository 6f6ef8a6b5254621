import { Effect, Option } from "effect"
import { currentDate } from "../shared/currentDate.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import type { UserId } from "../users/User.ts"
import { UserRepository } from "../users/UserRepository.ts"
import { CatalogueCache } from "./CatalogueCache.ts"
import { ProviderCreationForbidden, ProviderNotFound, ProviderOwnerNotFound } from "./errors.ts"
import { canCreateProviderFor } from "./Provider.ts"
import { type CatalogueActor, makeManagedProvider } from "./providerAccess.ts"
import { type ProviderFields, ProviderRepository } from "./ProviderRepository.ts"
import type { Schedule } from "./Schedule.ts"

/** Opening hours in Côte d'Ivoire are read in its zone (UTC+0 all year, no daylight saving). */
export const catalogueTimeZone = "Africa/Abidjan"

export type Hours = Pick<Schedule, "weekly" | "exceptions">

/** Creating providers and changing their own fields, hours and pause. */
export const makeProviders = Effect.gen(function*() {
  const providers = yield* ProviderRepository
  const users = yield* UserRepository
  const ids = yield* IdGenerator
  const cache = yield* CatalogueCache
  const managedProvider = yield* makeManagedProvider

  /** After a provider's own fields change: its menu page shows them, nearby pages list them. */
  const invalidateProvider = (providerId: string) =>
    Effect.andThen(cache.invalidateMenu(providerId), cache.invalidateNearby)

  const changed = <A, E, R>(providerId: string, write: Effect.Effect<Option.Option<A>, E, R>) =>
    Effect.gen(function*() {
      const result = yield* write
      if (Option.isNone(result)) return yield* new ProviderNotFound()
      yield* invalidateProvider(providerId)
      return result.value
    })

  /**
   * Creates a provider. A provider-role user creates their own; an admin may create one for any
   * account, which then gets the provider role so its owner can manage it. Without hours it is
   * closed until its owner sets them.
   */
  const createProvider = Effect.fn("Catalogue.createProvider")(function*(
    actor: CatalogueActor,
    input: ProviderFields & { readonly ownerId?: string | undefined; readonly hours?: Hours | undefined }
  ) {
    const ownerId = (input.ownerId ?? actor.userId) as UserId
    if (!canCreateProviderFor(actor, ownerId)) return yield* new ProviderCreationForbidden()
    const owner = ownerId === actor.userId ? Option.none() : yield* users.findById(ownerId)
    if (ownerId !== actor.userId && Option.isNone(owner)) return yield* new ProviderOwnerNotFound()
    const id = yield* ids.uuid
    const { hours, ownerId: _ownerId, ...fields } = input
    const schedule: Schedule = { timeZone: catalogueTimeZone, weekly: hours?.weekly ?? [], exceptions: hours?.exceptions ?? [], paused: false }
    const provider = yield* providers.create({ ...fields, id, ownerId, schedule, now: yield* currentDate })
    // The role comes after the provider exists: a failure here leaves a provider an admin can still
    // hand over (roles are idempotent), never an owner with a role and nothing to manage.
    if (Option.isSome(owner) && !owner.value.roles.includes("provider")) yield* users.setRoles(ownerId, [...owner.value.roles, "provider"])
    yield* cache.invalidateNearby
    return provider
  })

  const changeProvider = Effect.fn("Catalogue.changeProvider")(function*(actor: CatalogueActor, providerId: string, patch: Partial<ProviderFields>) {
    yield* managedProvider(actor, providerId)
    return yield* changed(providerId, providers.update(providerId, { ...patch, now: yield* currentDate }))
  })

  const setProviderHours = Effect.fn("Catalogue.setProviderHours")(function*(actor: CatalogueActor, providerId: string, hours: Hours) {
    yield* managedProvider(actor, providerId)
    return yield* changed(providerId, providers.setHours(providerId, hours, yield* currentDate))
  })

  /** Temporarily closed whatever the hours say (out of gas, kitchen full), until resumed. */
  const pauseProvider = Effect.fn("Catalogue.pauseProvider")(function*(actor: CatalogueActor, providerId: string) {
    yield* managedProvider(actor, providerId)
    return yield* changed(providerId, providers.setPaused(providerId, true, yield* currentDate))
  })

  const resumeProvider = Effect.fn("Catalogue.resumeProvider")(function*(actor: CatalogueActor, providerId: string) {
    yield* managedProvider(actor, providerId)
    return yield* changed(providerId, providers.setPaused(providerId, false, yield* currentDate))
  })

  return { createProvider, changeProvider, setProviderHours, pauseProvider, resumeProvider }
})
