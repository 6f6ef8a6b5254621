import { Clock, Effect, Option } from "effect"
import { UserRepository } from "../users/UserRepository.ts"
import { AuthCrypto } from "./AuthCrypto.ts"
import { AuthPolicy } from "./AuthPolicy.ts"
import { RefreshTokenInvalid, RefreshTokenReused } from "./errors.ts"
import { refreshDigestInput } from "./openSession.ts"
import { SessionStore } from "./SessionStore.ts"
import { TokenIssuer } from "./TokenIssuer.ts"
import { TokenRevocations } from "./TokenRevocations.ts"

/**
 * Trades a refresh token for a new pair; the presented token is used up (rotation). A token that
 * was already used means a copy exists somewhere: the session is revoked at once, access tokens
 * included, and the device must sign in again. Untraced: every app refreshes every 15 minutes.
 */
export const makeRefreshSession = Effect.gen(function*() {
  const policy = yield* AuthPolicy
  const crypto = yield* AuthCrypto
  const sessions = yield* SessionStore
  const revocations = yield* TokenRevocations
  const users = yield* UserRepository
  const tokens = yield* TokenIssuer
  return Effect.fnUntraced(function*(refreshToken: string) {
    const now = new Date(yield* Clock.currentTimeMillis)
    const nextRefreshToken = yield* crypto.newSecret
    const outcome = yield* sessions.rotate({
      refreshDigest: crypto.digest(refreshDigestInput(refreshToken)),
      nextRefreshDigest: crypto.digest(refreshDigestInput(nextRefreshToken)),
      now,
      nextExpiresAt: new Date(now.getTime() + policy.refreshTokenTtlMs)
    })
    if (outcome._tag === "Invalid") return yield* new RefreshTokenInvalid()
    if (outcome._tag === "Reused") {
      yield* revocations.revokeSession(outcome.sessionId, now.getTime() + policy.accessTokenTtlMs)
      return yield* new RefreshTokenReused()
    }
    // Roles may have changed since sign-in: the new access token carries the current ones.
    const user = yield* users.findById(outcome.session.userId)
    if (Option.isNone(user)) return yield* new RefreshTokenInvalid()
    const access = yield* tokens.issueAccess({ userId: user.value.id, roles: user.value.roles, sessionId: outcome.session.id }, policy.accessTokenTtlMs)
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: nextRefreshToken,
      refreshTokenExpiresAt: outcome.session.expiresAt,
      user: user.value
    }
  })
})
