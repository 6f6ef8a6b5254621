import { Config, Effect, Redacted, Schema } from "effect"

// Development defaults so a fresh machine works; production refuses them (see below).
const developmentDigestSecret = "nelo-development-digest-secret-change-me-0123456789"
const developmentSigningKeys = "dev-1:bmVsby1kZXZlbG9wbWVudC1zaWduaW5nLWtleS0wMTIzNDU2Nzg5YWJjZGVm"

const SigningKeys = Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Za-z0-9._-]+:[A-Za-z0-9+/=_-]{43,}(?:,[A-Za-z0-9._-]+:[A-Za-z0-9+/=_-]{43,})*$/u, {
  expected: "a comma-separated list of keyId:base64secret, each secret at least 32 bytes"
})))

export class DevelopmentSecretInProduction extends Schema.TaggedError<DevelopmentSecretInProduction>()("DevelopmentSecretInProduction", {
  message: Schema.String
}) {}

/**
 * The secrets of the auth context, from env only. JWT_SIGNING_KEYS holds every key that may still
 * verify a token (kid:secret, comma-separated), JWT_ACTIVE_KEY_ID the one that signs: rotating a
 * key = add the new one, make it active, remove the old one 15 minutes later.
 */
export const AuthSecretsConfig = Effect.gen(function*() {
  const environment = yield* Config.Literals(["development", "test", "production"], "NODE_ENV").pipe(Config.withDefault("development" as const))
  const digestSecret = yield* Config.Redacted("AUTH_DIGEST_SECRET").pipe(Config.withDefault(Redacted.make(developmentDigestSecret)))
  const signingKeys = yield* Config.schema(Schema.Redacted(SigningKeys), "JWT_SIGNING_KEYS").pipe(
    Config.withDefault(Redacted.make(developmentSigningKeys))
  )
  const keys = new Map(Redacted.value(signingKeys).split(",").map((entry) => {
    const separator = entry.indexOf(":")
    return [entry.slice(0, separator), Buffer.from(entry.slice(separator + 1), "base64")] as const
  }))
  const activeKeyId = yield* Config.String("JWT_ACTIVE_KEY_ID").pipe(Config.withDefault([...keys.keys()][0]!))
  if (!keys.has(activeKeyId)) {
    return yield* new DevelopmentSecretInProduction({ message: `JWT_ACTIVE_KEY_ID: expected one of the key ids of JWT_SIGNING_KEYS (${[...keys.keys()].join(", ")})` })
  }
  if (environment === "production") {
    if (Redacted.value(digestSecret) === developmentDigestSecret) {
      return yield* new DevelopmentSecretInProduction({ message: "AUTH_DIGEST_SECRET: a secret of your own is required in production" })
    }
    if (Redacted.value(signingKeys) === developmentSigningKeys) {
      return yield* new DevelopmentSecretInProduction({ message: "JWT_SIGNING_KEYS: keys of your own are required in production" })
    }
  }
  if (Redacted.value(digestSecret).length < 32) {
    return yield* new DevelopmentSecretInProduction({ message: "AUTH_DIGEST_SECRET: expected at least 32 characters" })
  }
  return { digestSecret, keys, activeKeyId }
})
