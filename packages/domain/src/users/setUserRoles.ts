import { Effect, Option, Schema } from "effect"
import { AccountNotFound } from "../auth/errors.ts"
import type { Role, UserId } from "./User.ts"
import { UserRepository } from "./UserRepository.ts"

export class AdminRoleRequired extends Schema.TaggedError<AdminRoleRequired>()("AdminRoleRequired", {}) {}

/** An admin removing their own admin role could leave nobody able to administer NELO. */
export class CannotRemoveOwnAdminRole extends Schema.TaggedError<CannotRemoveOwnAdminRole>()("CannotRemoveOwnAdminRole", {}) {}

export const requireAdmin = (actor: { readonly roles: ReadonlyArray<Role> }) =>
  actor.roles.includes("admin") ? Effect.void : Effect.fail(new AdminRoleRequired())

/**
 * Replaces a user's roles (admins only). Takes effect on their next token refresh, at most one
 * access-token lifetime later.
 */
export const makeSetUserRoles = UserRepository.useSync((users) =>
  Effect.fn("setUserRoles")(function*(
    actor: { readonly userId: UserId; readonly roles: ReadonlyArray<Role> },
    targetId: UserId,
    roles: ReadonlyArray<Role>
  ) {
    yield* requireAdmin(actor)
    if (actor.userId === targetId && !roles.includes("admin")) return yield* new CannotRemoveOwnAdminRole()
    const updated = yield* users.setRoles(targetId, [...new Set(roles)])
    if (Option.isNone(updated)) return yield* new AccountNotFound()
    return updated.value
  }))
