import { assert, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { AuthCrypto } from "@nelo/domain/auth/AuthCrypto"
import { referralAlphabet } from "@nelo/domain/users/User"
import { withEnv } from "../../support/withEnv.ts"

const codeCount = 4_000
const codeLength = 5
// Chi-square with 9 degrees of freedom: a fair source exceeds 33.72 once in 10 000 runs, while a
// source that favours or drops a digit over 20 000 draws lands far above it.
const chiSquareLimit = 33.72

const chiSquare = (counts: ReadonlyArray<number>, draws: number) => {
  const expected = draws / counts.length
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0)
}

/**
 * The adapter's AuthCrypto with another AUTH_DIGEST_SECRET. Fresh: inside a `layer` block the
 * suite's memo map would hand back the instance already built with the env's secret.
 */
export const withDigestSecret = (cryptoLayer: Layer.Layer<AuthCrypto, unknown>, secret: string) =>
  Effect.gen(function*() {
    return yield* AuthCrypto
  }).pipe(Effect.provide(Layer.fresh(cryptoLayer.pipe(Layer.provide(withEnv({ AUTH_DIGEST_SECRET: secret }))))))

/** One suite, run against every AuthCrypto adapter: the same shapes, spread and digests. */
export const authCryptoContract = (name: string, cryptoLayer: Layer.Layer<AuthCrypto, unknown>) =>
  layer(cryptoLayer, { excludeTestServices: true })(`AuthCrypto contract: ${name}`, (it) => {
    it.effect("an OTP code has the length asked and only digits, leading zeros kept", () =>
      Effect.gen(function*() {
        const crypto = yield* AuthCrypto
        for (const length of [1, 4, 6, 8, 12]) {
          const code = yield* crypto.newOtpCode(length)
          assert.match(code, new RegExp(`^\\d{${length}}$`, "u"))
        }
        const codes = yield* Effect.all(Array.from({ length: 500 }, () => crypto.newOtpCode(6)))
        assert.isTrue(codes.some((code) => code.startsWith("0")), "a code may start with 0")
      }))

    it.effect("OTP digits are spread evenly over 20 000 draws (chi-square)", () =>
      Effect.gen(function*() {
        const crypto = yield* AuthCrypto
        const counts = Array.from({ length: 10 }, () => 0)
        for (let index = 0; index < codeCount; index++) {
          for (const digit of yield* crypto.newOtpCode(codeLength)) counts[Number(digit)]! += 1
        }
        const statistic = chiSquare(counts, codeCount * codeLength)
        assert.isBelow(statistic, chiSquareLimit, `digit counts ${counts.join(", ")}`)
      }))

    it.effect("a code drawn from an alphabet has the length asked, uses only that alphabet, and all of it", () =>
      Effect.gen(function*() {
        const crypto = yield* AuthCrypto
        const codes = yield* Effect.all(Array.from({ length: 2_000 }, () => crypto.newCode(referralAlphabet, 8)))
        const seen = new Set<string>()
        for (const code of codes) {
          assert.strictEqual(code.length, 8)
          for (const character of code) {
            assert.include(referralAlphabet, character)
            seen.add(character)
          }
        }
        assert.strictEqual(seen.size, referralAlphabet.length)
        assert.strictEqual(yield* crypto.newCode("x", 5), "xxxxx")
      }))

    it.effect("a secret is URL-safe, carries at least 256 bits, and is never drawn twice", () =>
      Effect.gen(function*() {
        const crypto = yield* AuthCrypto
        const secrets = yield* Effect.all(Array.from({ length: 1_000 }, () => crypto.newSecret))
        for (const secret of secrets) assert.match(secret, /^[A-Za-z0-9_-]{43,}$/u)
        assert.strictEqual(new Set(secrets).size, secrets.length)
      }))

    it.effect("a digest is the same for the same value, differs between values, and does not show the value", () =>
      Effect.gen(function*() {
        const crypto = yield* AuthCrypto
        const value = "otp:+2250701020304:login:123456"
        assert.strictEqual(crypto.digest(value), crypto.digest(value))
        assert.notStrictEqual(crypto.digest(value), crypto.digest("otp:+2250701020304:login:123457"))
        assert.notInclude(crypto.digest(value), "123456")
        assert.notInclude(crypto.digest(value), "2250701020304")
      }))

    it.effect("a digest is keyed: another AUTH_DIGEST_SECRET gives another digest, the same one gives the same", () =>
      Effect.gen(function*() {
        const value = "refresh:some-refresh-token"
        const first = yield* withDigestSecret(cryptoLayer, "first-digest-secret-of-at-least-32-characters")
        const again = yield* withDigestSecret(cryptoLayer, "first-digest-secret-of-at-least-32-characters")
        const second = yield* withDigestSecret(cryptoLayer, "second-digest-secret-of-at-least-32-characters")
        assert.strictEqual(first.digest(value), again.digest(value))
        assert.notStrictEqual(first.digest(value), second.digest(value))
      }))

    it.effect("sameDigest: true for equal digests, false for different ones, different lengths or nothing", () =>
      Effect.gen(function*() {
        const crypto = yield* AuthCrypto
        const digest = crypto.digest("value")
        assert.isTrue(crypto.sameDigest(digest, crypto.digest("value")))
        assert.isFalse(crypto.sameDigest(digest, crypto.digest("other value")))
        assert.isFalse(crypto.sameDigest(digest, digest.slice(0, digest.length / 2)))
        assert.isFalse(crypto.sameDigest(digest.slice(0, 2), digest))
        assert.isFalse(crypto.sameDigest("", ""))
        assert.isFalse(crypto.sameDigest(digest, ""))
        // Not hex past some point: Buffer.from would silently stop there.
        assert.isFalse(crypto.sameDigest("ab", "abzz"))
        assert.isFalse(crypto.sameDigest(`${digest.slice(0, -2)}zz`, digest))
      }))
  })
