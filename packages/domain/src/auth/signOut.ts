import { Clock, Effect } from "effect"
import type { UserId } from "../users/User.ts"
import { AuthPolicy } from "./AuthPolicy.ts"
import { SessionNotFound } from "./errors.ts"
import { SessionStore } from "./SessionStore.ts"
import type { AccessClaims } from "./TokenIssuer.ts"
import { TokenRevocations } from "./TokenRevocations.ts"

/** Signing out: this device, another of one's devices, and the list of them. */
export const makeSignOut = Effect.gen(function*() {
  const policy = yield* AuthPolicy
  const sessions = yield* SessionStore
  const revocations = yield* TokenRevocations

  /** Logout: the current session is revoked and the access token presented is refused from now on. */
  const logout = Effect.fn("logout")(function*(claims: AccessClaims) {
    const now = yield* Clock.currentTimeMillis
    yield* sessions.revoke(claims.userId, claims.sessionId, new Date(now))
    yield* revocations.revokeAccessToken(claims.tokenId, claims.expiresAt.getTime())
    yield* revocations.revokeSession(claims.sessionId, now + policy.accessTokenTtlMs)
  })

  /** Signs one of the user's devices out (the session manager). Another user's session is not found. */
  const revokeSession = Effect.fn("revokeSession")(function*(userId: UserId, sessionId: string) {
    const now = yield* Clock.currentTimeMillis
    const revoked = yield* sessions.revoke(userId, sessionId, new Date(now))
    if (!revoked) return yield* new SessionNotFound()
    yield* revocations.revokeSession(sessionId, now + policy.accessTokenTtlMs)
  })

  /** The user's signed-in devices. */
  const listSessions = Effect.fn("listSessions")(function*(userId: UserId) {
    return yield* sessions.listActive(userId, new Date(yield* Clock.currentTimeMillis))
  })

  return { logout, revokeSession, listSessions }
})
