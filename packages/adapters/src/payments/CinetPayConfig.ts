import { Config, Schema } from "effect"

const HttpUrl = Schema.String.pipe(Schema.check(Schema.isPattern(/^https?:\/\/[^\s]+$/u, { expected: "an http(s) URL" })))
const SiteId = Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Za-z0-9_-]+$/u, { expected: "the site id of the CinetPay service (letters and digits)" })))

/** The variables that say CinetPay is configured: all of them, or none (CinetPay then stays off). */
export const cinetpayCredentialVariables = ["CINETPAY_API_KEY", "CINETPAY_SITE_ID", "CINETPAY_SECRET_KEY"] as const

/**
 * CinetPay checkout: the API key and site id of the service (sent in every request body), and the
 * secret key that signs its payment notifications (x-token), from the merchant back office.
 */
export const CinetPayConfig = Config.all({
  apiKey: Config.schema(Schema.Redacted(Schema.NonEmptyString), "CINETPAY_API_KEY"),
  siteId: Config.schema(SiteId, "CINETPAY_SITE_ID"),
  secretKey: Config.schema(Schema.Redacted(Schema.NonEmptyString), "CINETPAY_SECRET_KEY"),
  baseUrl: Config.schema(HttpUrl, "CINETPAY_BASE_URL").pipe(Config.withDefault("https://api-checkout.cinetpay.com"), Config.map((url) => url.replace(/\/+$/u, "")))
})
export type CinetPayConfig = Config.Success<typeof CinetPayConfig>
