import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { getProfile, updateProfile } from "@nelo/domain/users/profile"
import { CurrentUser } from "../api/Authentication.ts"
import { NeloApi } from "../api/NeloApi.ts"
import { authProblem } from "./authProblem.ts"
import type { AuthServices } from "./AuthServices.ts"
import { userView } from "./views.ts"

export const UsersHandlers = HttpApiBuilder.group(NeloApi, "users", Effect.fn(function*(handlers) {
  const services = yield* Effect.context<AuthServices>()
  return handlers.handleAll({
    me: ({ request }) =>
      Effect.gen(function*() {
        return userView(yield* getProfile((yield* CurrentUser).userId))
      }).pipe(Effect.provide(services), Effect.catch(authProblem(request))),
    updateMe: ({ payload, request }) =>
      Effect.gen(function*() {
        return userView(yield* updateProfile((yield* CurrentUser).userId, payload))
      }).pipe(Effect.provide(services), Effect.catch(authProblem(request)))
  })
}))
