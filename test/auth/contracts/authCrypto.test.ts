import { assert, describe, it } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import { AuthCryptoNode } from "@nelo/adapters/auth/AuthCryptoNode"
import { AuthCryptoMemory, makeAuthCryptoMemory } from "@nelo/adapters/memory/AuthCryptoMemory"
import { AuthCrypto } from "@nelo/domain/auth/AuthCrypto"
import { referralAlphabet } from "@nelo/domain/users/User"
import { authCryptoContract, withDigestSecret } from "./authCryptoContract.ts"

authCryptoContract("memory", AuthCryptoMemory)
authCryptoContract("memory, seeded", makeAuthCryptoMemory(20_260_115))
authCryptoContract("node", AuthCryptoNode)

/** A few of everything the adapter draws, in order. */
const drawsOf = (cryptoLayer: Layer.Layer<AuthCrypto, unknown>) =>
  Effect.gen(function*() {
    const crypto = yield* AuthCrypto
    return [yield* crypto.newOtpCode(6), yield* crypto.newSecret, yield* crypto.newCode(referralAlphabet, 8), yield* crypto.newOtpCode(6)]
  }).pipe(Effect.provide(cryptoLayer))

describe("AuthCryptoMemory", () => {
  it.effect("one seed draws the same codes and secrets every time, so a test can predict them", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* drawsOf(makeAuthCryptoMemory(42)), yield* drawsOf(makeAuthCryptoMemory(42)))
    }))

  it.effect("another seed, or the unseeded layer, draws otherwise", () =>
    Effect.gen(function*() {
      const seeded = yield* drawsOf(makeAuthCryptoMemory(42))
      assert.notDeepEqual(yield* drawsOf(makeAuthCryptoMemory(43)), seeded)
      assert.notDeepEqual(yield* drawsOf(AuthCryptoMemory), yield* drawsOf(AuthCryptoMemory))
    }))

  it.effect("its digests are the production ones for the same secret", () =>
    Effect.gen(function*() {
      const secret = "a-digest-secret-shared-by-both-adapters"
      const memory = yield* withDigestSecret(makeAuthCryptoMemory(42), secret)
      const node = yield* withDigestSecret(AuthCryptoNode, secret)
      assert.strictEqual(memory.digest("otp:+2250701020304:register:123456"), node.digest("otp:+2250701020304:register:123456"))
    }))
})
