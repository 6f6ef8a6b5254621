import { Effect } from "effect"
import { AccessTokenInvalid } from "./errors.ts"
import { TokenIssuer } from "./TokenIssuer.ts"
import { TokenRevocations } from "./TokenRevocations.ts"

/**
 * Who is calling: a valid, unexpired access token whose token and session were not revoked.
 * Built once with its ports (it runs on every private request, so it resolves them once, and
 * records no span of its own).
 */
export const makeAuthenticator = Effect.gen(function*() {
  const tokens = yield* TokenIssuer
  const revocations = yield* TokenRevocations
  return Effect.fnUntraced(function*(accessToken: string) {
    const claims = yield* tokens.verifyAccess(accessToken)
    if (yield* revocations.isRevoked(claims)) return yield* new AccessTokenInvalid({ reason: "revoked" })
    return claims
  })
})
