import { Config, Redacted, Schema } from "effect"

const HttpUrl = Schema.String.pipe(Schema.check(Schema.isPattern(/^https?:\/\/[^\s]+$/u, { expected: "an http(s) URL" })))
const SecretList = Schema.String.pipe(Schema.check(Schema.isPattern(/^\s*[^,\s]+\s*(?:,\s*[^,\s]+\s*)*$/u, {
  expected: "a comma-separated list of webhook secrets"
})))

/** The variables that say Wave is configured: all of them, or none (Wave then stays off). */
export const waveCredentialVariables = ["WAVE_API_KEY", "WAVE_WEBHOOK_SECRETS"] as const

/**
 * Wave Business API: one API key (bound to one business wallet) and the secrets of the webhooks
 * registered in the Business Portal. Several secrets are accepted at once so that a secret can be
 * rotated without refusing the deliveries signed with the previous one meanwhile.
 */
export const WaveConfig = Config.all({
  apiKey: Config.schema(Schema.Redacted(Schema.NonEmptyString), "WAVE_API_KEY"),
  webhookSecrets: Config.schema(Schema.Redacted(SecretList), "WAVE_WEBHOOK_SECRETS").pipe(
    Config.map((list) => Redacted.value(list).split(",").map((secret) => Redacted.make(secret.trim())))
  ),
  baseUrl: Config.schema(HttpUrl, "WAVE_BASE_URL").pipe(Config.withDefault("https://api.wave.com"), Config.map((url) => url.replace(/\/+$/u, "")))
})
export type WaveConfig = Config.Success<typeof WaveConfig>
