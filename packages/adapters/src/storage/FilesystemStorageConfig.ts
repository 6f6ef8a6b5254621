import { Config, Effect, Redacted, Schema } from "effect"
import { DevelopmentSecretInProduction } from "../auth/AuthSecretsConfig.ts"

// A development default so a fresh machine works; production refuses it (see below).
const developmentSigningSecret = "nelo-development-storage-signing-secret-change-me"

export const HttpBaseUrl = Schema.String.pipe(Schema.check(Schema.isPattern(/^https?:\/\/[^\s?#]+$/u, { expected: "an http(s) URL without query" })))

// "http://host/files/" and "http://host/files" name the same base; URLs are built with one slash.
export const withoutTrailingSlash = (url: string) => url.replace(/\/+$/u, "")

/**
 * The filesystem storage: a directory (relative to the working directory of the app), the public
 * URL its files are served under by the HTTP app, and the secret that signs URLs to private files.
 */
export const FilesystemStorageConfig = Effect.gen(function*() {
  const environment = yield* Config.Literals(["development", "test", "production"], "NODE_ENV").pipe(Config.withDefault("development" as const))
  const directory = yield* Config.String("STORAGE_DIRECTORY").pipe(Config.withDefault("./storage"))
  const publicBaseUrl = yield* Config.schema(HttpBaseUrl, "STORAGE_PUBLIC_BASE_URL").pipe(
    Config.withDefault("http://localhost:8000/files"),
    Config.map(withoutTrailingSlash)
  )
  const signingSecret = yield* Config.Redacted("STORAGE_SIGNING_SECRET").pipe(Config.withDefault(Redacted.make(developmentSigningSecret)))
  if (environment === "production" && Redacted.value(signingSecret) === developmentSigningSecret) {
    return yield* new DevelopmentSecretInProduction({ message: "STORAGE_SIGNING_SECRET: a secret of your own is required in production" })
  }
  if (Redacted.value(signingSecret).length < 32) {
    return yield* new DevelopmentSecretInProduction({ message: "STORAGE_SIGNING_SECRET: expected at least 32 characters" })
  }
  return { directory, publicBaseUrl, signingSecret }
})
export type FilesystemStorageConfig = Effect.Success<typeof FilesystemStorageConfig>
