import { Effect, Option } from "effect"
import { AccountNotFound } from "../auth/errors.ts"
import type { Language, UserId } from "./User.ts"
import { UserRepository } from "./UserRepository.ts"

/**
 * The signed-in user's own profile. Built once with its port: GET /users/me is the most frequent
 * authenticated call, so it resolves nothing and records no span per call (BENCHMARKS.md).
 */
export const makeProfiles = Effect.gen(function*() {
  const users = yield* UserRepository
  return {
    get: Effect.fnUntraced(function*(userId: UserId) {
      const user = yield* users.findById(userId)
      if (Option.isNone(user)) return yield* new AccountNotFound()
      return user.value
    }),
    /** Changes the given fields only; `email: null` removes the address. */
    update: Effect.fnUntraced(function*(userId: UserId, patch: {
      readonly fullName?: string
      readonly email?: string | null
      readonly language?: Language
    }) {
      const user = yield* users.updateProfile(userId, patch)
      if (Option.isNone(user)) return yield* new AccountNotFound()
      return user.value
    })
  }
})
