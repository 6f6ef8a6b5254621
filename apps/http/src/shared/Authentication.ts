import { Context } from "effect"
import { HttpApiMiddleware, HttpApiSecurity } from "effect/http-api"
import type { AccessClaims } from "@nelo/domain/auth/TokenIssuer"
import { ServiceUnavailable, Unauthenticated } from "./problems.ts"

/** The caller of a private endpoint, as proven by their access token. */
export class CurrentUser extends Context.Service<CurrentUser, AccessClaims>()("nelo/http/CurrentUser") {}

/** Bearer access token required; provides CurrentUser. */
export class Authentication extends HttpApiMiddleware.Service<Authentication, { provides: CurrentUser; requires: never }>()("nelo/http/Authentication", {
  security: { bearer: HttpApiSecurity.bearer },
  error: [Unauthenticated, ServiceUnavailable]
}) {}
