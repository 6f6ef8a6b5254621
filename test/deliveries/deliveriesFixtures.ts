import { Effect, Layer, Option } from "effect"
import { DriverRepositoryMemory } from "@nelo/adapters/memory/DriverRepositoryMemory"
import { LedgerMemory } from "@nelo/adapters/memory/LedgerMemory"
import { DeliveryRepositoryMemory } from "@nelo/adapters/memory/DeliveryRepositoryMemory"
import { KycRepositoryMemory } from "@nelo/adapters/memory/KycRepositoryMemory"
import { LivePositionsMemory } from "@nelo/adapters/memory/LivePositionsMemory"
import { TransactionalMemory } from "@nelo/adapters/memory/memoryTransaction"
import { OutboxStoreMemory } from "@nelo/adapters/memory/OutboxStoreMemory"
import { UserRepositoryMemory } from "@nelo/adapters/memory/UserRepositoryMemory"
import { ZoneRepositoryMemory } from "@nelo/adapters/memory/ZoneRepositoryMemory"
import { IdGeneratorUuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { DriverPolicy } from "@nelo/domain/deliveries/DriverPolicy"
import { Drivers } from "@nelo/domain/deliveries/Drivers"
import type { Vehicle } from "@nelo/domain/deliveries/Vehicle"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { ZoneRepository } from "@nelo/domain/geo/ZoneRepository"
import { KycRepository } from "@nelo/domain/users/KycRepository"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { makeNewUser } from "../users/contracts/userRepositoryContract.ts"

/** The deliveries context on the memory adapters, Tiassalé's zones seeded, the policies' defaults. */
export const deliveriesContext = () => {
  const zones = Layer.effectDiscard(Effect.asVoid(seedCity(tiassale))).pipe(Layer.provideMerge(ZoneRepositoryMemory))
  return Drivers.layer.pipe(Layer.provideMerge(Layer.mergeAll(
    DriverRepositoryMemory,
    LivePositionsMemory,
    UserRepositoryMemory,
    KycRepositoryMemory,
    TransactionalMemory,
    OutboxStoreMemory,
    IdGeneratorUuidV7,
    LedgerMemory,
    DeliveryRepositoryMemory,
    DriverPolicy.defaults,
    zones
  )))
}

/** A registered driver (a motorbike in Baoulékro), their KYC approved unless asked otherwise. */
export const aDriver = (options: { readonly vehicle?: Vehicle; readonly approved?: boolean } = {}) =>
  Effect.gen(function*() {
    const user = yield* (yield* UserRepository).create(makeNewUser())
    const zone = Option.getOrThrow(yield* (yield* ZoneRepository).zoneAt({ lat: 5.89, lng: -4.833 }))
    const viewer = { userId: user.id, roles: user.roles }
    yield* (yield* Drivers).register(viewer, { vehicle: options.vehicle ?? "motorbike", plate: null, zoneId: zone.zoneId })
    if (options.approved !== false) {
      const kyc = yield* KycRepository
      yield* kyc.addDocument({ id: crypto.randomUUID(), userId: user.id, type: "driving_licence", storageKey: `kyc/${user.id}/licence.pdf`, contentType: "application/pdf", sizeBytes: 1_000, uploadedAt: new Date(0) })
      yield* kyc.review(user.id, { status: "approved" }, new Date(0))
    }
    return { ...viewer, phone: user.phone }
  })
