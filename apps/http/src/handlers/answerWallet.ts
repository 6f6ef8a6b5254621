import { Context, Effect } from "effect"
import type { HttpServerRequest } from "effect/http"
import { WalletPolicy } from "@nelo/domain/wallet/WalletPolicy"
import { authReferences } from "./answerWith.ts"
import { type WalletError, walletProblem, type WalletProblem } from "./walletProblem.ts"
import type { WalletServices } from "./WalletServices.ts"

/**
 * answerWith for the wallet: its ports and the policies read from config when the server started
 * (references not captured would silently fall back to their defaults), errors as problems.
 */
export const answerWallet = Effect.gen(function*() {
  const services = yield* Effect.context<WalletServices>()
  const context = Context.merge(Context.add(services, WalletPolicy, yield* WalletPolicy), yield* authReferences)
  return (request: HttpServerRequest.HttpServerRequest) =>
  <A, E extends WalletError, R>(useCase: Effect.Effect<A, E, R>): Effect.Effect<A, WalletProblem, Exclude<R, WalletServices>> =>
    useCase.pipe(Effect.provide(context), Effect.catch(walletProblem(request)))
})
