import { Clock, Effect, Option, Result } from "effect"
import { AccountNotFound, PhoneInvalid } from "../auth/errors.ts"
import { parsePhone } from "../shared/Phone.ts"
import { makeCreateUser } from "./createUser.ts"
import type { Role } from "./User.ts"
import { UserRepository } from "./UserRepository.ts"

// These use cases serve the admin CLI, whose operator is trusted by having the database's keys:
// there is no acting user to check, unlike setUserRoles over HTTP.

const phoneOf = (input: string) =>
  Result.match(parsePhone(input), { onFailure: (reason) => Effect.fail(new PhoneInvalid({ reason })), onSuccess: Effect.succeed })

/** The admin CLI's account commands. */
export const makeAdministerUsers = Effect.gen(function*() {
  const users = yield* UserRepository
  const createUser = yield* makeCreateUser

  /**
   * Makes the person at this phone an admin: adds the role to an existing account, or creates the
   * account (they sign in by SMS code, so no password is needed). Running it twice changes nothing.
   */
  const grantAdmin = Effect.fn("grantAdmin")(function*(phoneInput: string, fullName: string) {
    const phone = yield* phoneOf(phoneInput)
    const existing = yield* users.findByPhone(phone)
    if (Option.isSome(existing)) {
      if (existing.value.roles.includes("admin")) return { user: existing.value, outcome: "unchanged" as const }
      const updated = yield* users.setRoles(existing.value.id, [...existing.value.roles, "admin"])
      return { user: Option.getOrThrow(updated), outcome: "promoted" as const }
    }
    const user = yield* createUser({
      phone,
      fullName,
      language: "fr",
      roles: ["client", "admin"],
      referredBy: null,
      passwordHash: null,
      createdAt: new Date(yield* Clock.currentTimeMillis)
    })
    return { user, outcome: "created" as const }
  })

  /** The account at this phone, for `users roles`. */
  const findByPhone = Effect.fn("findUserByPhone")(function*(phoneInput: string) {
    const user = yield* users.findByPhone(yield* phoneOf(phoneInput))
    if (Option.isNone(user)) return yield* new AccountNotFound()
    return user.value
  })

  /** Replaces the roles of the account at this phone. */
  const assignRoles = Effect.fn("assignRoles")(function*(phoneInput: string, roles: ReadonlyArray<Role>) {
    const user = yield* findByPhone(phoneInput)
    const updated = yield* users.setRoles(user.id, [...new Set(roles)])
    return Option.getOrThrow(updated)
  })

  return { grantAdmin, findByPhone, assignRoles }
})
