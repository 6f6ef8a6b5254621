import { Config, Option, Schema } from "effect"

const HttpUrl = Schema.String.pipe(Schema.check(Schema.isPattern(/^https?:\/\/[^\s]+$/u, { expected: "an http(s) URL" })))
const PositiveInt = Schema.Int.pipe(Schema.check(Schema.isGreaterThan(0)))

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/u, "")

/**
 * Settings shared by the payment gateways: where the payer's browser goes back after paying (the
 * page must not claim success: the app shows the intent's status, read from the gateway), the base
 * URL under which the gateways reach this API (for CinetPay's notify_url), and the time allowed for
 * one request to a gateway.
 */
export const PaymentReturnConfig = Config.all({
  successUrl: Config.schema(HttpUrl, "PAYMENT_SUCCESS_URL").pipe(Config.withDefault("https://nelo.ci/paiement/termine")),
  errorUrl: Config.schema(HttpUrl, "PAYMENT_ERROR_URL").pipe(Config.withDefault("https://nelo.ci/paiement/echec")),
  /** No default: a guessed address would send CinetPay's notifications nowhere without a word. */
  publicApiUrl: Config.schema(HttpUrl, "PUBLIC_API_URL").pipe(Config.option, Config.map(Option.map(withoutTrailingSlash)), Config.map(Option.getOrUndefined)),
  requestTimeoutMs: Config.schema(PositiveInt, "PAYMENT_REQUEST_TIMEOUT_MS").pipe(Config.withDefault(10_000))
})
export type PaymentReturnConfig = Config.Success<typeof PaymentReturnConfig>
