import { type Context, Effect } from "effect"
import type { HttpServerRequest } from "effect/http"
import { type AuthError, authProblem, type AuthProblem } from "./authProblem.ts"
import type { AuthServices } from "./AuthServices.ts"

/**
 * How a handler answers with a use case (pipeable): with the ports the handlers captured at
 * start-up, and domain errors turned into the endpoint's problems (status, code, French message).
 */
export const answerWith = (services: Context.Context<AuthServices>) =>
  (request: HttpServerRequest.HttpServerRequest) =>
  <A, E extends AuthError, R>(useCase: Effect.Effect<A, E, R>): Effect.Effect<A, AuthProblem, Exclude<R, AuthServices>> =>
    useCase.pipe(Effect.provide(services), Effect.catch(authProblem(request)))
