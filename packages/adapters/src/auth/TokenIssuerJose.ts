import { randomUUID } from "node:crypto"
import { Clock, Effect, Layer, Schema } from "effect"
import { errors, type JWTHeaderParameters, jwtVerify, SignJWT } from "jose"
import { AccessTokenInvalid, VerificationTokenInvalid } from "@nelo/domain/auth/errors"
import { OtpPurpose } from "@nelo/domain/auth/OtpPurpose"
import { TokenIssuer } from "@nelo/domain/auth/TokenIssuer"
import { Phone } from "@nelo/domain/shared/Phone"
import { Role, UserId } from "@nelo/domain/users/User"
import { AuthSecretsConfig } from "./AuthSecretsConfig.ts"

// Only HMAC-SHA256 is accepted: `alg: none` and every other algorithm are refused by jwtVerify,
// whatever the token's header says. Access and verification tokens have different audiences, so
// one can never be passed off as the other.
const algorithm = "HS256"
const issuer = "nelo"
const accessAudience = "nelo-api"
const verificationAudience = "nelo-phone-verification"

const AccessPayload = Schema.Struct({
  sub: UserId,
  roles: Schema.Array(Role),
  sid: Schema.String,
  jti: Schema.String,
  exp: Schema.Number
})

const VerificationPayload = Schema.Struct({
  sub: Phone,
  purpose: OtpPurpose,
  jti: Schema.String,
  exp: Schema.Number
})

export const TokenIssuerJose = Layer.effect(TokenIssuer, Effect.gen(function*() {
  const { keys, activeKeyId } = yield* AuthSecretsConfig
  const signingKey = keys.get(activeKeyId)!
  const keyFor = (header: JWTHeaderParameters) => {
    const key = header.kid === undefined ? undefined : keys.get(header.kid)
    if (!key) throw new errors.JWKSNoMatchingKey()
    return key
  }

  const sign = (claims: Record<string, unknown>, subject: string, audience: string, ttlMs: number) =>
    Effect.gen(function*() {
      const nowMs = yield* Clock.currentTimeMillis
      const tokenId = randomUUID()
      const expiresAtSeconds = Math.floor((nowMs + ttlMs) / 1000)
      const token = yield* Effect.promise(() =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: algorithm, kid: activeKeyId, typ: "JWT" })
          .setIssuer(issuer)
          .setAudience(audience)
          .setSubject(subject)
          .setJti(tokenId)
          .setIssuedAt(Math.floor(nowMs / 1000))
          .setExpirationTime(expiresAtSeconds)
          .sign(signingKey))
      return { token, tokenId, expiresAt: new Date(expiresAtSeconds * 1000) }
    })

  const verifyWith = (token: string, audience: string) =>
    Effect.gen(function*() {
      const nowMs = yield* Clock.currentTimeMillis
      return yield* Effect.tryPromise({
        try: () => jwtVerify(token, keyFor, { algorithms: [algorithm], issuer, audience, currentDate: new Date(nowMs) }),
        catch: (error) => error instanceof errors.JWTExpired ? "expired" as const : error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey ? "signature" as const : "malformed" as const
      })
    })

  return TokenIssuer.of({
    issueAccess: (claims, ttlMs) => sign({ roles: claims.roles, sid: claims.sessionId }, claims.userId, accessAudience, ttlMs),
    verifyAccess: (token) =>
      verifyWith(token, accessAudience).pipe(
        Effect.flatMap(({ payload }) => Schema.decodeUnknownEffect(AccessPayload)(payload).pipe(Effect.mapError(() => "malformed" as const))),
        Effect.map((payload) => ({ userId: payload.sub, roles: payload.roles, sessionId: payload.sid, tokenId: payload.jti, expiresAt: new Date(payload.exp * 1000) })),
        Effect.mapError((reason) => new AccessTokenInvalid({ reason }))
      ),
    issueVerification: (claims, ttlMs) => sign({ purpose: claims.purpose }, claims.phone, verificationAudience, ttlMs),
    verifyVerification: (token) =>
      verifyWith(token, verificationAudience).pipe(
        Effect.flatMap(({ payload }) => Schema.decodeUnknownEffect(VerificationPayload)(payload).pipe(Effect.mapError(() => "malformed" as const))),
        Effect.map((payload) => ({ phone: payload.sub, purpose: payload.purpose, tokenId: payload.jti, expiresAt: new Date(payload.exp * 1000) })),
        Effect.mapError(() => new VerificationTokenInvalid())
      )
  })
}))
