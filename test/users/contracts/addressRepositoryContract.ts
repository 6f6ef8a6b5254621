import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import { uuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import type { ZoneRepository } from "@nelo/domain/geo/ZoneRepository"
import { AddressRepository } from "@nelo/domain/users/AddressRepository"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { makeNewUser } from "./userRepositoryContract.ts"

// Points of the seeded Tiassalé zones (see packages/domain/src/geo/tiassale.ts) and one outside.
const inBaoulekro = { lat: 5.89, lng: -4.833 }
const inNdouci = { lat: 5.8667, lng: -4.7667 }
const atSea = { lat: 4.5, lng: -4.0 }

const newOwner = Effect.gen(function*() {
  return (yield* (yield* UserRepository).create(makeNewUser())).id
})

const fields = (location: { lat: number; lng: number }, label = "Maison") => ({ label, location, landmark: "derrière la pharmacie, portail bleu" })

/** One suite, run against every AddressRepository adapter. */
export const addressRepositoryContract = (name: string, repositoryLayer: Layer.Layer<AddressRepository | UserRepository | ZoneRepository, unknown>) =>
  layer(repositoryLayer, { excludeTestServices: true })(`AddressRepository contract: ${name}`, (it) => {
    it.effect("an address resolves its zone from its point, and to none outside every zone", () =>
      Effect.gen(function*() {
        yield* seedCity(tiassale)
        const addresses = yield* AddressRepository
        const owner = yield* newOwner
        const home = yield* addresses.create({ ...fields(inBaoulekro), id: uuidV7(Date.now()), userId: owner, isDefault: true, now: new Date() })
        assert.strictEqual(home.zone?.slug, "baoulekro")
        assert.deepStrictEqual(home.location, inBaoulekro)
        const boat = yield* addresses.create({ ...fields(atSea, "Bateau"), id: uuidV7(Date.now()), userId: owner, isDefault: false, now: new Date() })
        assert.isNull(boat.zone)
        const moved = yield* addresses.update(owner, boat.id, { location: inNdouci, now: new Date() })
        assert.strictEqual(Option.getOrThrow(moved).zone?.slug, "ndouci")
      }))

    it.effect("one default at most: setting a new default clears the old one; deleting the default promotes another", () =>
      Effect.gen(function*() {
        yield* seedCity(tiassale)
        const addresses = yield* AddressRepository
        const owner = yield* newOwner
        const first = yield* addresses.create({ ...fields(inBaoulekro), id: uuidV7(Date.now()), userId: owner, isDefault: true, now: new Date(1_000) })
        const second = yield* addresses.create({ ...fields(inNdouci, "Travail"), id: uuidV7(Date.now()), userId: owner, isDefault: true, now: new Date(2_000) })
        let all = yield* addresses.list(owner)
        assert.deepStrictEqual(all.filter((address) => address.isDefault).map((address) => address.id), [second.id])
        yield* addresses.update(owner, first.id, { isDefault: true, now: new Date(3_000) })
        all = yield* addresses.list(owner)
        assert.deepStrictEqual(all.filter((address) => address.isDefault).map((address) => address.id), [first.id])
        assert.isTrue(yield* addresses.delete(owner, first.id))
        all = yield* addresses.list(owner)
        assert.deepStrictEqual(all.map((address) => [address.id, address.isDefault]), [[second.id, true]])
        assert.strictEqual(yield* addresses.count(owner), 1)
      }))

    it.effect("another user's address is not found: not listed, not updated, not deleted", () =>
      Effect.gen(function*() {
        yield* seedCity(tiassale)
        const addresses = yield* AddressRepository
        const alice = yield* newOwner
        const bob = yield* newOwner
        const home = yield* addresses.create({ ...fields(inBaoulekro), id: uuidV7(Date.now()), userId: alice, isDefault: true, now: new Date() })
        assert.deepStrictEqual(yield* addresses.list(bob), [])
        assert.isTrue(Option.isNone(yield* addresses.update(bob, home.id, { label: "Volée", now: new Date() })))
        assert.isFalse(yield* addresses.delete(bob, home.id))
        assert.isFalse(yield* addresses.delete(alice, "not-a-uuid"))
        assert.strictEqual((yield* addresses.list(alice))[0]?.label, "Maison")
      }))
  })
