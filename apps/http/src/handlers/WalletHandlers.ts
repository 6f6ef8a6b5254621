import { Effect, Option } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { AccountNotFound } from "@nelo/domain/auth/errors"
import { startTopup } from "@nelo/domain/payments/startTopup"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { maskPhone, shortName } from "@nelo/domain/wallet/counterparty"
import { freezeWallet, unfreezeWallet } from "@nelo/domain/wallet/freezes"
import { transferMoney } from "@nelo/domain/wallet/transferMoney"
import { walletHistory } from "@nelo/domain/wallet/walletHistory"
import { walletOverview } from "@nelo/domain/wallet/walletOverview"
import { CurrentUser } from "../api/Authentication.ts"
import { NeloApi } from "../api/NeloApi.ts"
import { answerWallet } from "./answerWallet.ts"
import { topupView, walletTransactionView } from "./walletViews.ts"

export const WalletHandlers = HttpApiBuilder.group(NeloApi, "wallet", Effect.fn(function*(handlers) {
  const answer = yield* answerWallet
  return handlers.handleAll({
    overview: ({ request }) =>
      Effect.gen(function*() {
        return yield* walletOverview((yield* CurrentUser).userId)
      }).pipe(answer(request)),
    transactions: ({ query, request }) =>
      Effect.gen(function*() {
        const page = yield* walletHistory((yield* CurrentUser).userId, { cursor: query.cursor ?? null, limit: query.limit ?? 20, types: query.type === undefined ? null : [query.type] })
        return { items: page.items.map(walletTransactionView), nextCursor: page.nextCursor }
      }).pipe(answer(request)),
    topup: ({ payload, request }) =>
      Effect.gen(function*() {
        const userId = (yield* CurrentUser).userId
        const user = yield* (yield* UserRepository).findById(userId)
        if (Option.isNone(user)) return yield* new AccountNotFound()
        return topupView(yield* startTopup(user.value, { amountXof: payload.amount, method: payload.method, idempotencyKey: payload.idempotencyKey }))
      }).pipe(answer(request)),
    transfer: ({ payload, request }) =>
      Effect.gen(function*() {
        const { transaction, receiver } = yield* transferMoney((yield* CurrentUser).userId, {
          toPhone: payload.toPhone,
          amountXof: payload.amount,
          pin: payload.pin,
          idempotencyKey: payload.idempotencyKey,
          note: payload.note?.trim() || null
        })
        return {
          id: transaction.id,
          amountXof: -(transaction.postings.find((posting) => posting.amountXof < 0)?.amountXof ?? 0),
          receiver: { name: shortName(receiver.fullName), phone: maskPhone(receiver.phone) },
          note: transaction.note,
          at: transaction.createdAt.toISOString()
        }
      }).pipe(answer(request))
  })
}))

export const WalletAdminHandlers = HttpApiBuilder.group(NeloApi, "walletAdmin", Effect.fn(function*(handlers) {
  const answer = yield* answerWallet
  return handlers.handleAll({
    freeze: ({ params, payload, request }) =>
      Effect.gen(function*() {
        yield* freezeWallet(yield* CurrentUser, params.userId, payload.reason)
        return yield* walletOverview(params.userId)
      }).pipe(answer(request)),
    unfreeze: ({ params, payload, request }) =>
      Effect.gen(function*() {
        yield* unfreezeWallet(yield* CurrentUser, params.userId, payload.reason)
        return yield* walletOverview(params.userId)
      }).pipe(answer(request))
  })
}))
