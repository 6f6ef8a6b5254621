import { Context, type Effect } from "effect"
import type { AuthStoreUnavailable } from "./errors.ts"

/**
 * What makes a still-unexpired token worthless: a logged-out access token, a revoked session,
 * a verification token already used. Kept until the tokens concerned would have expired anyway.
 */
export class TokenRevocations extends Context.Service<TokenRevocations, {
  readonly revokeAccessToken: (tokenId: string, untilMs: number) => Effect.Effect<void, AuthStoreUnavailable>
  readonly revokeSession: (sessionId: string, untilMs: number) => Effect.Effect<void, AuthStoreUnavailable>
  readonly isRevoked: (claims: { readonly tokenId: string; readonly sessionId: string }) => Effect.Effect<boolean, AuthStoreUnavailable>
  /** True the first time an id is presented, false afterwards (until `ttlMs` has passed). */
  readonly consumeOnce: (tokenId: string, ttlMs: number) => Effect.Effect<boolean, AuthStoreUnavailable>
}>()("nelo/auth/TokenRevocations") {}
