import { Clock, Effect, Option } from "effect"
import { AccountNotFound } from "../auth/errors.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import type { UserId } from "../users/User.ts"
import { UserRepository } from "../users/UserRepository.ts"
import type { Gateway } from "../wallet/Account.ts"
import { IdempotencyKeyReused, WalletFrozen } from "../wallet/errors.ts"
import { Ledger } from "../wallet/Ledger.ts"
import { WalletPolicy } from "../wallet/WalletPolicy.ts"
import { TopupAmountInvalid } from "./errors.ts"
import { makeOpenCheckout } from "./openCheckout.ts"
import type { PaymentIntent } from "./PaymentIntent.ts"
import { PaymentIntentRepository } from "./PaymentIntentRepository.ts"
import { isXof } from "../shared/Xof.ts"

export interface TopupInput {
  readonly amountXof: number
  readonly method: Gateway
  readonly idempotencyKey: string
}

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
  const openCheckout = yield* makeOpenCheckout
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
      orderId: null,
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

    return yield* openCheckout(intent, user.phone, `Recharge du portefeuille NELO : ${intent.amountXof} F CFA`)
  })
})
