import { Effect, Layer, Schema } from "effect"
import { PaymentGateways } from "@nelo/domain/payments/PaymentGateway"
import { CinetPayConfig, cinetpayCredentialVariables } from "./CinetPayConfig.ts"
import { cinetpayNotifyPath, makeCinetPayGateway } from "./CinetPayGateway.ts"
import { gatewayConfigured } from "./gatewayConfigured.ts"
import { PaymentReturnConfig } from "./PaymentReturnConfig.ts"
import { WaveConfig, waveCredentialVariables } from "./WaveConfig.ts"
import { makeWaveGateway } from "./WaveGateway.ts"

export class PaymentGatewayConfigIncomplete extends Schema.TaggedError<PaymentGatewayConfigIncomplete>()("PaymentGatewayConfigIncomplete", {
  message: Schema.String
}) {}

const incomplete = (message: string) => new PaymentGatewayConfigIncomplete({ message })

/**
 * The payment gateways this deployment has credentials for: Wave (first choice) and CinetPay
 * (fallback), each undefined without its credentials. Says at start-up which are on, never how.
 */
export const PaymentGatewaysFromConfig = Layer.effect(PaymentGateways, Effect.gen(function*() {
  const returns = yield* PaymentReturnConfig
  const wave = (yield* gatewayConfigured("Wave", waveCredentialVariables, incomplete))
    ? makeWaveGateway({ ...(yield* WaveConfig), successUrl: returns.successUrl, errorUrl: returns.errorUrl, requestTimeoutMs: returns.requestTimeoutMs })
    : undefined

  let cinetpay: ReturnType<typeof makeCinetPayGateway> | undefined
  if (yield* gatewayConfigured("CinetPay", cinetpayCredentialVariables, incomplete)) {
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
