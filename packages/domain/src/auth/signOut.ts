import { Clock, Effect } from "effect"
import type { UserId } from "../users/User.ts"
import { AuthPolicy } from "./AuthPolicy.ts"
import { SessionNotFound } from "./errors.ts"
import { SessionStore } from "./SessionStore.ts"
import type { AccessClaims } from "./TokenIssuer.ts"
import { TokenRevocations } from "./TokenRevocations.ts"

/** Logout: the current session is revoked and the access token presented is refused from now on. */
export const logout = Effect.fn("logout")(function*(claims: AccessClaims) {
  const policy = yield* AuthPolicy
  const now = yield* Clock.currentTimeMillis
  const revocations = yield* TokenRevocations
  yield* (yield* SessionStore).revoke(claims.userId, claims.sessionId, new Date(now))
  yield* revocations.revokeAccessToken(claims.tokenId, claims.expiresAt.getTime())
  yield* revocations.revokeSession(claims.sessionId, now + policy.accessTokenTtlMs)
})

/** Signs one of the user's devices out (the session manager). Another user's session is not found. */
export const revokeSession = Effect.fn("revokeSession")(function*(userId: UserId, sessionId: string) {
  const policy = yield* AuthPolicy
  const now = yield* Clock.currentTimeMillis
  const revoked = yield* (yield* SessionStore).revoke(userId, sessionId, new Date(now))
  if (!revoked) return yield* new SessionNotFound()
  yield* (yield* TokenRevocations).revokeSession(sessionId, now + policy.accessTokenTtlMs)
})

/** The user's signed-in devices. */
export const listSessions = Effect.fn("listSessions")(function*(userId: UserId) {
  const now = yield* Clock.currentTimeMillis
  return yield* (yield* SessionStore).listActive(userId, new Date(now))
})
