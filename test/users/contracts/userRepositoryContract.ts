import { randomInt } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import { uuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import type { Phone } from "@nelo/domain/shared/Phone"
import { type ReferralCode, referralAlphabet, referralCodeLength, type UserId } from "@nelo/domain/users/User"
import { type NewUser, UserRepository } from "@nelo/domain/users/UserRepository"

// The run's database is shared with other test files: every user gets a phone and a code of its own.
export const randomPhone = () => `+22507${String(randomInt(100_000_000)).padStart(8, "0")}` as Phone

export const randomReferralCode = () =>
  Array.from({ length: referralCodeLength }, () => referralAlphabet[randomInt(referralAlphabet.length)]).join("") as ReferralCode

export const makeNewUser = (overrides: Partial<NewUser> = {}): NewUser => ({
  id: uuidV7(Date.now()) as UserId,
  phone: randomPhone(),
  fullName: "Awa Koné",
  language: "fr",
  roles: ["client"],
  referralCode: randomReferralCode(),
  referredBy: null,
  passwordHash: null,
  createdAt: new Date(),
  ...overrides
})

/** One suite, run against every UserRepository adapter: they must behave the same. */
export const userRepositoryContract = (name: string, repositoryLayer: Layer.Layer<UserRepository, unknown>) =>
  layer(repositoryLayer, { excludeTestServices: true })(`UserRepository contract: ${name}`, (it) => {
    it.effect("a created user is found by id, by phone and by referral code", () =>
      Effect.gen(function*() {
        const users = yield* UserRepository
        const newUser = makeNewUser({ roles: ["client", "driver"], language: "en" })
        const created = yield* users.create(newUser)
        assert.deepStrictEqual(created, {
          id: newUser.id,
          phone: newUser.phone,
          fullName: newUser.fullName,
          email: null,
          language: "en",
          roles: ["client", "driver"],
          referralCode: newUser.referralCode,
          referredBy: null,
          hasPassword: false,
          hasPin: false,
          avatarKey: null,
          createdAt: newUser.createdAt
        })
        assert.deepStrictEqual(yield* users.findById(newUser.id), Option.some(created))
        assert.deepStrictEqual(yield* users.findByPhone(newUser.phone), Option.some(created))
        // Several at once: the known ones, each once, whatever unknown or malformed ids come along.
        const found = yield* users.findByIds([newUser.id, newUser.id, uuidV7(Date.now()) as UserId, "not-a-uuid" as UserId])
        assert.deepStrictEqual(found, [created])
        assert.deepStrictEqual(yield* users.findByReferralCode(newUser.referralCode), Option.some(newUser.id))
      }))

    it.effect("unknown ids, phones and codes find nothing", () =>
      Effect.gen(function*() {
        const users = yield* UserRepository
        assert.isTrue(Option.isNone(yield* users.findById(uuidV7(Date.now()) as UserId)))
        assert.isTrue(Option.isNone(yield* users.findByPhone(randomPhone())))
        assert.isTrue(Option.isNone(yield* users.findByReferralCode(randomReferralCode())))
        assert.isTrue(Option.isNone(yield* users.passwordHashOf(randomPhone())))
      }))

    it.effect("a phone registers once; a second account with it is PhoneAlreadyRegistered", () =>
      Effect.gen(function*() {
        const users = yield* UserRepository
        const first = yield* users.create(makeNewUser())
        const error = yield* Effect.flip(users.create(makeNewUser({ phone: first.phone })))
        assert.strictEqual(error._tag, "PhoneAlreadyRegistered")
      }))

    it.effect("a referral code drawn twice is ReferralCodeTaken, so the caller can draw again", () =>
      Effect.gen(function*() {
        const users = yield* UserRepository
        const first = yield* users.create(makeNewUser())
        const second = makeNewUser({ referralCode: first.referralCode })
        const error = yield* Effect.flip(users.create(second))
        assert.strictEqual(error._tag, "ReferralCodeTaken")
        assert.isTrue(Option.isNone(yield* users.findByPhone(second.phone)), "nothing of the refused account is kept")
      }))

    it.effect("the referrer is recorded", () =>
      Effect.gen(function*() {
        const users = yield* UserRepository
        const referrer = yield* users.create(makeNewUser())
        const referred = yield* users.create(makeNewUser({ referredBy: referrer.id }))
        assert.strictEqual(referred.referredBy, referrer.id)
        assert.strictEqual(Option.getOrThrow(yield* users.findById(referred.id)).referredBy, referrer.id)
      }))

    it.effect("the password hash is only read through passwordHashOf; users only say whether they have one", () =>
      Effect.gen(function*() {
        const users = yield* UserRepository
        const withPassword = yield* users.create(makeNewUser({ passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA" }))
        const withoutPassword = yield* users.create(makeNewUser())
        assert.isTrue(withPassword.hasPassword)
        assert.isFalse(withoutPassword.hasPassword)
        assert.notProperty(Option.getOrThrow(yield* users.findById(withPassword.id)), "passwordHash")
        assert.deepStrictEqual(
          yield* users.passwordHashOf(withPassword.phone),
          Option.some({ userId: withPassword.id, passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA" })
        )
        assert.deepStrictEqual(yield* users.passwordHashOf(withoutPassword.phone), Option.some({ userId: withoutPassword.id, passwordHash: null }))
      }))

    it.effect("updateProfile changes only the given fields, and an explicit null email clears it", () =>
      Effect.gen(function*() {
        const users = yield* UserRepository
        const created = yield* users.create(makeNewUser())

        const renamed = Option.getOrThrow(yield* users.updateProfile(created.id, { fullName: "Awa Koné-Traoré" }))
        assert.deepStrictEqual(renamed, { ...created, fullName: "Awa Koné-Traoré" })

        const withEmail = Option.getOrThrow(yield* users.updateProfile(created.id, { email: "awa@example.ci", language: "en" }))
        assert.deepStrictEqual(withEmail, { ...renamed, email: "awa@example.ci", language: "en" })

        const unchanged = Option.getOrThrow(yield* users.updateProfile(created.id, {}))
        assert.deepStrictEqual(unchanged, withEmail)

        const cleared = Option.getOrThrow(yield* users.updateProfile(created.id, { email: null }))
        assert.deepStrictEqual(cleared, { ...withEmail, email: null })
        assert.deepStrictEqual(yield* users.findById(created.id), Option.some(cleared))
      }))

    it.effect("updateProfile of an unknown user is none", () =>
      Effect.gen(function*() {
        const users = yield* UserRepository
        assert.isTrue(Option.isNone(yield* users.updateProfile(uuidV7(Date.now()) as UserId, { fullName: "Personne" })))
        assert.isTrue(Option.isNone(yield* users.updateProfile(uuidV7(Date.now()) as UserId, {})))
      }))

    it.effect("a PIN hash is stored and read back; the user then says it has a PIN", () =>
      Effect.gen(function*() {
        const users = yield* UserRepository
        const created = yield* users.create(makeNewUser())
        assert.isNull(yield* users.pinHashOf(created.id))
        yield* users.setPinHash(created.id, "pin-hash-1")
        assert.strictEqual(yield* users.pinHashOf(created.id), "pin-hash-1")
        assert.isTrue(Option.getOrThrow(yield* users.findById(created.id)).hasPin)
        yield* users.setPinHash(created.id, "pin-hash-2")
        assert.strictEqual(yield* users.pinHashOf(created.id), "pin-hash-2")
      }))

    it.effect("the avatar key is replaced and the previous one returned (to delete its file)", () =>
      Effect.gen(function*() {
        const users = yield* UserRepository
        const created = yield* users.create(makeNewUser())
        assert.isNull(yield* users.setAvatarKey(created.id, "avatars/a/1.webp"))
        assert.strictEqual(yield* users.setAvatarKey(created.id, "avatars/a/2.webp"), "avatars/a/1.webp")
        assert.strictEqual(Option.getOrThrow(yield* users.findById(created.id)).avatarKey, "avatars/a/2.webp")
      }))

    it.effect("roles are replaced as a whole; an unknown user gives none", () =>
      Effect.gen(function*() {
        const users = yield* UserRepository
        const created = yield* users.create(makeNewUser())
        const updated = yield* users.setRoles(created.id, ["client", "provider"])
        assert.deepStrictEqual(Option.getOrThrow(updated).roles, ["client", "provider"])
        assert.deepStrictEqual(Option.getOrThrow(yield* users.findById(created.id)).roles, ["client", "provider"])
        assert.isTrue(Option.isNone(yield* users.setRoles(makeNewUser().id, ["admin"])))
      }))
  })
