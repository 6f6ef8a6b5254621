import { randomInt } from "node:crypto"
import { Effect, Layer } from "effect"
import { AuthCrypto } from "@nelo/domain/auth/AuthCrypto"
import { AuthCryptoNode } from "../auth/AuthCryptoNode.ts"

const digits = "0123456789"
const secretBytes = 32
const twoToThe32 = 2 ** 32

/** mulberry32: a tiny 32-bit generator, statistically decent and fully determined by its seed. */
const mulberry32 = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = state
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1)
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61)
    return (mixed ^ (mixed >>> 14)) >>> 0
  }
}

/**
 * Randomness from a seeded generator, so a unit test that picks the seed can predict every code
 * and secret; digests and their comparison are the Node adapter's own (HMAC-SHA256 keyed with
 * AUTH_DIGEST_SECRET, timingSafeEqual), so a digest here equals the production one. Never for
 * production: whoever knows the seed knows every code.
 */
export const makeAuthCryptoMemory = (seed: number) =>
  Layer.effect(AuthCrypto, Effect.gen(function*() {
    const keyed = yield* AuthCrypto
    const next = mulberry32(seed)
    // Rejection sampling, as node's randomInt does: a plain modulo would favour the low values.
    const below = (bound: number) => {
      const limit = twoToThe32 - (twoToThe32 % bound)
      let drawn = next()
      while (drawn >= limit) drawn = next()
      return drawn % bound
    }
    const draw = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[below(alphabet.length)]).join("")
    return AuthCrypto.of({
      newOtpCode: (length) => Effect.sync(() => draw(digits, length)),
      newSecret: Effect.sync(() => Buffer.from(Array.from({ length: secretBytes }, () => below(256))).toString("base64url")),
      newCode: (alphabet, length) => Effect.sync(() => draw(alphabet, length)),
      digest: keyed.digest,
      sameDigest: keyed.sameDigest
    })
  })).pipe(Layer.provide(AuthCryptoNode))

/**
 * Seeded once per layer from the CSPRNG: two instances do not repeat each other's codes and
 * secrets. Tests that must predict a code use makeAuthCryptoMemory with a seed of their own.
 */
export const AuthCryptoMemory = Layer.unwrap(Effect.sync(() => makeAuthCryptoMemory(randomInt(twoToThe32 - 1))))
