import { Context, Effect, Layer } from "effect"
import { makeConfirmTopup } from "./confirmTopup.ts"
import { makeWebhooks } from "./receiveWebhook.ts"
import { makeRecheckPendingTopups } from "./recheckPendingTopups.ts"
import { makeStartTopup } from "./startTopup.ts"
import { makeRefundToGateway } from "./refundToGateway.ts"

/**
 * The payments' use cases, built once with their ports (intents, gateways, the ledger): top-ups,
 * the gateways' webhooks, the worker's re-check and the gateway refunds of cancelled orders. Each one is in the file named after it.
 */
export class Payments extends Context.Service<Payments>()("nelo/payments/Payments", {
  make: Effect.gen(function*() {
    const confirmTopup = yield* makeConfirmTopup
    const { receiveWebhook, processWebhook } = yield* makeWebhooks(confirmTopup)
    const refundToGateway = yield* makeRefundToGateway
    return {
      startTopup: yield* makeStartTopup,
      confirmTopup,
      receiveWebhook,
      processWebhook,
      recheckPendingTopups: yield* makeRecheckPendingTopups(confirmTopup, processWebhook, refundToGateway),
      refundToGateway
    }
  })
}) {
  static readonly layer = Layer.effect(Payments, Payments.make)
}
