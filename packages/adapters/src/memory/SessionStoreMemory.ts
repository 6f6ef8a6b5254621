import { Effect, Layer } from "effect"
import type { Session } from "@nelo/domain/auth/Session"
import { type RotationOutcome, SessionStore } from "@nelo/domain/auth/SessionStore"

interface StoredSession {
  readonly session: Session
  readonly revokedAt: Date | null
}

/**
 * In-memory sessions for unit tests. Each operation runs in one synchronous step, which is what
 * makes `rotate` atomic here: two rotations of one token cannot interleave.
 */
export const SessionStoreMemory = Layer.sync(SessionStore, () => {
  const sessions = new Map<string, StoredSession>()
  // Used tokens stay, as in auth.refresh_tokens, so that presenting one again is seen as reuse.
  const refreshTokens = new Map<string, { readonly sessionId: string; readonly usedAt: Date | null }>()
  const isActive = (stored: StoredSession, now: Date) => stored.revokedAt === null && stored.session.expiresAt.getTime() > now.getTime()
  const revokeStored = (stored: StoredSession, now: Date) => sessions.set(stored.session.id, { ...stored, revokedAt: now })

  return SessionStore.of({
    create: (session, refreshDigest) =>
      Effect.sync(() => {
        sessions.set(session.id, { session, revokedAt: null })
        refreshTokens.set(refreshDigest, { sessionId: session.id, usedAt: null })
      }),

    rotate: ({ refreshDigest, nextRefreshDigest, now, nextExpiresAt }) =>
      Effect.sync((): RotationOutcome => {
        const token = refreshTokens.get(refreshDigest)
        const stored = token && sessions.get(token.sessionId)
        if (!token || !stored || !isActive(stored, now)) return { _tag: "Invalid" }
        if (token.usedAt !== null) {
          revokeStored(stored, now)
          return { _tag: "Reused", sessionId: token.sessionId }
        }
        refreshTokens.set(refreshDigest, { ...token, usedAt: now })
        refreshTokens.set(nextRefreshDigest, { sessionId: token.sessionId, usedAt: null })
        const session: Session = { ...stored.session, lastUsedAt: now, expiresAt: nextExpiresAt }
        sessions.set(session.id, { ...stored, session })
        return { _tag: "Rotated", session }
      }),

    revoke: (userId, sessionId, now) =>
      Effect.sync(() => {
        const stored = sessions.get(sessionId)
        // Another user's session is treated as no session at all.
        if (!stored || stored.session.userId !== userId || !isActive(stored, now)) return false
        revokeStored(stored, now)
        return true
      }),

    listActive: (userId, now) =>
      Effect.sync(() =>
        [...sessions.values()]
          .filter((stored) => stored.session.userId === userId && isActive(stored, now))
          .map((stored) => stored.session)
          .sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime() || b.id.localeCompare(a.id))
      )
  })
})
