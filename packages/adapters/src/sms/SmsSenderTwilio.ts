import { Effect, Layer, Redacted, Schema } from "effect"
import { SmsSender } from "@nelo/domain/notifications/SmsSender"
import { basicAuthorization, providerRefused, smsHttpRequest } from "./smsHttpRequest.ts"
import { TwilioSmsConfig } from "./TwilioSmsConfig.ts"

const provider = "twilio"

export class TwilioSenderMissing extends Schema.TaggedError<TwilioSenderMissing>()("TwilioSenderMissing", {
  message: Schema.String
}) {}

/**
 * Twilio: POST /2010-04-01/Accounts/{AccountSid}/Messages.json as a form (To, From or
 * MessagingServiceSid, Body) with Basic AccountSid:AuthToken; 201 on success.
 */
export const SmsSenderTwilio = Layer.effect(SmsSender, Effect.gen(function*() {
  const config = yield* TwilioSmsConfig
  if (!config.from && !config.messagingServiceSid) {
    return yield* new TwilioSenderMissing({ message: "TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM: one of them is required" })
  }
  const url = `${config.baseUrl}/2010-04-01/Accounts/${config.accountSid}/Messages.json`
  const authorization = basicAuthorization(config.accountSid, Redacted.value(config.authToken))
  return SmsSender.of({
    send: (message) =>
      Effect.gen(function*() {
        const form = new URLSearchParams({ To: message.to, Body: message.body })
        if (config.messagingServiceSid) form.set("MessagingServiceSid", config.messagingServiceSid)
        else form.set("From", config.from!)
        const response = yield* smsHttpRequest(provider, url, {
          method: "POST",
          headers: { authorization, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
          body: form.toString()
        }, config.requestTimeoutMs)
        if (response.status !== 201) return yield* providerRefused(provider, response)
      })
  })
}))
