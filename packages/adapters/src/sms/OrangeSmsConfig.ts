import { Config, Option, Schema } from "effect"

const HttpUrl = Schema.String.pipe(Schema.check(Schema.isPattern(/^https?:\/\/[^\s]+$/u, { expected: "an http(s) URL" })))
const SenderAddress = Schema.String.pipe(Schema.check(Schema.isPattern(/^\+\d{6,15}$/u, { expected: "an international number such as +2250700000000" })))

/** Orange SMS API (Middle East & Africa): OAuth2 client credentials, then one request per message. */
export const OrangeSmsConfig = Config.all({
  baseUrl: Config.schema(HttpUrl, "ORANGE_SMS_BASE_URL").pipe(Config.withDefault("https://api.orange.com")),
  clientId: Config.String("ORANGE_SMS_CLIENT_ID"),
  clientSecret: Config.Redacted("ORANGE_SMS_CLIENT_SECRET"),
  senderAddress: Config.schema(SenderAddress, "ORANGE_SMS_SENDER_ADDRESS"),
  /** An alphanumeric sender name approved by Orange (e.g. NELO); optional. */
  senderName: Config.String("ORANGE_SMS_SENDER_NAME").pipe(Config.option, Config.map(Option.getOrUndefined)),
  requestTimeoutMs: Config.Int("SMS_REQUEST_TIMEOUT_MS").pipe(Config.withDefault(10_000))
})
export type OrangeSmsConfig = Config.Success<typeof OrangeSmsConfig>
