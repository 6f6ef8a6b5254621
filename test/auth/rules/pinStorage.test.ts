import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { PasswordHasher } from "@nelo/domain/auth/PasswordHasher"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { WalletPolicy } from "@nelo/domain/wallet/WalletPolicy"
import { atThursdayMorning, person, setPin, verifyPin, walletContext } from "../../wallet/walletFixtures.ts"

describe("PIN storage", () => {
  it.effect("a PIN is stored as a keyed digest, never in clear nor as its bare hash; the same PIN of two people differs", () =>
    Effect.gen(function*() {
      yield* atThursdayMorning
      const aya = yield* person("Aya Kouassi")
      const koffi = yield* person("Koffi Yao")
      const users = yield* UserRepository
      const [ayaStored, koffiStored] = [yield* users.pinHashOf(aya.id), yield* users.pinHashOf(koffi.id)]
      assert.match(ayaStored!, /^hmac-sha256:[0-9a-f]{64}$/u)
      assert.notInclude(ayaStored!, "2580")
      // Both chose 2580 (the fixtures' PIN): bound to the person, the digests differ.
      assert.notStrictEqual(ayaStored, koffiStored)
      yield* verifyPin(aya.id, "2580")
      assert.isTrue(Exit.isFailure(yield* Effect.exit(verifyPin(aya.id, "2581"))))
    }).pipe(Effect.provide(walletContext(WalletPolicy.defaults))))

  it.effect("a PIN stored earlier with the password hasher still works, and is re-stored keyed on its first success", () =>
    Effect.gen(function*() {
      yield* atThursdayMorning
      const aya = yield* person("Aya Kouassi")
      const users = yield* UserRepository
      yield* users.setPinHash(aya.id, yield* (yield* PasswordHasher).hash("4827"))
      assert.isTrue(Exit.isFailure(yield* Effect.exit(verifyPin(aya.id, "4828"))))
      assert.notMatch((yield* users.pinHashOf(aya.id))!, /^hmac-sha256:/u, "a wrong PIN upgrades nothing")
      yield* verifyPin(aya.id, "4827")
      assert.match((yield* users.pinHashOf(aya.id))!, /^hmac-sha256:/u)
      yield* verifyPin(aya.id, "4827")
      // And changing it goes through the current one, as before.
      yield* setPin(aya.id, { pin: "7391", currentPin: "4827" })
      yield* verifyPin(aya.id, "7391")
    }).pipe(Effect.provide(walletContext(WalletPolicy.defaults))))
})
