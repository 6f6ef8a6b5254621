import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { Payments } from "@nelo/domain/payments/Payments"
import { Wallet } from "@nelo/domain/wallet/Wallet"
import { NeloApi } from "../NeloApi.ts"
import { CurrentUser } from "../shared/Authentication.ts"
import { topupView, transferView, walletTransactionView } from "./views.ts"

const defaultPageSize = 20

export const WalletHandlers = HttpApiBuilder.group(NeloApi, "wallet", Effect.fn(function*(handlers) {
  const wallet = yield* Wallet
  const payments = yield* Payments
  return handlers.handleAll({
    overview: () => CurrentUser.use((caller) => wallet.overview(caller.userId)),
    transactions: ({ query }) =>
      Effect.gen(function*() {
        const page = yield* wallet.history((yield* CurrentUser).userId, {
          cursor: query.cursor ?? null,
          limit: query.limit ?? defaultPageSize,
          types: query.type === undefined ? null : [query.type]
        })
        return { items: page.items.map(walletTransactionView), nextCursor: page.nextCursor }
      }),
    topup: ({ payload }) =>
      Effect.gen(function*() {
        const intent = yield* payments.startTopup((yield* CurrentUser).userId, { amountXof: payload.amount, method: payload.method, idempotencyKey: payload.idempotencyKey })
        return topupView(intent)
      }),
    transfer: ({ payload }) =>
      Effect.gen(function*() {
        const { transaction, receiver } = yield* wallet.transfer((yield* CurrentUser).userId, {
          toPhone: payload.toPhone,
          amountXof: payload.amount,
          pin: payload.pin,
          idempotencyKey: payload.idempotencyKey,
          note: payload.note?.trim() || null
        })
        return transferView(transaction, receiver)
      })
  })
}))

export const WalletAdminHandlers = HttpApiBuilder.group(NeloApi, "walletAdmin", Effect.fn(function*(handlers) {
  const wallet = yield* Wallet
  return handlers.handleAll({
    freeze: ({ params, payload }) =>
      Effect.gen(function*() {
        yield* wallet.freeze(yield* CurrentUser, params.userId, payload.reason)
        return yield* wallet.overview(params.userId)
      }),
    unfreeze: ({ params, payload }) =>
      Effect.gen(function*() {
        yield* wallet.unfreeze(yield* CurrentUser, params.userId, payload.reason)
        return yield* wallet.overview(params.userId)
      })
  })
}))
