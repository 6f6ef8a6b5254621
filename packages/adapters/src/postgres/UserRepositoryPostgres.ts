import { Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import { AuthStoreUnavailable, PhoneAlreadyRegistered } from "@nelo/domain/auth/errors"
import type { Phone } from "@nelo/domain/shared/Phone"
import type { Language, ReferralCode, Role, User, UserId } from "@nelo/domain/users/User"
import { ReferralCodeTaken, UserRepository } from "@nelo/domain/users/UserRepository"
import { isUuid } from "./isUuid.ts"

// Named in migration 0002: a unique violation says which of the two was taken by its constraint.
const phoneUniqueConstraint = "users_phone_unique"
const referralCodeUniqueConstraint = "users_referral_code_unique"

interface UserRow {
  readonly id: string
  readonly phone: string
  readonly fullName: string
  readonly email: string | null
  readonly language: string
  readonly roles: ReadonlyArray<string>
  readonly referralCode: string
  readonly referredBy: string | null
  readonly hasPassword: boolean
  readonly hasPin: boolean
  readonly avatarKey: string | null
  readonly createdAt: Date
}

// The CHECK constraints of users.users guarantee the branded shapes, so rows are trusted as such.
const toUser = (row: UserRow): User => ({
  id: row.id as UserId,
  phone: row.phone as Phone,
  fullName: row.fullName,
  email: row.email,
  language: row.language as Language,
  roles: row.roles as ReadonlyArray<Role>,
  referralCode: row.referralCode as ReferralCode,
  referredBy: row.referredBy as UserId | null,
  hasPassword: row.hasPassword,
  hasPin: row.hasPin,
  avatarKey: row.avatarKey,
  createdAt: row.createdAt
})

const firstUser = (rows: ReadonlyArray<UserRow>) => Option.map(Option.fromNullishOr(rows[0]), toUser)

const unavailable = (cause: unknown) => new AuthStoreUnavailable({ cause })

const uniqueViolationError = (constraint: string, cause: unknown) => {
  if (constraint === phoneUniqueConstraint) return new PhoneAlreadyRegistered()
  if (constraint === referralCodeUniqueConstraint) return new ReferralCodeTaken()
  return unavailable(cause)
}

export const UserRepositoryPostgres = Layer.effect(UserRepository, Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // The password and PIN hashes only leave the table through passwordHashOf and pinHashOf.
  const userColumns = sql.literal(
    "id, phone, full_name, email, language, roles, referral_code, referred_by, password_hash IS NOT NULL AS has_password, pin_hash IS NOT NULL AS has_pin, avatar_key, created_at"
  )

  const findById = (id: UserId) =>
    sql<UserRow>`SELECT ${userColumns} FROM users.users WHERE id = ${id}`.pipe(
      Effect.map(firstUser),
      Effect.mapError(unavailable)
    )

  return UserRepository.of({
    findById,

    findByIds: (ids) => {
      const wellFormed = ids.filter(isUuid)
      return wellFormed.length === 0 ? Effect.succeed([]) : sql<UserRow>`SELECT ${userColumns} FROM users.users WHERE id IN ${sql.in(wellFormed)}`.pipe(
        Effect.map((rows) => rows.map(toUser)),
        Effect.mapError(unavailable)
      )
    },

    findByPhone: (phone) =>
      sql<UserRow>`SELECT ${userColumns} FROM users.users WHERE phone = ${phone}`.pipe(
        Effect.map(firstUser),
        Effect.mapError(unavailable)
      ),

    passwordHashOf: (phone) =>
      sql<{ userId: UserId; passwordHash: string | null }>`
        SELECT id AS user_id, password_hash FROM users.users WHERE phone = ${phone}`.pipe(
        Effect.map((rows) => Option.fromNullishOr(rows[0])),
        Effect.mapError(unavailable)
      ),

    findByReferralCode: (code) =>
      sql<{ id: UserId }>`SELECT id FROM users.users WHERE referral_code = ${code}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), (row) => row.id)),
        Effect.mapError(unavailable)
      ),

    create: (user) =>
      sql<UserRow>`
        INSERT INTO users.users (id, phone, full_name, language, roles, referral_code, referred_by, password_hash, created_at, updated_at)
        VALUES (${user.id}, ${user.phone}, ${user.fullName}, ${user.language}, ${user.roles}, ${user.referralCode},
                ${user.referredBy}, ${user.passwordHash}, ${user.createdAt}, ${user.createdAt})
        RETURNING ${userColumns}`.pipe(
        Effect.map((rows) => toUser(rows[0]!)),
        Effect.catchReason(
          "SqlError",
          "UniqueViolation",
          (violation, error) => Effect.fail(uniqueViolationError(violation.constraint, error)),
          (_reason, error) => Effect.fail(unavailable(error))
        )
      ),

    pinHashOf: (id) =>
      sql<{ pinHash: string | null }>`SELECT pin_hash FROM users.users WHERE id = ${id}`.pipe(
        Effect.map((rows) => rows[0]?.pinHash ?? null),
        Effect.mapError(unavailable)
      ),

    setPinHash: (id, pinHash) =>
      sql`UPDATE users.users SET pin_hash = ${pinHash}, updated_at = now() WHERE id = ${id}`.pipe(
        Effect.asVoid,
        Effect.mapError(unavailable)
      ),

    setAvatarKey: (id, key) =>
      // The previous key comes from the row as it was before this update (a self-join on the old version).
      sql<{ previous: string | null }>`
        UPDATE users.users u SET avatar_key = ${key}, updated_at = now()
        FROM (SELECT id, avatar_key FROM users.users WHERE id = ${id} FOR UPDATE) old
        WHERE u.id = old.id
        RETURNING old.avatar_key AS previous`.pipe(
        Effect.map((rows) => rows[0]?.previous ?? null),
        Effect.mapError(unavailable)
      ),

    setRoles: (id, roles) =>
      sql<UserRow>`UPDATE users.users SET roles = ${roles}, updated_at = now() WHERE id = ${id} RETURNING ${userColumns}`.pipe(
        Effect.map(firstUser),
        Effect.mapError(unavailable)
      ),

    updateProfile: (id, patch) => {
      // Only the fields present change; an explicit `email: null` is a change (it clears the email).
      const changes: Record<string, unknown> = {}
      if (patch.fullName !== undefined) changes.fullName = patch.fullName
      if (patch.email !== undefined) changes.email = patch.email
      if (patch.language !== undefined) changes.language = patch.language
      if (Object.keys(changes).length === 0) return findById(id)
      return sql<UserRow>`
        UPDATE users.users SET ${sql.update(changes)}, updated_at = now() WHERE id = ${id}
        RETURNING ${userColumns}`.pipe(
        Effect.map(firstUser),
        Effect.mapError(unavailable)
      )
    }
  })
}))
