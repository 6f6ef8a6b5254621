import { createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto"
import { Effect, Layer, Redacted } from "effect"
import { AuthCrypto } from "@nelo/domain/auth/AuthCrypto"
import { AuthSecretsConfig } from "./AuthSecretsConfig.ts"

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
    sameDigest: (left, right) => {
      const a = Buffer.from(left, "hex")
      const b = Buffer.from(right, "hex")
      return a.length === b.length && a.length > 0 && timingSafeEqual(a, b)
    }
  })
}))
