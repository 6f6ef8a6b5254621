import { Clock, Effect, Option } from "effect"
import { AccountNotFound } from "../auth/errors.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import type { UserId } from "../users/User.ts"
import { UserRepository } from "../users/UserRepository.ts"
import type { Gateway } from "../wallet/Account.ts"
import { IdempotencyKeyReused, WalletFrozen } from "../wallet/errors.ts"
import { Ledger } from "../wallet/Ledger.ts"
import { WalletPolicy } from "../wallet/WalletPolicy.ts"
import { PaymentsUnavailable, TopupAmountInvalid } from "./errors.ts"
import { type GatewayClient, PaymentGateways } from "./PaymentGateway.ts"
import type { PaymentIntent } from "./PaymentIntent.ts"
import { PaymentIntentRepository } from "./PaymentIntentRepository.ts"
import { isXof } from "../shared/Xof.ts"

export interface TopupInput {
  readonly amountXof: number
  readonly method: Gateway
  readonly idempotencyKey: string
}

/** The gateways to try, the one asked for first; the other only if the first is down or absent. */
const gatewaysInOrder = (gateways: { readonly wave: GatewayClient | undefined; readonly cinetpay: GatewayClient | undefined }, first: Gateway) =>
  (first === "wave" ? [gateways.wave, gateways.cinetpay] : [gateways.cinetpay, gateways.wave]).filter((client): client is GatewayClient => client !== undefined)

/**
 * Opens a top-up: a pending intent and a checkout at the gateway, whose page the app opens. Nothing
 * is credited here: only the gateway's confirmation does (confirmTopup). Wave is tried first when
 * asked for; if it is unreachable, answers 5xx or refuses, CinetPay takes over (and the other way round).
 * The same idempotency key returns the same checkout.
 */
export const makeStartTopup = Effect.gen(function*() {
  const policy = yield* WalletPolicy
  const ledger = yield* Ledger
  const intents = yield* PaymentIntentRepository
  const users = yield* UserRepository
  const ids = yield* IdGenerator
  const gateways = yield* PaymentGateways
  return Effect.fn("Payments.startTopup")(function*(userId: UserId, input: TopupInput) {
    // CinetPay takes multiples of 5 only; holding both gateways to it keeps the fallback possible.
    if (!isXof(input.amountXof) || input.amountXof < policy.topupMinimumXof || input.amountXof > policy.topupMaximumXof || input.amountXof % 5 !== 0) {
      return yield* new TopupAmountInvalid({ minimumXof: policy.topupMinimumXof, maximumXof: policy.topupMaximumXof })
    }
    const amountXof = input.amountXof
    const found = yield* users.findById(userId)
    if (Option.isNone(found)) return yield* new AccountNotFound()
    const user = found.value
    const wallet = yield* ledger.findWallet(user.id)
    if (Option.isSome(wallet) && (yield* ledger.stateOf(wallet.value.id)).freeze !== null) return yield* new WalletFrozen({ side: "own" })

    const now = new Date(yield* Clock.currentTimeMillis)
    const candidate: PaymentIntent = {
      id: yield* ids.uuid,
      userId: user.id,
      gateway: input.method,
      amountXof,
      currency: "XOF",
      status: "pending",
      idempotencyKey: input.idempotencyKey,
      gatewayReference: null,
      paymentUrl: null,
      ledgerTransactionId: null,
      failureReason: null,
      createdAt: now,
      updatedAt: now
    }
    const { intent } = yield* intents.create(candidate)
    if (intent.amountXof !== amountXof) return yield* new IdempotencyKeyReused()
    // Asked again (a retry after a lost answer): the checkout already opened is the answer.
    if (intent.paymentUrl !== null || intent.status !== "pending") return intent

    for (const client of gatewaysInOrder(gateways, input.method)) {
      const checkout = yield* client.createCheckout({
        intentId: intent.id,
        amountXof: intent.amountXof,
        payerPhone: user.phone,
        description: `Recharge du portefeuille NELO : ${intent.amountXof} F CFA`
      }).pipe(
        Effect.map(Option.some),
        // Refused too: nothing was paid yet, so the other gateway costs nothing to try (a revoked
        // key at one must not stop every top-up while the other works).
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
