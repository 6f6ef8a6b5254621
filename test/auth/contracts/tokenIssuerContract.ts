import { assert, layer } from "@effect/vitest"
import { Clock, Effect, type Layer, Result } from "effect"
import { TestClock } from "effect/testing"
import { TokenIssuer } from "@nelo/domain/auth/TokenIssuer"
import { parsePhone } from "@nelo/domain/shared/Phone"
import type { UserId } from "@nelo/domain/users/User"

const minuteMs = 60_000
const userId = "01900000-0000-7000-8000-000000000001" as UserId
const phone = Result.getOrThrow(parsePhone("0701020304"))

// Not on a whole second, so that a JWT's whole-second expiry really is rounded.
const aMorning = TestClock.setTime(Date.UTC(2026, 0, 15, 9, 30, 12, 345))

/** Changes one character in the middle of the token's last 20: inside a JWT's signature. */
export const altered = (token: string) => {
  const index = token.length - 10
  return `${token.slice(0, index)}${token[index] === "A" ? "B" : "A"}${token.slice(index + 1)}`
}

/** At a fixed morning, one access and one verification token with the same time to live. */
const bothTokens = Effect.gen(function*() {
  yield* aMorning
  const tokens = yield* TokenIssuer
  const access = yield* tokens.issueAccess({ userId, roles: ["client"], sessionId: "session-1" }, 15 * minuteMs)
  const verification = yield* tokens.issueVerification({ phone, purpose: "login" }, 15 * minuteMs)
  return { tokens, access, verification }
})

/** Why an access token is refused (the test fails if it is accepted). */
const accessRefusal = Effect.fnUntraced(function*(token: string) {
  return (yield* Effect.flip((yield* TokenIssuer).verifyAccess(token))).reason
})

const verificationRefused = Effect.fnUntraced(function*(token: string) {
  return (yield* Effect.flip((yield* TokenIssuer).verifyVerification(token)))._tag
})

/**
 * One suite, run against every TokenIssuer adapter: they must carry claims, expire and refuse the
 * same. Time is the TestClock's: both adapters read Effect's Clock, so no test waits.
 */
export const tokenIssuerContract = (name: string, issuerLayer: Layer.Layer<TokenIssuer, unknown>) =>
  layer(issuerLayer)(`TokenIssuer contract: ${name}`, (it) => {
    it.effect("an access token carries back the user, roles and session it was issued for, with its id and expiry", () =>
      Effect.gen(function*() {
        yield* aMorning
        const tokens = yield* TokenIssuer
        const issued = yield* tokens.issueAccess({ userId, roles: ["client", "driver"], sessionId: "session-1" }, 15 * minuteMs)
        assert.deepStrictEqual(yield* tokens.verifyAccess(issued.token), {
          userId,
          roles: ["client", "driver"],
          sessionId: "session-1",
          tokenId: issued.tokenId,
          expiresAt: issued.expiresAt
        })
      }))

    it.effect("a verification token carries back its phone and purpose, with its id and expiry", () =>
      Effect.gen(function*() {
        yield* aMorning
        const tokens = yield* TokenIssuer
        const issued = yield* tokens.issueVerification({ phone, purpose: "register" }, 10 * minuteMs)
        assert.deepStrictEqual(yield* tokens.verifyVerification(issued.token), { phone, purpose: "register", tokenId: issued.tokenId, expiresAt: issued.expiresAt })
      }))

    it.effect("every token is new: the same claims twice give two tokens with two ids", () =>
      Effect.gen(function*() {
        yield* aMorning
        const tokens = yield* TokenIssuer
        const claims = { userId, roles: ["client"] as const, sessionId: "session-1" }
        const first = yield* tokens.issueAccess(claims, minuteMs)
        const second = yield* tokens.issueAccess(claims, minuteMs)
        assert.notStrictEqual(first.token, second.token)
        assert.notStrictEqual(first.tokenId, second.tokenId)
      }))

    it.effect("the expiry is the time to live from now, at most a second earlier (a JWT counts whole seconds)", () =>
      Effect.gen(function*() {
        yield* aMorning
        const tokens = yield* TokenIssuer
        const nowMs = yield* Clock.currentTimeMillis
        const access = yield* tokens.issueAccess({ userId, roles: [], sessionId: "session-1" }, 15 * minuteMs)
        const verification = yield* tokens.issueVerification({ phone, purpose: "login" }, 10 * minuteMs)
        for (const [issued, askedMs] of [[access, 15 * minuteMs], [verification, 10 * minuteMs]] as const) {
          const ttlMs = issued.expiresAt.getTime() - nowMs
          assert.isTrue(ttlMs <= askedMs && ttlMs > askedMs - 1_000, `time to live ${ttlMs} ms for ${askedMs} ms asked`)
        }
      }))

    it.effect("a token is valid until the millisecond before its expiry, and expired from then on", () =>
      Effect.gen(function*() {
        const { tokens, access, verification } = yield* bothTokens
        assert.strictEqual(verification.expiresAt.getTime(), access.expiresAt.getTime(), "same time to live, same clock")
        yield* TestClock.setTime(access.expiresAt.getTime() - 1)
        assert.strictEqual((yield* tokens.verifyAccess(access.token)).tokenId, access.tokenId)
        assert.strictEqual((yield* tokens.verifyVerification(verification.token)).tokenId, verification.tokenId)
        yield* TestClock.setTime(access.expiresAt.getTime())
        assert.strictEqual(yield* accessRefusal(access.token), "expired")
        assert.strictEqual(yield* verificationRefused(verification.token), "VerificationTokenInvalid")
      }))

    it.effect("an access token is not a verification token, nor the reverse", () =>
      Effect.gen(function*() {
        const { access, verification } = yield* bothTokens
        assert.strictEqual(yield* verificationRefused(access.token), "VerificationTokenInvalid")
        assert.strictEqual(yield* accessRefusal(verification.token), "malformed")
      }))

    it.effect("a token altered by one character was not issued here: refused as a bad signature", () =>
      Effect.gen(function*() {
        const { access, verification } = yield* bothTokens
        assert.strictEqual(yield* accessRefusal(altered(access.token)), "signature")
        assert.strictEqual(yield* verificationRefused(altered(verification.token)), "VerificationTokenInvalid")
      }))

    it.effect("what is not a token at all is malformed", () =>
      Effect.gen(function*() {
        for (const garbage of ["", "not-a-token", "a.b.c", "Bearer x"]) {
          assert.strictEqual(yield* accessRefusal(garbage), "malformed", JSON.stringify(garbage))
          assert.strictEqual(yield* verificationRefused(garbage), "VerificationTokenInvalid", JSON.stringify(garbage))
        }
      }))
  })
