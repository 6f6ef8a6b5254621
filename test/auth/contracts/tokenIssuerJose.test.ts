import { randomBytes, randomUUID } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Result } from "effect"
import { decodeProtectedHeader, generateKeyPair, SignJWT, UnsecuredJWT } from "jose"
import { TokenIssuerJose } from "@nelo/adapters/auth/TokenIssuerJose"
import { TokenIssuer } from "@nelo/domain/auth/TokenIssuer"
import { parsePhone } from "@nelo/domain/shared/Phone"
import type { UserId } from "@nelo/domain/users/User"
import { withEnv } from "../../support/withEnv.ts"

// What only a JWT adapter can get wrong: keys, algorithms, signatures and claims of tokens it did
// not issue. Each forged token differs from a good one in one thing, and a good forgery is
// accepted first, so each refusal is about that one thing.

const minuteMs = 60_000
const userId = "01900000-0000-7000-8000-000000000001" as UserId
const phone = Result.getOrThrow(parsePhone("0701020304"))
const activeKey = randomBytes(32)
const keyEntry = (keyId: string, key: Uint8Array) => `${keyId}:${Buffer.from(key).toString("base64")}`

const issuerWith = (env: Record<string, string>) =>
  Effect.gen(function*() {
    return yield* TokenIssuer
  }).pipe(Effect.provide(TokenIssuerJose.pipe(Layer.provide(withEnv(env)))))

const issuer = issuerWith({ JWT_SIGNING_KEYS: keyEntry("test-1", activeKey), JWT_ACTIVE_KEY_ID: "test-1" })

interface Forgery {
  readonly key?: Parameters<SignJWT["sign"]>[0]
  readonly algorithm?: string
  /** null: no `kid` in the header at all. */
  readonly keyId?: string | null
  readonly issuer?: string
  readonly audience?: string
  readonly claims?: Record<string, unknown>
}

/** An access token made outside the adapter; with no options, exactly like one it issues. */
const forge = (forgery: Forgery = {}) => {
  const keyId = forgery.keyId === undefined ? "test-1" : forgery.keyId
  return Effect.promise(() =>
    new SignJWT({ roles: ["client"], sid: "session-1", ...forgery.claims })
      .setProtectedHeader({ alg: forgery.algorithm ?? "HS256", typ: "JWT", ...(keyId === null ? {} : { kid: keyId }) })
      .setIssuer(forgery.issuer ?? "nelo")
      .setAudience(forgery.audience ?? "nelo-api")
      .setSubject(userId)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime("15m")
      .sign(forgery.key ?? activeKey))
}

const accessRefusal = Effect.fnUntraced(function*(token: string) {
  return (yield* Effect.flip((yield* issuer).verifyAccess(token))).reason
})

describe("TokenIssuerJose", () => {
  it.live("a token signed like ours, with a configured key, is accepted", () =>
    Effect.gen(function*() {
      const claims = yield* (yield* issuer).verifyAccess(yield* forge())
      assert.strictEqual(claims.userId, userId)
      assert.deepStrictEqual(claims.roles, ["client"])
    }))

  it.live("a key id that is not configured, or none, is refused, even with the right secret", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* accessRefusal(yield* forge({ keyId: "retired-key" })), "signature")
      assert.strictEqual(yield* accessRefusal(yield* forge({ keyId: null })), "signature")
    }))

  it.live("a configured key id with another secret is refused", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* accessRefusal(yield* forge({ key: randomBytes(32) })), "signature")
    }))

  it.live("an unsigned token (alg: none) is refused", () =>
    Effect.gen(function*() {
      const unsigned = new UnsecuredJWT({ roles: ["admin"], sid: "session-1" })
        .setIssuer("nelo").setAudience("nelo-api").setSubject(userId).setJti(randomUUID()).setIssuedAt().setExpirationTime("15m")
        .encode()
      assert.strictEqual(yield* accessRefusal(unsigned), "malformed")
      // The same with our key id in the header, in case a verifier trusted the kid first.
      const [, payload] = unsigned.split(".")
      const header = Buffer.from(JSON.stringify({ alg: "none", kid: "test-1", typ: "JWT" })).toString("base64url")
      assert.strictEqual(yield* accessRefusal(`${header}.${payload}.`), "malformed")
    }))

  it.live("another algorithm is refused: HS512 with our own key, RS256 with a key pair", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* accessRefusal(yield* forge({ algorithm: "HS512" })), "malformed")
      const { privateKey } = yield* Effect.promise(() => generateKeyPair("RS256"))
      assert.strictEqual(yield* accessRefusal(yield* forge({ algorithm: "RS256", key: privateKey })), "malformed")
    }))

  it.live("a payload changed after signing (roles raised to admin) is refused", () =>
    Effect.gen(function*() {
      const tokens = yield* issuer
      const issued = yield* tokens.issueAccess({ userId, roles: ["client"], sessionId: "session-1" }, 15 * minuteMs)
      const [header, payload, signature] = issued.token.split(".")
      const claims = JSON.parse(Buffer.from(payload!, "base64url").toString())
      const raised = Buffer.from(JSON.stringify({ ...claims, roles: ["admin"] })).toString("base64url")
      assert.strictEqual(yield* accessRefusal(`${header}.${raised}.${signature}`), "signature")
    }))

  it.live("a token of another issuer, audience or shape is refused", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* accessRefusal(yield* forge({ issuer: "someone-else" })), "malformed")
      assert.strictEqual(yield* accessRefusal(yield* forge({ audience: "nelo-phone-verification" })), "malformed")
      assert.strictEqual(yield* accessRefusal(yield* forge({ claims: { sid: undefined } })), "malformed")
      assert.strictEqual(yield* accessRefusal(yield* forge({ claims: { roles: ["superuser"] } })), "malformed")
    }))

  it.live("a verification token is not an access token (wrong audience), nor the reverse", () =>
    Effect.gen(function*() {
      const tokens = yield* issuer
      const verification = yield* tokens.issueVerification({ phone, purpose: "register" }, 10 * minuteMs)
      assert.strictEqual(yield* accessRefusal(verification.token), "malformed")
      const access = yield* tokens.issueAccess({ userId, roles: ["client"], sessionId: "session-1" }, 15 * minuteMs)
      assert.strictEqual((yield* Effect.flip(tokens.verifyVerification(access.token)))._tag, "VerificationTokenInvalid")
    }))

  it.live("key rotation: a token of the old key verifies while that key is listed, and no longer once it is removed", () =>
    Effect.gen(function*() {
      const oldKey = randomBytes(32)
      const newKey = randomBytes(32)
      const before = yield* issuerWith({ JWT_SIGNING_KEYS: keyEntry("old", oldKey), JWT_ACTIVE_KEY_ID: "old" })
      const during = yield* issuerWith({ JWT_SIGNING_KEYS: `${keyEntry("old", oldKey)},${keyEntry("new", newKey)}`, JWT_ACTIVE_KEY_ID: "new" })
      const after = yield* issuerWith({ JWT_SIGNING_KEYS: keyEntry("new", newKey), JWT_ACTIVE_KEY_ID: "new" })
      const claims = { userId, roles: ["client"] as const, sessionId: "session-1" }

      const signedByOld = yield* before.issueAccess(claims, 15 * minuteMs)
      const signedByNew = yield* during.issueAccess(claims, 15 * minuteMs)
      assert.strictEqual(decodeProtectedHeader(signedByOld.token).kid, "old")
      assert.strictEqual(decodeProtectedHeader(signedByNew.token).kid, "new")

      assert.strictEqual((yield* during.verifyAccess(signedByOld.token)).tokenId, signedByOld.tokenId)
      assert.strictEqual((yield* during.verifyAccess(signedByNew.token)).tokenId, signedByNew.tokenId)
      assert.strictEqual((yield* Effect.flip(after.verifyAccess(signedByOld.token))).reason, "signature")
      assert.strictEqual((yield* after.verifyAccess(signedByNew.token)).tokenId, signedByNew.tokenId)
    }))
})
