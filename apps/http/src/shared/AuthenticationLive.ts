import { Context, Effect, Layer, Redacted } from "effect"
import { makeAuthenticator } from "@nelo/domain/auth/authenticate"
import { AdminAuthentication, Authentication, CurrentUser } from "./Authentication.ts"

/**
 * Verifies the bearer token on every private endpoint. A revoked token or session is refused like
 * a forged one; when the revocation store cannot be asked, the request is refused with 503 rather
 * than let through (fail closed). The admin endpoints' scheme (adminBearer) is the same token,
 * verified by the same authenticator: only the OpenAPI tells them apart.
 */
export const AuthenticationLive = Layer.effectContext(Effect.gen(function*() {
  const authenticate = yield* makeAuthenticator
  const bearer = <A, E, R>(httpEffect: Effect.Effect<A, E, R>, { credential }: { readonly credential: Redacted.Redacted<string> }) =>
    Effect.flatMap(authenticate(Redacted.value(credential)), (claims) => Effect.provideService(httpEffect, CurrentUser, claims))
  return Context.make(Authentication, Authentication.of({ bearer })).pipe(
    Context.add(AdminAuthentication, AdminAuthentication.of({ adminBearer: bearer }))
  )
}))
