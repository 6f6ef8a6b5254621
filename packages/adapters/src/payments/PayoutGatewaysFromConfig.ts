import { Effect, Layer, Schema } from "effect"
import { PayoutGateways } from "@nelo/domain/earnings/PayoutGateway"
import { cinetpayTransferNotifyPath, makeCinetPayTransferClient } from "./CinetPayTransferClient.ts"
import { CinetPayTransferConfig, cinetpayTransferCredentialVariables } from "./CinetPayTransferConfig.ts"
import { gatewayConfigured } from "./gatewayConfigured.ts"
import { PaymentReturnConfig } from "./PaymentReturnConfig.ts"
import { makeWavePayoutClient } from "./WavePayoutClient.ts"
import { WavePayoutConfig, wavePayoutCredentialVariables } from "./WavePayoutConfig.ts"

export class PayoutGatewayConfigIncomplete extends Schema.TaggedError<PayoutGatewayConfigIncomplete>()("PayoutGatewayConfigIncomplete", {
  message: Schema.String
}) {}

const incomplete = (message: string) => new PayoutGatewayConfigIncomplete({ message })

/**
 * The payout gateways this deployment has credentials for: Wave's Payout API (first choice) and
 * CinetPay's transfers (when Wave cannot be reached), each undefined without its credentials; with
 * neither, payouts are made by hand from an export. Says at start-up which are on, never how.
 * CinetPay's notify_url is PUBLIC_API_URL + cinetpayTransferNotifyPath when PUBLIC_API_URL is set,
 * and left out of the transfers otherwise (the status is read with the check endpoint anyway).
 */
export const PayoutGatewaysFromConfig = Layer.effect(PayoutGateways, Effect.gen(function*() {
  const shared = yield* PaymentReturnConfig
  const wave = (yield* gatewayConfigured("Wave payouts", wavePayoutCredentialVariables, incomplete))
    ? makeWavePayoutClient({ ...(yield* WavePayoutConfig), requestTimeoutMs: shared.requestTimeoutMs })
    : undefined
  const cinetpay = (yield* gatewayConfigured("CinetPay transfers", cinetpayTransferCredentialVariables, incomplete, ["CINETPAY_TRANSFER_PASSWORD"]))
    ? makeCinetPayTransferClient({
      ...(yield* CinetPayTransferConfig),
      notifyUrl: shared.publicApiUrl === undefined ? undefined : `${shared.publicApiUrl}${cinetpayTransferNotifyPath}`,
      requestTimeoutMs: shared.requestTimeoutMs
    })
    : undefined

  const enabled = { wave: wave ? "enabled" : "disabled", cinetpay: cinetpay ? "enabled" : "disabled" }
  if (!wave && !cinetpay) {
    yield* Effect.logWarning("no payout gateway configured: payouts are made by hand from an export").pipe(Effect.annotateLogs(enabled))
  } else {
    yield* Effect.logInfo(`payout gateways: Wave ${enabled.wave}, CinetPay ${enabled.cinetpay}`).pipe(Effect.annotateLogs(enabled))
  }
  return PayoutGateways.of({ wave, cinetpay })
}))
