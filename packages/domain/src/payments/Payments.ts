import { Context, Effect, Layer } from "effect"
import { makeConfirmTopup } from "./confirmTopup.ts"
import { makeWebhooks } from "./receiveWebhook.ts"
import { makeRecheckPendingTopups } from "./recheckPendingTopups.ts"
import { makeStartTopup } from "./startTopup.ts"

/**
 * The payments' use cases, built once with their ports (intents, gateways, the ledger): top-ups,
 * the gateways' webhooks and the worker's re-check. Each one is in the file named after it.
 */
export class Payments extends Context.Service<Payments>()("nelo/payments/Payments", {
  make: Effect.gen(function*() {
    const confirmTopup = yield* makeConfirmTopup
    const { receiveWebhook, processWebhook } = yield* makeWebhooks(confirmTopup)
    return {
      startTopup: yield* makeStartTopup,
      confirmTopup,
      receiveWebhook,
      processWebhook,
      recheckPendingTopups: yield* makeRecheckPendingTopups(confirmTopup, processWebhook)
    }
  })
}) {
  static readonly layer = Layer.effect(Payments, Payments.make)
}
