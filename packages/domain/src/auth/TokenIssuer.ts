import { Context, type Effect } from "effect"
import type { Role, UserId } from "../users/User.ts"
import type { Phone } from "../shared/Phone.ts"
import type { AccessTokenInvalid, VerificationTokenInvalid } from "./errors.ts"
import type { OtpPurpose } from "./OtpPurpose.ts"

export interface AccessClaims {
  readonly userId: UserId
  readonly roles: ReadonlyArray<Role>
  readonly sessionId: string
  readonly tokenId: string
  readonly expiresAt: Date
}

export interface VerificationClaims {
  readonly phone: Phone
  readonly purpose: OtpPurpose
  readonly tokenId: string
  readonly expiresAt: Date
}

export interface IssuedToken {
  readonly token: string
  readonly tokenId: string
  readonly expiresAt: Date
}

/** Signed, self-contained tokens: short-lived access tokens and proofs that a phone was verified. */
export class TokenIssuer extends Context.Service<TokenIssuer, {
  readonly issueAccess: (claims: { readonly userId: UserId; readonly roles: ReadonlyArray<Role>; readonly sessionId: string }, ttlMs: number) => Effect.Effect<IssuedToken>
  readonly verifyAccess: (token: string) => Effect.Effect<AccessClaims, AccessTokenInvalid>
  readonly issueVerification: (claims: { readonly phone: Phone; readonly purpose: OtpPurpose }, ttlMs: number) => Effect.Effect<IssuedToken>
  readonly verifyVerification: (token: string) => Effect.Effect<VerificationClaims, VerificationTokenInvalid>
}>()("nelo/auth/TokenIssuer") {}
