import { Effect, Layer, Option } from "effect"
import { ZoneRepository } from "@nelo/domain/geo/ZoneRepository"
import { AuthStoreUnavailable } from "@nelo/domain/auth/errors"
import type { GeoPoint } from "@nelo/domain/geo/GeoPoint"
import type { Address } from "@nelo/domain/users/Address"
import { AddressRepository } from "@nelo/domain/users/AddressRepository"
import type { UserId } from "@nelo/domain/users/User"

/** In-memory addresses for unit tests; zones come from whatever ZoneRepository is provided. */
export const AddressRepositoryMemory = Layer.effect(AddressRepository, Effect.gen(function*() {
  const zones = yield* ZoneRepository
  const addresses = new Map<string, Address>()
  const owned = (userId: UserId) =>
    [...addresses.values()]
      .filter((address) => address.userId === userId)
      .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || b.updatedAt.getTime() - a.updatedAt.getTime())
  const zoneOf = (point: GeoPoint) =>
    zones.zoneAt(point).pipe(
      Effect.map(Option.match({ onNone: () => null, onSome: (zone) => ({ id: zone.zoneId, slug: zone.zoneSlug, name: zone.zoneName }) })),
      Effect.mapError((error) => new AuthStoreUnavailable({ cause: error }))
    )
  const clearDefault = (userId: UserId) => {
    for (const address of owned(userId)) if (address.isDefault) addresses.set(address.id, { ...address, isDefault: false })
  }

  return AddressRepository.of({
    list: (userId) => Effect.sync(() => owned(userId)),
    count: (userId) => Effect.sync(() => owned(userId).length),
    create: (input) =>
      Effect.gen(function*() {
        const zone = yield* zoneOf(input.location)
        if (input.isDefault) clearDefault(input.userId)
        const address: Address = {
          id: input.id,
          userId: input.userId,
          label: input.label,
          location: input.location,
          landmark: input.landmark,
          isDefault: input.isDefault,
          zone,
          createdAt: input.now,
          updatedAt: input.now
        }
        addresses.set(address.id, address)
        return address
      }),
    update: (userId, id, patch) =>
      Effect.gen(function*() {
        const existing = addresses.get(id)
        if (!existing || existing.userId !== userId) return Option.none<Address>()
        const location = patch.location ?? existing.location
        const zone = yield* zoneOf(location)
        if (patch.isDefault === true) clearDefault(userId)
        const updated: Address = {
          ...existing,
          label: patch.label ?? existing.label,
          landmark: patch.landmark ?? existing.landmark,
          location,
          zone,
          isDefault: patch.isDefault === true || existing.isDefault,
          updatedAt: patch.now
        }
        addresses.set(id, updated)
        return Option.some(updated)
      }),
    delete: (userId, id) =>
      Effect.sync(() => {
        const existing = addresses.get(id)
        if (!existing || existing.userId !== userId) return false
        addresses.delete(id)
        const next = owned(userId)[0]
        if (existing.isDefault && next) addresses.set(next.id, { ...next, isDefault: true })
        return true
      })
  })
}))
