import { Context, Effect } from "effect"
import { AuthPolicy } from "@nelo/domain/auth/AuthPolicy"
import { WrongPinObserver } from "@nelo/domain/auth/WrongPinObserver"
import type { HttpServerRequest } from "effect/http"
import { type AuthError, authProblem, type AuthProblem } from "./authProblem.ts"
import type { AuthServices } from "./AuthServices.ts"

/**
 * The references the auth use cases read, as configured when the server started: a reference not
 * put in the handlers' context would silently fall back to its default.
 */
export const authReferences = Effect.gen(function*() {
  return Context.make(AuthPolicy, yield* AuthPolicy).pipe(Context.add(WrongPinObserver, yield* WrongPinObserver))
})

/**
 * How a handler answers with a use case (pipeable): with the ports and references the handlers
 * captured at start-up, and domain errors turned into the endpoint's problems (status, code,
 * French message).
 */
export const answerWith = Effect.gen(function*() {
  const context = Context.merge(yield* Effect.context<AuthServices>(), yield* authReferences)
  return (request: HttpServerRequest.HttpServerRequest) =>
  <A, E extends AuthError, R>(useCase: Effect.Effect<A, E, R>): Effect.Effect<A, AuthProblem, Exclude<R, AuthServices | AuthPolicy | WrongPinObserver>> =>
    useCase.pipe(Effect.provide(context), Effect.catch(authProblem(request)))
})
