import { Config, Schema, SchemaTransformation } from "effect"

const HttpUrl = Schema.String.pipe(Schema.check(Schema.isPattern(/^https?:\/\/[^\s]+$/u, { expected: "an http(s) URL" })))

// Google's rule for project ids: 6 to 30 lowercase letters, digits and hyphens, a letter first.
const ProjectId = Schema.String.pipe(Schema.check(Schema.isPattern(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/u, { expected: "a Firebase project id such as nelo-prod" })))

const ClientEmail = Schema.String.pipe(Schema.check(Schema.isPattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/u, { expected: "the client_email of the service account" })))

// Pasted from the service account's JSON onto one env line, the key's newlines are usually the two
// characters \n: they are turned back into newlines before the PEM is checked.
const PrivateKeyPem = Schema.String.pipe(
  Schema.decodeTo(
    Schema.String.pipe(Schema.check(Schema.isPattern(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PRIVATE KEY-----\n$/u, {
      expected: "the private_key of the service account (PEM, BEGIN PRIVATE KEY)"
    }))),
    SchemaTransformation.transform({ decode: (text: string) => `${text.replace(/\\n/gu, "\n").trim()}\n`, encode: (pem: string) => pem })
  )
)

/**
 * Firebase Cloud Messaging (HTTP v1) with a Google service account: its project_id, client_email
 * and private_key (the key stays Redacted). The URLs are Google's unless a test points them elsewhere.
 */
export const FcmConfig = Config.all({
  projectId: Config.schema(ProjectId, "FCM_PROJECT_ID"),
  clientEmail: Config.schema(ClientEmail, "FCM_CLIENT_EMAIL"),
  privateKey: Config.schema(Schema.RedactedFromValue(PrivateKeyPem), "FCM_PRIVATE_KEY"),
  tokenUrl: Config.schema(HttpUrl, "FCM_TOKEN_URL").pipe(Config.withDefault("https://oauth2.googleapis.com/token")),
  apiUrl: Config.schema(HttpUrl, "FCM_API_URL").pipe(Config.withDefault("https://fcm.googleapis.com")),
  requestTimeoutMs: Config.schema(Schema.Int.pipe(Schema.check(Schema.isGreaterThan(0))), "PUSH_REQUEST_TIMEOUT_MS").pipe(Config.withDefault(10_000))
})
export type FcmConfig = Config.Success<typeof FcmConfig>
