import { Clock, Effect, Layer } from "effect"
import { TokenRevocations } from "@nelo/domain/auth/TokenRevocations"
import { authStoreRedis, redisDurationMs } from "./authStoreRedis.ts"

export const TokenRevocationsRedis = Layer.effect(TokenRevocations, Effect.gen(function*() {
  const { key, run } = yield* authStoreRedis
  const revokedKey = (kind: "token" | "session", id: string) => key("revoked", kind, id)

  // The deadline becomes a time to live measured on this process's clock, the one that judges the
  // tokens' own expiry: PXAT would read Redis's clock instead, and a Redis clock running ahead
  // would forget a revocation while the token still passes here.
  const revoke = (kind: "token" | "session") => (id: string, untilMs: number) =>
    Effect.flatMap(Clock.currentTimeMillis, (nowMs) =>
      untilMs <= nowMs
        ? Effect.void
        : run((redis) => redis.set(revokedKey(kind, id), "1", "PX", redisDurationMs(untilMs - nowMs))).pipe(Effect.asVoid))

  return TokenRevocations.of({
    revokeAccessToken: revoke("token"),
    revokeSession: revoke("session"),
    // Asked on every authenticated request: both keys in one round trip.
    isRevoked: ({ sessionId, tokenId }) =>
      run((redis) => redis.mget(revokedKey("token", tokenId), revokedKey("session", sessionId))).pipe(
        Effect.map((values) => values.some((value) => value !== null))
      ),
    consumeOnce: (tokenId, ttlMs) =>
      run((redis) => redis.set(key("once", tokenId), "1", "PX", redisDurationMs(ttlMs), "NX")).pipe(
        Effect.map((reply) => reply === "OK")
      )
  })
}))
