import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { AuthStoreUnavailable } from "@nelo/domain/auth/errors"
import type { Session } from "@nelo/domain/auth/Session"
import { type RotationOutcome, SessionStore } from "@nelo/domain/auth/SessionStore"
import type { UserId } from "@nelo/domain/users/User"
import { isUuid } from "./isUuid.ts"

interface SessionRow {
  readonly id: string
  readonly userId: string
  readonly deviceLabel: string
  readonly createdAt: Date
  readonly lastUsedAt: Date
  readonly expiresAt: Date
}

const toSession = (row: SessionRow): Session => ({
  id: row.id,
  userId: row.userId as UserId,
  deviceLabel: row.deviceLabel,
  createdAt: row.createdAt,
  lastUsedAt: row.lastUsedAt,
  expiresAt: row.expiresAt
})

const unavailable = (cause: unknown) => new AuthStoreUnavailable({ cause })

export const SessionStorePostgres = Layer.effect(SessionStore, Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const sessionColumns = sql.literal("id, user_id, device_label, created_at, last_used_at, expires_at")

  return SessionStore.of({
    create: (session, refreshDigest) =>
      sql.withTransaction(Effect.gen(function*() {
        yield* sql`INSERT INTO auth.sessions ${sql.insert({ ...session })}`
        yield* sql`INSERT INTO auth.refresh_tokens ${sql.insert({ digest: refreshDigest, sessionId: session.id, issuedAt: session.createdAt })}`
      })).pipe(Effect.mapError(unavailable)),

    rotate: ({ refreshDigest, nextRefreshDigest, now, nextExpiresAt }) =>
      sql.withTransaction(Effect.gen(function*() {
        // Locking the token and its session serialises every rotation, reuse and revocation of
        // this session: a second request with the same token waits here, then sees it used.
        const [presented] = yield* sql<{ sessionId: string; usedAt: Date | null; revokedAt: Date | null; expiresAt: Date }>`
          SELECT t.session_id, t.used_at, s.revoked_at, s.expires_at
          FROM auth.refresh_tokens t JOIN auth.sessions s ON s.id = t.session_id
          WHERE t.digest = ${refreshDigest}
          FOR UPDATE OF t, s`
        if (!presented || presented.revokedAt !== null || presented.expiresAt.getTime() <= now.getTime()) {
          return { _tag: "Invalid" } satisfies RotationOutcome
        }
        if (presented.usedAt !== null) {
          // Returned, not failed, so the revocation commits with this transaction.
          yield* sql`
            UPDATE auth.sessions SET revoked_at = ${now}, revoked_reason = 'refresh_token_reused'
            WHERE id = ${presented.sessionId}`
          return { _tag: "Reused", sessionId: presented.sessionId } satisfies RotationOutcome
        }
        yield* sql`UPDATE auth.refresh_tokens SET used_at = ${now} WHERE digest = ${refreshDigest}`
        yield* sql`
          INSERT INTO auth.refresh_tokens (digest, session_id, issued_at)
          VALUES (${nextRefreshDigest}, ${presented.sessionId}, ${now})`
        const [session] = yield* sql<SessionRow>`
          UPDATE auth.sessions SET last_used_at = ${now}, expires_at = ${nextExpiresAt}
          WHERE id = ${presented.sessionId}
          RETURNING ${sessionColumns}`
        return { _tag: "Rotated", session: toSession(session!) } satisfies RotationOutcome
      })).pipe(Effect.mapError(unavailable)),

    revoke: (userId, sessionId, now) =>
      isUuid(sessionId)
        // The user_id condition is the authorisation: another user's session id changes nothing.
        ? sql`
            UPDATE auth.sessions SET revoked_at = ${now}, revoked_reason = 'signed_out'
            WHERE id = ${sessionId} AND user_id = ${userId} AND revoked_at IS NULL AND expires_at > ${now}
            RETURNING id`.pipe(
            Effect.map((rows) => rows.length > 0),
            Effect.mapError(unavailable)
          )
        : Effect.succeed(false),

    listActive: (userId, now) =>
      sql<SessionRow>`
        SELECT ${sessionColumns} FROM auth.sessions
        WHERE user_id = ${userId} AND revoked_at IS NULL AND expires_at > ${now}
        ORDER BY last_used_at DESC, id DESC`.pipe(
        Effect.map((rows) => rows.map(toSession)),
        Effect.mapError(unavailable)
      )
  })
}))
