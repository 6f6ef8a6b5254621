import { Config, Schema } from "effect"

const HttpUrl = Schema.String.pipe(Schema.check(Schema.isPattern(/^https?:\/\/[^\s]+$/u, { expected: "an http(s) URL" })))

/**
 * The variables CinetPay's transfers need. CINETPAY_TRANSFER_PASSWORD is what turns them on: the
 * API key alone is the checkout's, which may run without transfers.
 */
export const cinetpayTransferCredentialVariables = ["CINETPAY_API_KEY", "CINETPAY_TRANSFER_PASSWORD"] as const

/**
 * CinetPay's transfer API: the merchant's API key (the checkout's CINETPAY_API_KEY) and the API
 * password defined for transfers in the back office, at client.cinetpay.com unless said otherwise.
 */
export const CinetPayTransferConfig = Config.all({
  apiKey: Config.schema(Schema.Redacted(Schema.NonEmptyString), "CINETPAY_API_KEY"),
  password: Config.schema(Schema.Redacted(Schema.NonEmptyString), "CINETPAY_TRANSFER_PASSWORD"),
  baseUrl: Config.schema(HttpUrl, "CINETPAY_TRANSFER_BASE_URL").pipe(
    Config.withDefault("https://client.cinetpay.com"),
    Config.map((url) => url.replace(/\/+$/u, ""))
  )
})
export type CinetPayTransferConfig = Config.Success<typeof CinetPayTransferConfig>
