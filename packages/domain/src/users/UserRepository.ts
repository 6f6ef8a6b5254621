import { Context, type Effect, type Option, Schema } from "effect"
import type { PhoneAlreadyRegistered, AuthStoreUnavailable } from "../auth/errors.ts"
import type { Phone } from "../shared/Phone.ts"
import type { Language, ReferralCode, Role, User, UserId } from "./User.ts"

export interface NewUser {
  readonly id: UserId
  readonly phone: Phone
  readonly fullName: string
  readonly language: Language
  readonly roles: ReadonlyArray<Role>
  readonly referralCode: ReferralCode
  readonly referredBy: UserId | null
  readonly passwordHash: string | null
  readonly createdAt: Date
}

export class ReferralCodeTaken extends Schema.TaggedError<ReferralCodeTaken>()("ReferralCodeTaken", {}) {}

export class UserRepository extends Context.Service<UserRepository, {
  readonly findById: (id: UserId) => Effect.Effect<Option.Option<User>, AuthStoreUnavailable>
  readonly findByPhone: (phone: Phone) => Effect.Effect<Option.Option<User>, AuthStoreUnavailable>
  /** The users among these ids that exist (one read for a page of them, e.g. counterparties). */
  readonly findByIds: (ids: ReadonlyArray<UserId>) => Effect.Effect<ReadonlyArray<User>, AuthStoreUnavailable>
  readonly passwordHashOf: (phone: Phone) => Effect.Effect<Option.Option<{ readonly userId: UserId; readonly passwordHash: string | null }>, AuthStoreUnavailable>
  readonly findByReferralCode: (code: ReferralCode) => Effect.Effect<Option.Option<UserId>, AuthStoreUnavailable>
  /** Fails with ReferralCodeTaken on the (rare) collision of a generated code: the caller draws again. */
  readonly create: (user: NewUser) => Effect.Effect<User, PhoneAlreadyRegistered | ReferralCodeTaken | AuthStoreUnavailable>
  /** The PIN's hash: null when the user has none (or does not exist). */
  readonly pinHashOf: (id: UserId) => Effect.Effect<string | null, AuthStoreUnavailable>
  readonly setPinHash: (id: UserId, pinHash: string) => Effect.Effect<void, AuthStoreUnavailable>
  /** Points the user at a new photo; returns the previous key (to delete), or null. */
  readonly setAvatarKey: (id: UserId, key: string) => Effect.Effect<string | null, AuthStoreUnavailable>
  readonly setRoles: (id: UserId, roles: ReadonlyArray<Role>) => Effect.Effect<Option.Option<User>, AuthStoreUnavailable>
  readonly updateProfile: (id: UserId, patch: { readonly fullName?: string; readonly email?: string | null; readonly language?: Language }) => Effect.Effect<Option.Option<User>, AuthStoreUnavailable>
}>()("nelo/users/UserRepository") {}
