import { Option, Schema } from "effect"
import { PushDeliveryFailed } from "@nelo/domain/notifications/PushSender"
import type { BoundedHttpResponse } from "../http/boundedHttpRequest.ts"

const provider = "fcm"

/** Google's error body (google.rpc.Status); FCM puts its own code in an FcmError detail. */
const GoogleErrorBody = Schema.fromJsonString(Schema.Struct({
  error: Schema.Struct({
    code: Schema.optionalKey(Schema.Number),
    message: Schema.optionalKey(Schema.String),
    status: Schema.optionalKey(Schema.String),
    details: Schema.optionalKey(Schema.Array(Schema.Struct({
      "@type": Schema.String,
      errorCode: Schema.optionalKey(Schema.String),
      fieldViolations: Schema.optionalKey(Schema.Array(Schema.Struct({ field: Schema.optionalKey(Schema.String) })))
    })))
  })
}))
const decodeGoogleError = Schema.decodeUnknownOption(GoogleErrorBody)

export interface FcmErrorReading {
  /** FCM's own code (UNREGISTERED, QUOTA_EXCEEDED, THIRD_PARTY_AUTH_ERROR...), when it gave one. */
  readonly errorCode: string | undefined
  readonly status: string | undefined
  readonly message: string
  readonly tokenField: boolean
}

/** What an FCM error answer says; a body that is not Google's JSON (a proxy's page) says nothing. */
export const readFcmError = (response: BoundedHttpResponse): Option.Option<FcmErrorReading> =>
  Option.map(decodeGoogleError(response.body), ({ error }) => {
    const details = error.details ?? []
    return {
      errorCode: details.find((detail) => detail["@type"].endsWith("google.firebase.fcm.v1.FcmError"))?.errorCode,
      status: error.status,
      message: error.message ?? "",
      tokenField: details.some((detail) => detail.fieldViolations?.some((violation) => violation.field === "message.token") === true)
    }
  })

/**
 * An FCM refusal as the domain needs it. The token is dead when FCM says UNREGISTERED (HTTP 404:
 * the app was uninstalled, or the token expired), or INVALID_ARGUMENT about the token itself (its
 * field named, or "not a valid FCM registration token"): another INVALID_ARGUMENT is about our
 * message, and no reason to forget a phone. Only Google's own JSON counts: a 404 page from a
 * misconfigured FCM_API_URL must not wipe every device. Quota (429) and Google's failures (5xx)
 * may pass; anything else will not.
 */
export const fcmRefusal = (response: BoundedHttpResponse): PushDeliveryFailed => {
  const reading = readFcmError(response)
  const tokenDead = Option.match(reading, {
    onNone: () => false,
    onSome: (error) =>
      error.errorCode === "UNREGISTERED" ||
      (response.status === 404 && error.status === "NOT_FOUND") ||
      ((error.errorCode === "INVALID_ARGUMENT" || error.status === "INVALID_ARGUMENT") && (error.tokenField || /registration token/iu.test(error.message)))
  })
  const named = Option.match(reading, {
    onNone: () => response.body.slice(0, 300),
    onSome: (error) => `${error.errorCode ?? error.status ?? "error"}: ${error.message.slice(0, 300)}`
  })
  return new PushDeliveryFailed({
    provider,
    retryable: !tokenDead && (response.status === 429 || response.status >= 500),
    tokenDead,
    detail: `HTTP ${response.status}: ${named}`
  })
}
