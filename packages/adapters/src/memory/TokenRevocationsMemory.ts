import { Clock, Effect, Layer } from "effect"
import { TokenRevocations } from "@nelo/domain/auth/TokenRevocations"
import { expiringEntries } from "./expiringEntries.ts"

/** In-memory revocations for tests and local runs; each one is forgotten at its deadline. */
export const TokenRevocationsMemory = Layer.sync(TokenRevocations, () => {
  const revoked = expiringEntries<true>()
  const consumed = expiringEntries<true>()
  // A deadline already past is skipped, as in Redis: it must not overwrite a live revocation.
  const revoke = (kind: "token" | "session") => (id: string, untilMs: number) =>
    Effect.map(Clock.currentTimeMillis, (nowMs) => {
      if (untilMs > nowMs) revoked.write(`${kind}:${id}`, true, untilMs)
    })

  return TokenRevocations.of({
    revokeAccessToken: revoke("token"),
    revokeSession: revoke("session"),
    isRevoked: ({ sessionId, tokenId }) =>
      Effect.map(Clock.currentTimeMillis, (nowMs) =>
        revoked.read(`token:${tokenId}`, nowMs) !== undefined || revoked.read(`session:${sessionId}`, nowMs) !== undefined),
    consumeOnce: (tokenId, ttlMs) =>
      Effect.map(Clock.currentTimeMillis, (nowMs) => {
        if (consumed.read(tokenId, nowMs)) return false
        consumed.write(tokenId, true, nowMs + ttlMs)
        return true
      })
  })
})
