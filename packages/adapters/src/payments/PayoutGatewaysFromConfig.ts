import { Config, Effect, Layer, Option, Schema } from "effect"
import { PayoutGateways } from "@nelo/domain/earnings/PayoutGateway"
import { cinetpayTransferNotifyPath, makeCinetPayTransferClient } from "./CinetPayTransferClient.ts"
import { CinetPayTransferConfig, cinetpayTransferCredentialVariables } from "./CinetPayTransferConfig.ts"
import { PaymentReturnConfig } from "./PaymentReturnConfig.ts"
import { makeWavePayoutClient } from "./WavePayoutClient.ts"
import { WavePayoutConfig, wavePayoutCredentialVariables } from "./WavePayoutConfig.ts"

export class PayoutGatewayConfigIncomplete extends Schema.TaggedError<PayoutGatewayConfigIncomplete>()("PayoutGatewayConfigIncomplete", {
  message: Schema.String
}) {}

/** Whether a variable is set (an empty value counts as absent); its value is read by the config. */
const isSet = (variable: string) => Config.option(Config.String(variable)).pipe(Effect.map(Option.isSome))

/**
 * Whether a gateway's payouts are configured: `switchedOnBy` set means on, and then every one of
 * `variables` is required (a missing one stops start-up, named); none of `switchedOnBy` set means off.
 */
const isConfigured = (gatewayName: string, variables: ReadonlyArray<string>, switchedOnBy: ReadonlyArray<string> = variables) =>
  Effect.gen(function*() {
    const set: Array<string> = []
    const missing: Array<string> = []
    for (const variable of variables) {
      if (yield* isSet(variable)) set.push(variable)
      else missing.push(variable)
    }
    if (!switchedOnBy.some((variable) => set.includes(variable))) return false
    if (missing.length > 0) {
      const on = set.filter((variable) => switchedOnBy.includes(variable))
      return yield* new PayoutGatewayConfigIncomplete({
        message: `${missing.join(", ")}: required as ${on.join(", ")} ${on.length === 1 ? "is" : "are"} set (${gatewayName} needs all of ${variables.join(", ")}, or ${switchedOnBy.join(", ")} unset to stay off)`
      })
    }
    return true
  })

/**
 * The payout gateways this deployment has credentials for: Wave's Payout API (first choice) and
 * CinetPay's transfers (when Wave cannot be reached), each undefined without its credentials; with
 * neither, payouts are made by hand from an export. Says at start-up which are on, never how.
 * CinetPay's notify_url is PUBLIC_API_URL + cinetpayTransferNotifyPath when PUBLIC_API_URL is set,
 * and left out of the transfers otherwise (the status is read with the check endpoint anyway).
 */
export const PayoutGatewaysFromConfig = Layer.effect(PayoutGateways, Effect.gen(function*() {
  const shared = yield* PaymentReturnConfig
  const wave = (yield* isConfigured("Wave payouts", wavePayoutCredentialVariables))
    ? makeWavePayoutClient({ ...(yield* WavePayoutConfig), requestTimeoutMs: shared.requestTimeoutMs })
    : undefined
  const cinetpay = (yield* isConfigured("CinetPay transfers", cinetpayTransferCredentialVariables, ["CINETPAY_TRANSFER_PASSWORD"]))
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
