import { assert, layer } from "@effect/vitest"
import { Clock, Effect, type Layer } from "effect"
import { TokenRevocations } from "@nelo/domain/auth/TokenRevocations"

// The Redis suite shares the run's key prefix with other files: every test uses ids of its own.
const newId = (name: string) => `${name}-${crypto.randomUUID()}`

/** One suite, run against every TokenRevocations adapter: they must revoke and forget the same. */
export const tokenRevocationsContract = (name: string, revocationsLayer: Layer.Layer<TokenRevocations, unknown>) =>
  layer(revocationsLayer, { excludeTestServices: true })(`TokenRevocations contract: ${name}`, (it) => {
    it.effect("a revoked access token is revoked in any session; other tokens of its session are not", () =>
      Effect.gen(function*() {
        const revocations = yield* TokenRevocations
        const tokenId = newId("token")
        const sessionId = newId("session")
        assert.isFalse(yield* revocations.isRevoked({ tokenId, sessionId }))
        yield* revocations.revokeAccessToken(tokenId, (yield* Clock.currentTimeMillis) + 5_000)
        assert.isTrue(yield* revocations.isRevoked({ tokenId, sessionId }))
        assert.isTrue(yield* revocations.isRevoked({ tokenId, sessionId: newId("session") }))
        assert.isFalse(yield* revocations.isRevoked({ tokenId: newId("token"), sessionId }))
      }))

    it.effect("a revoked session revokes every token that names it", () =>
      Effect.gen(function*() {
        const revocations = yield* TokenRevocations
        const sessionId = newId("session")
        yield* revocations.revokeSession(sessionId, (yield* Clock.currentTimeMillis) + 5_000)
        assert.isTrue(yield* revocations.isRevoked({ tokenId: newId("token"), sessionId }))
        assert.isTrue(yield* revocations.isRevoked({ tokenId: newId("token"), sessionId }))
        assert.isFalse(yield* revocations.isRevoked({ tokenId: newId("token"), sessionId: newId("session") }))
      }))

    it.effect("token and session ids live apart: revoking session X does not revoke token X", () =>
      Effect.gen(function*() {
        const revocations = yield* TokenRevocations
        const sharedId = newId("shared")
        yield* revocations.revokeSession(sharedId, (yield* Clock.currentTimeMillis) + 5_000)
        assert.isFalse(yield* revocations.isRevoked({ tokenId: sharedId, sessionId: newId("session") }))
      }))

    it.effect("revocations are forgotten at their deadline, and one whose deadline has passed is not kept", () =>
      Effect.gen(function*() {
        const revocations = yield* TokenRevocations
        const tokenId = newId("token")
        const sessionId = newId("session")
        const nowMs = yield* Clock.currentTimeMillis
        yield* revocations.revokeAccessToken(tokenId, nowMs + 200)
        yield* revocations.revokeSession(sessionId, nowMs + 200)
        assert.isTrue(yield* revocations.isRevoked({ tokenId, sessionId: newId("session") }))
        assert.isTrue(yield* revocations.isRevoked({ tokenId: newId("token"), sessionId }))
        yield* Effect.sleep("300 millis")
        assert.isFalse(yield* revocations.isRevoked({ tokenId, sessionId }))

        const late = newId("token")
        yield* revocations.revokeAccessToken(late, (yield* Clock.currentTimeMillis) - 1_000)
        yield* revocations.revokeSession(late, (yield* Clock.currentTimeMillis) - 1_000)
        assert.isFalse(yield* revocations.isRevoked({ tokenId: late, sessionId: late }))
      }))

    it.effect("an id is consumed once, then refused until its time to live has passed", () =>
      Effect.gen(function*() {
        const revocations = yield* TokenRevocations
        const id = newId("once")
        assert.isTrue(yield* revocations.consumeOnce(id, 200))
        assert.isFalse(yield* revocations.consumeOnce(id, 200))
        assert.isTrue(yield* revocations.consumeOnce(newId("once"), 200))
        yield* Effect.sleep("300 millis")
        assert.isTrue(yield* revocations.consumeOnce(id, 200))
      }))

    it.effect("of 20 concurrent consumers of one id exactly one gets it", () =>
      Effect.gen(function*() {
        const revocations = yield* TokenRevocations
        const id = newId("race")
        const outcomes = yield* Effect.all(Array.from({ length: 20 }, () => revocations.consumeOnce(id, 5_000)), { concurrency: "unbounded" })
        assert.strictEqual(outcomes.filter(Boolean).length, 1)
      }))

    it.effect("consuming an id does not revoke the token of that id", () =>
      Effect.gen(function*() {
        const revocations = yield* TokenRevocations
        const id = newId("token")
        yield* revocations.consumeOnce(id, 5_000)
        assert.isFalse(yield* revocations.isRevoked({ tokenId: id, sessionId: id }))
      }))
  })
