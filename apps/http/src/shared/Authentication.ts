import { Context } from "effect"
import { HttpApiMiddleware, HttpApiSecurity, OpenApi } from "effect/http-api"
import type { AccessClaims } from "@nelo/domain/auth/TokenIssuer"
import { ServiceUnavailable, Unauthenticated } from "./problems.ts"

/** The caller of a private endpoint, as proven by their access token. */
export class CurrentUser extends Context.Service<CurrentUser, AccessClaims>()("nelo/http/CurrentUser") {}

/** Bearer access token required; provides CurrentUser. */
export class Authentication extends HttpApiMiddleware.Service<Authentication, { provides: CurrentUser; requires: never }>()("nelo/http/Authentication", {
  security: { bearer: HttpApiSecurity.bearer },
  error: [Unauthenticated, ServiceUnavailable]
}) {}

/**
 * The admin endpoints' security: the same bearer access token, verified by the same authenticator
 * (AuthenticationLive provides both), under its own OpenAPI scheme `adminBearer` so that the contract
 * says these operations need an administrator's token. Who is an administrator is still the domain's
 * decision, from the token's roles (403 forbidden otherwise).
 */
export class AdminAuthentication extends HttpApiMiddleware.Service<AdminAuthentication, { provides: CurrentUser; requires: never }>()("nelo/http/AdminAuthentication", {
  security: { adminBearer: HttpApiSecurity.bearer.pipe(HttpApiSecurity.annotate(OpenApi.Description, "jeton d'un compte administrateur")) },
  error: [Unauthenticated, ServiceUnavailable]
}) {}
