import { Clock, Effect, Redacted, Schema, SynchronizedRef } from "effect"
import { importPKCS8, SignJWT } from "jose"
import { PushDeliveryFailed } from "@nelo/domain/notifications/PushSender"
import { boundedHttpRequest } from "../http/boundedHttpRequest.ts"
import type { FcmConfig } from "./FcmConfig.ts"

export class FcmCredentialsInvalid extends Schema.TaggedError<FcmCredentialsInvalid>()("FcmCredentialsInvalid", {
  message: Schema.String
}) {}

const provider = "fcm"
const messagingScope = "https://www.googleapis.com/auth/firebase.messaging"
// Google accepts assertions valid for an hour at most.
const assertionLifetimeSeconds = 3600
// A token is renewed this long before Google says it expires, so a send never races the expiry.
const tokenRenewalMarginMs = 60_000

const TokenResponse = Schema.Struct({
  access_token: Schema.String.pipe(Schema.check(Schema.isNonEmpty())),
  expires_in: Schema.Number.pipe(Schema.check(Schema.isGreaterThan(0)))
})

interface CachedToken {
  readonly value: string
  readonly expiresAtMs: number
}

/**
 * OAuth2 access tokens for a Google service account (the JWT bearer grant of RFC 7523): an
 * assertion signed RS256 with the account's private key, naming the account (iss), the FCM scope
 * and the token endpoint (aud), exchanged there for an access token. The token is cached until
 * shortly before it expires; concurrent callers wait for one exchange and share its token.
 * `get(rejected)` renews it unless another caller already replaced the rejected one.
 * A key that is not an RSA private key stops start-up.
 */
export const makeGoogleAccessToken = Effect.fnUntraced(function*(config: Pick<FcmConfig, "clientEmail" | "privateKey" | "tokenUrl" | "requestTimeoutMs">) {
  const signingKey = yield* Effect.tryPromise({
    try: () => importPKCS8(Redacted.value(config.privateKey), "RS256"),
    catch: () => new FcmCredentialsInvalid({ message: "FCM_PRIVATE_KEY: expected the RSA private_key of the service account" })
  })
  const cache = yield* SynchronizedRef.make<CachedToken | undefined>(undefined)

  const unreachable = (detail: string) => new PushDeliveryFailed({ provider, retryable: true, tokenDead: false, detail: `token endpoint: ${detail}` })

  const exchange = Effect.gen(function*() {
    const issuedAt = Math.floor((yield* Clock.currentTimeMillis) / 1000)
    const assertion = yield* Effect.promise(() =>
      new SignJWT({ scope: messagingScope })
        .setProtectedHeader({ alg: "RS256", typ: "JWT" })
        .setIssuer(config.clientEmail)
        .setAudience(config.tokenUrl)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + assertionLifetimeSeconds)
        .sign(signingKey))
    const response = yield* boundedHttpRequest(config.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }).toString()
    }, config.requestTimeoutMs, unreachable)
    if (response.status !== 200) {
      // A refused assertion (wrong key, revoked account, clock far off) is not fixed by waiting;
      // Google being down or busy is.
      return yield* new PushDeliveryFailed({
        provider,
        retryable: response.status === 429 || response.status >= 500,
        tokenDead: false,
        detail: `token endpoint: HTTP ${response.status}: ${response.body.slice(0, 300)}`
      })
    }
    const token = yield* Schema.decodeUnknownEffect(Schema.fromJsonString(TokenResponse))(response.body).pipe(
      Effect.mapError(() => new PushDeliveryFailed({ provider, retryable: true, tokenDead: false, detail: "token endpoint: unreadable token response" }))
    )
    const now = yield* Clock.currentTimeMillis
    return { value: token.access_token, expiresAtMs: now + token.expires_in * 1000 - tokenRenewalMarginMs }
  })

  return {
    get: (rejected?: string) =>
      SynchronizedRef.modifyEffect(cache, (cached) =>
        Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          if (cached !== undefined && cached.value !== rejected && cached.expiresAtMs > now) return [cached.value, cached] as const
          const fresh = yield* exchange
          return [fresh.value, fresh] as const
        }))
  }
})
