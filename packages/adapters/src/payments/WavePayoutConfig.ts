import { Config, Schema } from "effect"

const HttpUrl = Schema.String.pipe(Schema.check(Schema.isPattern(/^https?:\/\/[^\s]+$/u, { expected: "an http(s) URL" })))

/** The variables that say Wave payouts are configured: all of them, or none (Wave payouts then stay off). */
export const wavePayoutCredentialVariables = ["WAVE_PAYOUT_API_KEY"] as const

/**
 * Wave's Payout API: its own key (Wave keys are given per API in the Business Portal, so the
 * checkout's WAVE_API_KEY is not reused), at the same base URL as the checkout (WAVE_BASE_URL).
 */
export const WavePayoutConfig = Config.all({
  apiKey: Config.schema(Schema.Redacted(Schema.NonEmptyString), "WAVE_PAYOUT_API_KEY"),
  baseUrl: Config.schema(HttpUrl, "WAVE_BASE_URL").pipe(Config.withDefault("https://api.wave.com"), Config.map((url) => url.replace(/\/+$/u, "")))
})
export type WavePayoutConfig = Config.Success<typeof WavePayoutConfig>
