import { Context, type Effect } from "effect"
import type { UserId } from "../users/User.ts"
import type { AuthStoreUnavailable } from "./errors.ts"
import type { Session } from "./Session.ts"

export type RotationOutcome =
  | { readonly _tag: "Rotated"; readonly session: Session }
  /** The digest was issued for this session and already used: the session is now revoked. */
  | { readonly _tag: "Reused"; readonly sessionId: string }
  /** Unknown digest, expired or revoked session. */
  | { readonly _tag: "Invalid" }

/**
 * Sessions and their refresh tokens (digests only). `rotate` is atomic: of two requests presenting
 * the same refresh token, one rotates and the other is a reuse.
 */
export class SessionStore extends Context.Service<SessionStore, {
  readonly create: (session: Session, refreshDigest: string) => Effect.Effect<void, AuthStoreUnavailable>
  readonly rotate: (input: {
    readonly refreshDigest: string
    readonly nextRefreshDigest: string
    readonly now: Date
    readonly nextExpiresAt: Date
  }) => Effect.Effect<RotationOutcome, AuthStoreUnavailable>
  /** Revokes a session of this user; false when there is no such active session. */
  readonly revoke: (userId: UserId, sessionId: string, now: Date) => Effect.Effect<boolean, AuthStoreUnavailable>
  readonly listActive: (userId: UserId, now: Date) => Effect.Effect<ReadonlyArray<Session>, AuthStoreUnavailable>
}>()("nelo/auth/SessionStore") {}
