import { Effect, Layer, Redacted } from "effect"
import { makeAuthenticator } from "@nelo/domain/auth/authenticate"
import { Authentication, CurrentUser } from "./Authentication.ts"

/**
 * Verifies the bearer token on every private endpoint. A revoked token or session is refused like
 * a forged one; when the revocation store cannot be asked, the request is refused with 503 rather
 * than let through (fail closed).
 */
export const AuthenticationLive = Layer.effect(Authentication, Effect.gen(function*() {
  const authenticate = yield* makeAuthenticator
  return Authentication.of({
    bearer: (httpEffect, { credential }) =>
      Effect.flatMap(authenticate(Redacted.value(credential)), (claims) => Effect.provideService(httpEffect, CurrentUser, claims))
  })
}))
