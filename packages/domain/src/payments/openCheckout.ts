import { Clock, Effect, Option } from "effect"
import type { Gateway } from "../wallet/Account.ts"
import { PaymentsUnavailable } from "./errors.ts"
import { type GatewayClient, PaymentGateways } from "./PaymentGateway.ts"
import type { PaymentIntent } from "./PaymentIntent.ts"
import { PaymentIntentRepository } from "./PaymentIntentRepository.ts"

/** The gateways to try, the one asked for first; the other only if the first is down or absent. */
const gatewaysInOrder = (gateways: { readonly wave: GatewayClient | undefined; readonly cinetpay: GatewayClient | undefined }, first: Gateway) =>
  (first === "wave" ? [gateways.wave, gateways.cinetpay] : [gateways.cinetpay, gateways.wave]).filter((client): client is GatewayClient => client !== undefined)

/**
 * Opens the checkout of a stored intent at its gateway, whose page the app then opens, and records
 * it on the intent. Asked again (a retry after a lost answer), the checkout already opened is the
 * answer. The gateway asked for is tried first; if it is unreachable, answers 5xx or refuses, the
 * other one takes over (nothing was paid yet, so trying costs nothing). Neither: PaymentsUnavailable.
 */
export const makeOpenCheckout = Effect.gen(function*() {
  const intents = yield* PaymentIntentRepository
  const gateways = yield* PaymentGateways
  return Effect.fn("Payments.openCheckout")(function*(intent: PaymentIntent, payerPhone: string, description: string) {
    if (intent.paymentUrl !== null || intent.status !== "pending") return intent
    const now = new Date(yield* Clock.currentTimeMillis)
    for (const client of gatewaysInOrder(gateways, intent.gateway)) {
      const checkout = yield* client.createCheckout({ intentId: intent.id, amountXof: intent.amountXof, payerPhone, description }).pipe(
        Effect.map(Option.some),
        // Refused too: a revoked key at one must not stop every payment while the other works.
        Effect.catchTags({
          GatewayUnavailable: (error) =>
            Effect.logWarning("payment gateway unavailable, trying the next one").pipe(Effect.annotateLogs({ gateway: error.gateway, detail: error.detail }), Effect.as(Option.none())),
          GatewayRefused: (error) =>
            Effect.logError("payment gateway refused a checkout, trying the next one").pipe(Effect.annotateLogs({ gateway: error.gateway, detail: error.detail }), Effect.as(Option.none()))
        })
      )
      if (Option.isSome(checkout)) {
        // A retry may have attached another checkout meanwhile: the stored one is the answer (the
        // one the person pays, the one confirmations ask about); ours stays unused.
        const stored = yield* intents.attachCheckout(intent.id, { gateway: client.gateway, ...checkout.value }, now)
        return Option.getOrElse(stored, () => ({ ...intent, gateway: client.gateway, gatewayReference: checkout.value.gatewayReference, paymentUrl: checkout.value.paymentUrl }))
      }
    }
    return yield* new PaymentsUnavailable()
  })
})
