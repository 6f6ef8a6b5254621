import { Clock, Effect, Option } from "effect"
import { IdGenerator } from "../shared/IdGenerator.ts"
import type { Order } from "../orders/Order.ts"
import type { UserId } from "../users/User.ts"
import { UserRepository } from "../users/UserRepository.ts"
import { makeOpenCheckout } from "./openCheckout.ts"
import type { PaymentIntent } from "./PaymentIntent.ts"
import { PaymentIntentRepository } from "./PaymentIntentRepository.ts"

/** The intent key of an order's payment: one intent per order, whatever the retries. */
export const orderIntentKey = (orderId: string) => `order:${orderId}`

/**
 * Opens the checkout that pays a Wave or CinetPay order: an intent for its total (one per order)
 * and the gateway's page, the customer's phone restricting (Wave) or prefilling (CinetPay) the
 * payer. Nothing is paid here: the gateway's confirmation moves the money into escrow (confirmTopup).
 */
export const makeStartOrderCheckout = Effect.gen(function*() {
  const intents = yield* PaymentIntentRepository
  const users = yield* UserRepository
  const ids = yield* IdGenerator
  const openCheckout = yield* makeOpenCheckout
  return Effect.fn("Payments.startOrderCheckout")(function*(order: Pick<Order, "id" | "customerId" | "paymentMethod" | "reference" | "totals">) {
    if (order.paymentMethod !== "wave" && order.paymentMethod !== "cinetpay") {
      return yield* Effect.die(new Error(`order ${order.reference} is not paid through a gateway`))
    }
    const customer = yield* users.findById(order.customerId as UserId)
    if (Option.isNone(customer)) return yield* Effect.die(new Error(`the customer of order ${order.reference} is gone`))
    const now = new Date(yield* Clock.currentTimeMillis)
    const candidate: PaymentIntent = {
      id: yield* ids.uuid,
      userId: order.customerId,
      orderId: order.id,
      gateway: order.paymentMethod,
      amountXof: order.totals.totalXof,
      currency: "XOF",
      status: "pending",
      idempotencyKey: orderIntentKey(order.id),
      gatewayReference: null,
      paymentUrl: null,
      ledgerTransactionId: null,
      failureReason: null,
      createdAt: now,
      updatedAt: now
    }
    const { intent } = yield* intents.create(candidate)
    return yield* openCheckout(intent, customer.value.phone, `Commande NELO ${order.reference} : ${order.totals.totalXof} F CFA`)
  })
})
