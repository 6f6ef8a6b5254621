import { Effect } from "effect"
import { AccessTokenInvalid } from "./errors.ts"
import { TokenIssuer } from "./TokenIssuer.ts"
import { TokenRevocations } from "./TokenRevocations.ts"

/** Who is calling: a valid, unexpired access token whose token and session were not revoked. */
export const authenticate = Effect.fn("authenticate")(function*(accessToken: string) {
  const claims = yield* (yield* TokenIssuer).verifyAccess(accessToken)
  if (yield* (yield* TokenRevocations).isRevoked(claims)) return yield* new AccessTokenInvalid({ reason: "revoked" })
  return claims
})
