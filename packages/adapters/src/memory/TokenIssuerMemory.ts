import { randomBytes, randomUUID } from "node:crypto"
import { Clock, Effect, Layer } from "effect"
import { AccessTokenInvalid, VerificationTokenInvalid } from "@nelo/domain/auth/errors"
import { type AccessClaims, TokenIssuer, type VerificationClaims } from "@nelo/domain/auth/TokenIssuer"

type Refusal = "malformed" | "signature" | "expired"

const tokenShape = /^memory\.[A-Za-z0-9_-]{43}$/u

/**
 * Opaque random tokens remembered with their claims, for unit tests: no keys to configure, and
 * time from Effect's Clock so a TestClock expires them. Refusals follow the jose adapter:
 * - not shaped like one of these tokens: "malformed" (jose: not a JWS);
 * - shaped right but never issued here, e.g. altered by one character: "signature" (jose: no key
 *   signed it);
 * - issued for the other audience (an access token as a verification token or the reverse):
 *   "malformed", checked before expiry as jose checks `aud` before `exp`;
 * - at or after its expiry: "expired".
 * Tokens are kept for the life of the layer, which is what tests and local runs need.
 */
export const TokenIssuerMemory = Layer.sync(TokenIssuer, () => {
  const accessTokens = new Map<string, AccessClaims>()
  const verificationTokens = new Map<string, VerificationClaims>()

  const issue = <Claims>(issued: Map<string, Claims>, ttlMs: number, claimsFor: (tokenId: string, expiresAt: Date) => Claims) =>
    Effect.map(Clock.currentTimeMillis, (nowMs) => {
      const token = `memory.${randomBytes(32).toString("base64url")}`
      const tokenId = randomUUID()
      const expiresAt = new Date(nowMs + ttlMs)
      issued.set(token, claimsFor(tokenId, expiresAt))
      return { token, tokenId, expiresAt }
    })

  const claimsOf = <Claims extends { readonly expiresAt: Date }>(issued: Map<string, Claims>, otherAudience: Map<string, unknown>, token: string) =>
    Effect.flatMap(Clock.currentTimeMillis, (nowMs): Effect.Effect<Claims, Refusal> => {
      if (!tokenShape.test(token)) return Effect.fail("malformed")
      const claims = issued.get(token)
      if (claims === undefined) return Effect.fail(otherAudience.has(token) ? "malformed" : "signature")
      if (claims.expiresAt.getTime() <= nowMs) return Effect.fail("expired")
      return Effect.succeed(claims)
    })

  return TokenIssuer.of({
    issueAccess: (claims, ttlMs) =>
      issue(accessTokens, ttlMs, (tokenId, expiresAt) => ({ userId: claims.userId, roles: [...claims.roles], sessionId: claims.sessionId, tokenId, expiresAt })),
    verifyAccess: (token) =>
      claimsOf(accessTokens, verificationTokens, token).pipe(Effect.mapError((reason) => new AccessTokenInvalid({ reason }))),
    issueVerification: (claims, ttlMs) =>
      issue(verificationTokens, ttlMs, (tokenId, expiresAt) => ({ phone: claims.phone, purpose: claims.purpose, tokenId, expiresAt })),
    verifyVerification: (token) =>
      claimsOf(verificationTokens, accessTokens, token).pipe(Effect.mapError(() => new VerificationTokenInvalid()))
  })
})
