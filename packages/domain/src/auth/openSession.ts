import { Clock, Effect } from "effect"
import { IdGenerator } from "../shared/IdGenerator.ts"
import type { User } from "../users/User.ts"
import { AuthCrypto } from "./AuthCrypto.ts"
import { AuthPolicy } from "./AuthPolicy.ts"
import { SessionStore } from "./SessionStore.ts"
import { TokenIssuer } from "./TokenIssuer.ts"

export interface SignedIn {
  readonly accessToken: string
  readonly accessTokenExpiresAt: Date
  readonly refreshToken: string
  readonly refreshTokenExpiresAt: Date
  readonly user: User
}

/** The refresh token is an opaque secret; only its keyed digest is stored. */
export const refreshDigestInput = (refreshToken: string) => `refresh:${refreshToken}`

/** Signs a user in on a new device: a session, its first refresh token and an access token. */
export const makeOpenSession = Effect.gen(function*() {
  const policy = yield* AuthPolicy
  const crypto = yield* AuthCrypto
  const ids = yield* IdGenerator
  const sessions = yield* SessionStore
  const tokens = yield* TokenIssuer
  return Effect.fnUntraced(function*(user: User, deviceLabel: string) {
    const now = new Date(yield* Clock.currentTimeMillis)
    const sessionId = yield* ids.uuid
    const refreshToken = yield* crypto.newSecret
    const expiresAt = new Date(now.getTime() + policy.refreshTokenTtlMs)
    yield* sessions.create(
      { id: sessionId, userId: user.id, deviceLabel, createdAt: now, lastUsedAt: now, expiresAt },
      crypto.digest(refreshDigestInput(refreshToken))
    )
    const access = yield* tokens.issueAccess({ userId: user.id, roles: user.roles, sessionId }, policy.accessTokenTtlMs)
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken,
      refreshTokenExpiresAt: expiresAt,
      user
    } satisfies SignedIn
  })
})
