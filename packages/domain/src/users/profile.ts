import { Effect, Option } from "effect"
import { AccountNotFound } from "../auth/errors.ts"
import type { Language, UserId } from "./User.ts"
import { UserRepository } from "./UserRepository.ts"

/** The signed-in user's own profile. (Untraced: it serves every GET /users/me; see BENCHMARKS.md.) */
export const getProfile = Effect.fnUntraced(function*(userId: UserId) {
  const user = yield* (yield* UserRepository).findById(userId)
  if (Option.isNone(user)) return yield* new AccountNotFound()
  return user.value
})

/** Changes the given fields only; `email: null` removes the address. */
export const updateProfile = Effect.fnUntraced(function*(userId: UserId, patch: {
  readonly fullName?: string
  readonly email?: string | null
  readonly language?: Language
}) {
  const user = yield* (yield* UserRepository).updateProfile(userId, patch)
  if (Option.isNone(user)) return yield* new AccountNotFound()
  return user.value
})
