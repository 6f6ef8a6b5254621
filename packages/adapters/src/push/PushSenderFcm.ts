import { Effect, Layer, Option } from "effect"
import { type PushMessage, PushDeliveryFailed, PushSender } from "@nelo/domain/notifications/PushSender"
import { boundedHttpRequest } from "../http/boundedHttpRequest.ts"
import { FcmConfig } from "./FcmConfig.ts"
import { fcmRefusal, readFcmError } from "./fcmRefusal.ts"
import { makeGoogleAccessToken } from "./googleAccessToken.ts"

const provider = "fcm"

/**
 * Firebase Cloud Messaging, HTTP v1: POST /v1/projects/{project}/messages:send with a service
 * account's OAuth2 access token (see googleAccessToken), one message per device token, high
 * priority on Android so a sleeping phone shows it at once. A 401 means the access token was
 * revoked or expired early: it is renewed once and the message sent again. Every call is bounded
 * in time; an unanswered one may pass, so it is retryable.
 */
export const PushSenderFcm = Layer.effect(PushSender, Effect.gen(function*() {
  const config = yield* FcmConfig
  const accessToken = yield* makeGoogleAccessToken(config)
  const url = `${config.apiUrl}/v1/projects/${config.projectId}/messages:send`
  const unreachable = (detail: string) => new PushDeliveryFailed({ provider, retryable: true, tokenDead: false, detail })

  const post = (bearer: string, message: PushMessage) =>
    boundedHttpRequest(url, {
      method: "POST",
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        message: {
          token: message.token,
          notification: { title: message.title, body: message.body },
          data: message.data,
          android: { priority: "high" }
        }
      })
    }, config.requestTimeoutMs, unreachable)

  // A 401 about Apple's credentials (THIRD_PARTY_AUTH_ERROR: the APNs key in the Firebase console)
  // is not ours to renew: another access token would be refused the same way.
  const accessTokenRejected = (response: { readonly status: number; readonly body: string }) =>
    response.status === 401 && Option.getOrUndefined(readFcmError(response))?.errorCode !== "THIRD_PARTY_AUTH_ERROR"

  return PushSender.of({
    send: (message) =>
      Effect.gen(function*() {
        const bearer = yield* accessToken.get()
        let response = yield* post(bearer, message)
        if (accessTokenRejected(response)) response = yield* post(yield* accessToken.get(bearer), message)
        if (response.status !== 200) return yield* fcmRefusal(response)
      })
  })
}))
