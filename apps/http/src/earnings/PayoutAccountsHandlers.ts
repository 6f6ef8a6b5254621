import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { ProviderNotFound } from "@nelo/domain/catalogue/errors"
import { RatePartyNotFound } from "@nelo/domain/earnings/errors"
import type { Payee } from "@nelo/domain/earnings/Payout"
import { PayoutAccounts } from "@nelo/domain/earnings/PayoutAccounts"
import { NeloApi } from "../NeloApi.ts"
import { clientIp, TrustedProxyHops } from "../middleware/clientIp.ts"
import { CurrentUser } from "../shared/Authentication.ts"
import { payoutAccountChangesView, payoutAccountView } from "./payoutAccountViews.ts"

// The service answers for either kind of payee, so its error type holds both kinds' "not found":
// a driver's call can only be refused as not a driver, a provider's as not (his) provider. Each
// route says so, and lists that one problem in its contract.

const asDriverCall = <A, E, R>(effect: Effect.Effect<A, E | ProviderNotFound, R>) =>
  Effect.catchTag(effect as Effect.Effect<A, ProviderNotFound, R>, "ProviderNotFound", () => Effect.fail(new RatePartyNotFound({ kind: "driver" }))) as Effect.Effect<
    A,
    Exclude<E, ProviderNotFound> | RatePartyNotFound,
    R
  >

const asProviderCall = <A, E, R>(effect: Effect.Effect<A, E | RatePartyNotFound, R>) =>
  Effect.catchTag(effect as Effect.Effect<A, RatePartyNotFound, R>, "RatePartyNotFound", () => Effect.fail(new ProviderNotFound())) as Effect.Effect<
    A,
    Exclude<E, RatePartyNotFound> | ProviderNotFound,
    R
  >

/** The code is checked against the number stored as pending, which was parsed when it was stored: it cannot be malformed. */
const pendingNumberParsed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.catchTag(effect as Effect.Effect<A, { readonly _tag: "PhoneInvalid" }, R>, "PhoneInvalid", (error) => Effect.die(error)) as Effect.Effect<
    A,
    Exclude<E, { readonly _tag: "PhoneInvalid" }>,
    R
  >

export const PayoutAccountsHandlers = HttpApiBuilder.group(NeloApi, "payoutAccounts", Effect.fn(function*(handlers) {
  const accounts = yield* PayoutAccounts
  const trustedProxyHops = yield* TrustedProxyHops

  const driverPayee = CurrentUser.use((caller) => Effect.succeed<Payee>({ kind: "driver", id: caller.userId }))
  const providerPayee = (providerId: string): Payee => ({ kind: "provider", id: providerId })

  return handlers.handleAll({
    driverAccount: () =>
      asDriverCall(Effect.gen(function*() {
        return payoutAccountView(yield* accounts.accountOf(yield* CurrentUser, yield* driverPayee))
      })),
    requestDriverNumber: ({ payload, request }) =>
      asDriverCall(Effect.gen(function*() {
        const input = { mobile: payload.mobile, clientIp: clientIp(request, trustedProxyHops) }
        return payoutAccountView(yield* accounts.requestNumber(yield* CurrentUser, yield* driverPayee, input))
      })),
    confirmDriverNumber: ({ payload }) =>
      asDriverCall(pendingNumberParsed(Effect.gen(function*() {
        return payoutAccountView(yield* accounts.confirmNumber(yield* CurrentUser, yield* driverPayee, { code: payload.code }))
      }))),
    driverChanges: () =>
      asDriverCall(Effect.gen(function*() {
        return payoutAccountChangesView(yield* accounts.changesOf(yield* CurrentUser, yield* driverPayee))
      })),
    providerAccount: ({ params }) =>
      asProviderCall(Effect.gen(function*() {
        return payoutAccountView(yield* accounts.accountOf(yield* CurrentUser, providerPayee(params.providerId)))
      })),
    requestProviderNumber: ({ params, payload, request }) =>
      asProviderCall(Effect.gen(function*() {
        const input = { mobile: payload.mobile, clientIp: clientIp(request, trustedProxyHops) }
        return payoutAccountView(yield* accounts.requestNumber(yield* CurrentUser, providerPayee(params.providerId), input))
      })),
    confirmProviderNumber: ({ params, payload }) =>
      asProviderCall(pendingNumberParsed(Effect.gen(function*() {
        return payoutAccountView(yield* accounts.confirmNumber(yield* CurrentUser, providerPayee(params.providerId), { code: payload.code }))
      }))),
    providerChanges: ({ params }) =>
      asProviderCall(Effect.gen(function*() {
        return payoutAccountChangesView(yield* accounts.changesOf(yield* CurrentUser, providerPayee(params.providerId)))
      }))
  })
}))
