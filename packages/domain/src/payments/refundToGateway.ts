import { Clock, Effect, Option } from "effect"
import { makeRefundOrder, makeSystemChange } from "../orders/changeOrder.ts"
import type { Order } from "../orders/Order.ts"
import { OrderRepository } from "../orders/OrderRepository.ts"
import { Transactional } from "../shared/Transactional.ts"
import type { Account } from "../wallet/Account.ts"
import { Ledger } from "../wallet/Ledger.ts"
import type { LedgerUnavailable } from "../wallet/errors.ts"
import { PaymentGateways } from "./PaymentGateway.ts"
import { PaymentIntentRepository } from "./PaymentIntentRepository.ts"

/**
 * refunded: the gateway gave the money back to the payer. to_wallet: the gateway refused (or can
 * no longer refund), so the wallet got it. nothing_to_do: the order is not waiting for a gateway
 * refund (already settled, or never asked: a redelivered event).
 */
export type GatewayRefundOutcome = "refunded" | "to_wallet" | "nothing_to_do"

/**
 * Settles the gateway refund a cancellation asked for (the order is `refunding`, its money still in
 * escrow). The gateway is asked first, keyed on the intent (asked again after a crash, it refunds
 * once); only once it has accepted is the ledger written: escrow → the gateway's clearing account
 * (the money left through it), keyed on the order's refund like a wallet refund, so that an order
 * is refunded once whatever the path. A gateway that refuses sends the money to the wallet instead,
 * with the reason in the order's history (the `refunded` change has a reason exactly then: the
 * customer's notice tells which way the money went by it). A gateway that cannot be reached fails the call: the
 * refunds queue tries again later, the escrow holding the money meanwhile.
 */
export const makeRefundToGateway = Effect.gen(function*() {
  const orders = yield* OrderRepository
  const intents = yield* PaymentIntentRepository
  const gateways = yield* PaymentGateways
  const ledger = yield* Ledger
  const transactional = yield* Transactional
  const systemChange = yield* makeSystemChange
  const refundOrder = yield* makeRefundOrder

  const settle = (orderId: string, to: (order: Order) => Effect.Effect<Account, LedgerUnavailable>, systemId: string, reason: string | null) =>
    transactional.run(Effect.gen(function*() {
      const locked = yield* orders.lock(orderId)
      if (Option.isNone(locked) || locked.value.paymentStatus !== "refunding") return false
      const order = locked.value
      yield* refundOrder(order, yield* to(order), { kind: "system", id: systemId }, reason, new Date(yield* Clock.currentTimeMillis))
      // Read under the lock just above: cancelled and refunding, so settling it cannot be refused.
      yield* systemChange(order.id, { _tag: "MarkRefunded", reason }, systemId).pipe(
        Effect.catchTags({ OrderTransitionRefused: Effect.die, OrderNotCancellable: Effect.die })
      )
      return true
    }))

  return Effect.fn("Payments.refundToGateway")(function*(orderId: string) {
    const found = yield* orders.findById(orderId)
    if (Option.isNone(found) || found.value.paymentStatus !== "refunding") return "nothing_to_do" as GatewayRefundOutcome
    const intent = yield* intents.findByOrder(orderId)
    const client = Option.isSome(intent) ? gateways[intent.value.gateway] : undefined
    const refundCheckout = client?.refundCheckout
    // Refunding was only accepted for a paid checkout of a gateway that refunds: its credentials
    // removed since, the wallet is the way back.
    if (Option.isNone(intent) || intent.value.gatewayReference === null || refundCheckout === undefined) {
      const settled = yield* settle(orderId, (order) => ledger.walletOf(order.customerId), "gateway_refund", "Remboursement par la passerelle impossible : remboursé sur le portefeuille NELO.")
      return (settled ? "to_wallet" : "nothing_to_do") as GatewayRefundOutcome
    }
    const gateway = intent.value.gateway
    const asked = yield* refundCheckout({ intentId: intent.value.id, gatewayReference: intent.value.gatewayReference }).pipe(
      Effect.as({ _tag: "Accepted" as const }),
      Effect.catchTag("GatewayRefused", (refused) => Effect.succeed({ _tag: "Refused" as const, detail: refused.detail }))
    )
    if (asked._tag === "Refused") {
      yield* Effect.logWarning("gateway refused a refund; refunded to the wallet").pipe(Effect.annotateLogs({ orderId, gateway, detail: asked.detail }))
      const settled = yield* settle(orderId, (order) => ledger.walletOf(order.customerId), `${gateway}_refund`, `Remboursement refusé par ${gateway === "wave" ? "Wave" : "CinetPay"} : remboursé sur le portefeuille NELO.`)
      return (settled ? "to_wallet" : "nothing_to_do") as GatewayRefundOutcome
    }
    const settled = yield* settle(orderId, () => ledger.clearingOf(gateway), `${gateway}_refund`, null)
    return (settled ? "refunded" : "nothing_to_do") as GatewayRefundOutcome
  })
})

export type RefundToGateway = Effect.Success<typeof makeRefundToGateway>
