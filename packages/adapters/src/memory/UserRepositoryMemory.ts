import { Effect, Layer, Option } from "effect"
import { AuthStoreUnavailable, PhoneAlreadyRegistered } from "@nelo/domain/auth/errors"
import type { User, UserId } from "@nelo/domain/users/User"
import { ReferralCodeTaken, UserRepository } from "@nelo/domain/users/UserRepository"

/**
 * In-memory users for unit tests. It refuses what the users.users constraints refuse, so a use
 * case that passes against it does not break on Postgres.
 */
export const UserRepositoryMemory = Layer.sync(UserRepository, () => {
  const users = new Map<UserId, { readonly user: User; readonly passwordHash: string | null; readonly pinHash: string | null }>()
  const find = (matches: (user: User) => boolean) => Option.fromNullishOr([...users.values()].find((entry) => matches(entry.user)))
  const rejected = (reason: string) => Effect.fail(new AuthStoreUnavailable({ cause: new Error(reason) }))

  return UserRepository.of({
    findById: (id) => Effect.sync(() => Option.map(Option.fromNullishOr(users.get(id)), (entry) => entry.user)),
    findByIds: (ids) => Effect.sync(() => [...new Set(ids)].flatMap((id) => { const entry = users.get(id); return entry === undefined ? [] : [entry.user] })),

    findByPhone: (phone) => Effect.sync(() => Option.map(find((user) => user.phone === phone), (entry) => entry.user)),

    passwordHashOf: (phone) =>
      Effect.sync(() => Option.map(find((user) => user.phone === phone), (entry) => ({ userId: entry.user.id, passwordHash: entry.passwordHash }))),

    findByReferralCode: (code) => Effect.sync(() => Option.map(find((user) => user.referralCode === code), (entry) => entry.user.id)),

    create: (newUser) =>
      Effect.suspend((): Effect.Effect<User, PhoneAlreadyRegistered | ReferralCodeTaken | AuthStoreUnavailable> => {
        if (newUser.referredBy === newUser.id) return rejected("a user cannot refer themselves")
        if (users.has(newUser.id)) return rejected(`user id ${newUser.id} is taken`)
        if (Option.isSome(find((user) => user.phone === newUser.phone))) return Effect.fail(new PhoneAlreadyRegistered())
        if (Option.isSome(find((user) => user.referralCode === newUser.referralCode))) return Effect.fail(new ReferralCodeTaken())
        if (newUser.referredBy !== null && !users.has(newUser.referredBy)) return rejected(`referrer ${newUser.referredBy} does not exist`)
        const { passwordHash, ...fields } = newUser
        const user: User = { ...fields, email: null, hasPassword: passwordHash !== null, hasPin: false, avatarKey: null }
        users.set(user.id, { user, passwordHash, pinHash: null })
        return Effect.succeed(user)
      }),

    pinHashOf: (id) => Effect.sync(() => users.get(id)?.pinHash ?? null),

    setPinHash: (id, pinHash) =>
      Effect.sync(() => {
        const entry = users.get(id)
        if (entry) users.set(id, { ...entry, pinHash, user: { ...entry.user, hasPin: true } })
      }),

    setAvatarKey: (id, key) =>
      Effect.sync(() => {
        const entry = users.get(id)
        if (!entry) return null
        users.set(id, { ...entry, user: { ...entry.user, avatarKey: key } })
        return entry.user.avatarKey
      }),

    setRoles: (id, roles) =>
      Effect.sync(() => {
        const entry = users.get(id)
        if (!entry) return Option.none()
        const user: User = { ...entry.user, roles }
        users.set(id, { ...entry, user })
        return Option.some(user)
      }),

    updateProfile: (id, patch) =>
      Effect.sync(() => {
        const entry = users.get(id)
        if (!entry) return Option.none()
        const user: User = {
          ...entry.user,
          ...(patch.fullName !== undefined && { fullName: patch.fullName }),
          ...(patch.email !== undefined && { email: patch.email }),
          ...(patch.language !== undefined && { language: patch.language })
        }
        users.set(id, { ...entry, user })
        return Option.some(user)
      })
  })
})
