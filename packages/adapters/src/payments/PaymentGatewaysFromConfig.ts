import { Config, Effect, Layer, Option, Schema } from "effect"
import { PaymentGateways } from "@nelo/domain/payments/PaymentGateway"
import { CinetPayConfig, cinetpayCredentialVariables } from "./CinetPayConfig.ts"
import { cinetpayNotifyPath, makeCinetPayGateway } from "./CinetPayGateway.ts"
import { PaymentReturnConfig } from "./PaymentReturnConfig.ts"
import { WaveConfig, waveCredentialVariables } from "./WaveConfig.ts"
import { makeWaveGateway } from "./WaveGateway.ts"

export class PaymentGatewayConfigIncomplete extends Schema.TaggedError<PaymentGatewayConfigIncomplete>()("PaymentGatewayConfigIncomplete", {
  message: Schema.String
}) {}

/**
 * Whether a gateway is configured: none of its variables set means off (a developer machine without
 * credentials starts); all set means on; some but not all is a mistake worth stopping for, named.
 * Only presence is read here (an empty value counts as absent): the values are read by the config.
 */
const isConfigured = (gatewayName: string, variables: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const set: Array<string> = []
    const missing: Array<string> = []
    for (const variable of variables) {
      if (Option.isSome(yield* Config.option(Config.String(variable)))) set.push(variable)
      else missing.push(variable)
    }
    if (set.length === 0) return false
    if (missing.length > 0) {
      return yield* new PaymentGatewayConfigIncomplete({
        message: `${missing.join(", ")}: required as ${set.join(", ")} ${set.length === 1 ? "is" : "are"} set (${gatewayName} needs all of ${variables.join(", ")}, or none to stay off)`
      })
    }
    return true
  })

/**
 * The payment gateways this deployment has credentials for: Wave (first choice) and CinetPay
 * (fallback), each undefined without its credentials. Says at start-up which are on, never how.
 */
export const PaymentGatewaysFromConfig = Layer.effect(PaymentGateways, Effect.gen(function*() {
  const returns = yield* PaymentReturnConfig
  const wave = (yield* isConfigured("Wave", waveCredentialVariables))
    ? makeWaveGateway({ ...(yield* WaveConfig), successUrl: returns.successUrl, errorUrl: returns.errorUrl, requestTimeoutMs: returns.requestTimeoutMs })
    : undefined

  let cinetpay: ReturnType<typeof makeCinetPayGateway> | undefined
  if (yield* isConfigured("CinetPay", cinetpayCredentialVariables)) {
    const config = yield* CinetPayConfig
    if (returns.publicApiUrl === undefined) {
      return yield* new PaymentGatewayConfigIncomplete({
        message: `PUBLIC_API_URL: required when CinetPay is configured (its notifications go to PUBLIC_API_URL${cinetpayNotifyPath})`
      })
    }
    cinetpay = makeCinetPayGateway({
      ...config,
      notifyUrl: `${returns.publicApiUrl}${cinetpayNotifyPath}`,
      returnUrl: returns.successUrl,
      requestTimeoutMs: returns.requestTimeoutMs
    })
  }

  const enabled = { wave: wave ? "enabled" : "disabled", cinetpay: cinetpay ? "enabled" : "disabled" }
  if (!wave && !cinetpay) yield* Effect.logWarning("no payment gateway configured: wallet top-ups are refused").pipe(Effect.annotateLogs(enabled))
  else yield* Effect.logInfo(`payment gateways: Wave ${enabled.wave}, CinetPay ${enabled.cinetpay}`).pipe(Effect.annotateLogs(enabled))
  return PaymentGateways.of({ wave, cinetpay })
}))
