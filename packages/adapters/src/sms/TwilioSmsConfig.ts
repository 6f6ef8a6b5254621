import { Config, Option, Schema } from "effect"

const HttpUrl = Schema.String.pipe(Schema.check(Schema.isPattern(/^https?:\/\/[^\s]+$/u, { expected: "an http(s) URL" })))

/**
 * Twilio Programmable Messaging. In Côte d'Ivoire alphanumeric sender ids need registration and
 * MTN rejects numeric ones, so a Messaging Service is the usual choice; one of the two is required.
 */
export const TwilioSmsConfig = Config.all({
  baseUrl: Config.schema(HttpUrl, "TWILIO_BASE_URL").pipe(Config.withDefault("https://api.twilio.com")),
  accountSid: Config.schema(Schema.String.pipe(Schema.check(Schema.isPattern(/^AC[0-9a-fA-F]{32}$/u, { expected: "AC followed by 32 hexadecimal characters" }))), "TWILIO_ACCOUNT_SID"),
  authToken: Config.Redacted("TWILIO_AUTH_TOKEN"),
  from: Config.String("TWILIO_FROM").pipe(Config.option, Config.map(Option.getOrUndefined)),
  messagingServiceSid: Config.String("TWILIO_MESSAGING_SERVICE_SID").pipe(Config.option, Config.map(Option.getOrUndefined)),
  requestTimeoutMs: Config.Int("SMS_REQUEST_TIMEOUT_MS").pipe(Config.withDefault(10_000))
})
export type TwilioSmsConfig = Config.Success<typeof TwilioSmsConfig>
