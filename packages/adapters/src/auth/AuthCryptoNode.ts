import { createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto"
import { Effect, Layer, Redacted } from "effect"
import { AuthCrypto } from "@nelo/domain/auth/AuthCrypto"
import { AuthSecretsConfig } from "./AuthSecretsConfig.ts"

const hexDigest = /^(?:[0-9a-f]{2})+$/u

/** Node's CSPRNG and HMAC-SHA256 keyed with AUTH_DIGEST_SECRET. */
export const AuthCryptoNode = Layer.effect(AuthCrypto, Effect.gen(function*() {
  const { digestSecret } = yield* AuthSecretsConfig
  const key = Buffer.from(Redacted.value(digestSecret))
  return AuthCrypto.of({
    // randomInt draws uniformly (rejection sampling), unlike a modulo of random bytes.
    newOtpCode: (length) => Effect.sync(() => Array.from({ length }, () => randomInt(10)).join("")),
    newSecret: Effect.sync(() => randomBytes(32).toString("base64url")),
    newCode: (alphabet, length) => Effect.sync(() => Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("")),
    digest: (value) => createHmac("sha256", key).update(value).digest("hex"),
    // Buffer.from(…, "hex") stops at the first non-hex character, so both sides are checked to be
    // whole hex strings of the same length first.
    sameDigest: (left, right) =>
      left.length === right.length && hexDigest.test(left) && hexDigest.test(right) &&
      timingSafeEqual(Buffer.from(left, "hex"), Buffer.from(right, "hex"))
  })
}))
