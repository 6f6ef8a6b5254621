import { Effect, Layer, Redacted } from "effect"
import { makeAuthenticator } from "@nelo/domain/auth/authenticate"
import { Authentication, CurrentUser } from "../api/Authentication.ts"
import { ServiceUnavailableProblem, UnauthorizedProblem } from "../api/problems.ts"

const unauthorized = new UnauthorizedProblem({ code: "unauthenticated", message: "Connectez-vous pour continuer." })
const expired = new UnauthorizedProblem({ code: "access_token_expired", message: "Votre session a expiré : rafraîchissez le jeton ou reconnectez-vous." })

/**
 * Verifies the bearer token on every private endpoint. A revoked token or session is refused like
 * a forged one; when the revocation store cannot be asked, the request is refused with 503 rather
 * than let through (fail closed).
 */
export const AuthenticationLive = Layer.effect(Authentication, Effect.gen(function*() {
  const authenticate = yield* makeAuthenticator
  return Authentication.of({
    bearer: (httpEffect, { credential }) =>
      authenticate(Redacted.value(credential)).pipe(
        Effect.catchTags({
          AccessTokenInvalid: (error) => Effect.fail(error.reason === "expired" ? expired : unauthorized),
          AuthStoreUnavailable: () =>
            Effect.fail(new ServiceUnavailableProblem({ code: "service_unavailable", message: "Service momentanément indisponible. Réessayez dans un instant." }))
        }),
        Effect.flatMap((claims) => Effect.provideService(httpEffect, CurrentUser, claims))
      )
  })
}))
