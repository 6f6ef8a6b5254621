import { Clock, Effect, Layer, Redacted, Schema, SynchronizedRef } from "effect"
import { SmsDeliveryFailed, SmsSender } from "@nelo/domain/notifications/SmsSender"
import { OrangeSmsConfig } from "./OrangeSmsConfig.ts"
import { basicAuthorization, providerRefused, smsHttpRequest } from "./smsHttpRequest.ts"

const provider = "orange"

const TokenResponse = Schema.Struct({ access_token: Schema.String, expires_in: Schema.Number })

// A token is renewed this long before Orange says it expires, so a send never races the expiry.
const tokenRenewalMarginMs = 60_000

interface CachedToken {
  readonly value: string
  readonly expiresAtMs: number
}

/**
 * Orange SMS API: an OAuth2 client-credentials token (cached until shortly before it expires,
 * shared by concurrent sends), then POST .../outbound/tel:+<sender>/requests, 201 on success.
 * A 401 on send means the token was revoked early: it is renewed once and the send retried.
 */
export const SmsSenderOrange = Layer.effect(SmsSender, Effect.gen(function*() {
  const config = yield* OrangeSmsConfig
  const cache = yield* SynchronizedRef.make<CachedToken | undefined>(undefined)

  const fetchToken = Effect.gen(function*() {
    const response = yield* smsHttpRequest(provider, `${config.baseUrl}/oauth/v3/token`, {
      method: "POST",
      headers: {
        authorization: basicAuthorization(config.clientId, Redacted.value(config.clientSecret)),
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json"
      },
      body: "grant_type=client_credentials"
    }, config.requestTimeoutMs)
    if (response.status !== 200) return yield* providerRefused(provider, response)
    const token = yield* Schema.decodeUnknownEffect(Schema.fromJsonString(TokenResponse))(response.body).pipe(
      Effect.mapError(() => new SmsDeliveryFailed({ provider, retryable: true, detail: "unreadable token response" }))
    )
    const now = yield* Clock.currentTimeMillis
    return { value: token.access_token, expiresAtMs: now + token.expires_in * 1000 - tokenRenewalMarginMs }
  })

  const token = (renew: boolean) =>
    SynchronizedRef.modifyEffect(cache, (cached) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        if (!renew && cached && cached.expiresAtMs > now) return [cached.value, cached] as const
        const fresh = yield* fetchToken
        return [fresh.value, fresh] as const
      }))

  const sendUrl = `${config.baseUrl}/smsmessaging/v1/outbound/${encodeURIComponent(`tel:${config.senderAddress}`)}/requests`

  const sendWith = (accessToken: string, to: string, body: string) =>
    smsHttpRequest(provider, sendUrl, {
      method: "POST",
      headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        outboundSMSMessageRequest: {
          address: `tel:${to}`,
          senderAddress: `tel:${config.senderAddress}`,
          ...(config.senderName ? { senderName: config.senderName } : {}),
          outboundSMSTextMessage: { message: body }
        }
      })
    }, config.requestTimeoutMs)

  return SmsSender.of({
    send: (message) =>
      Effect.gen(function*() {
        let response = yield* sendWith(yield* token(false), message.to, message.body)
        if (response.status === 401) response = yield* sendWith(yield* token(true), message.to, message.body)
        if (response.status !== 201) return yield* providerRefused(provider, response)
      })
  })
}))
