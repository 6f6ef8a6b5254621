import { Context, type Effect } from "effect"

/**
 * The randomness and digests the auth rules need, from a CSPRNG and a keyed hash (HMAC with a
 * server secret), so that a leaked Redis or database holds no usable code or token.
 */
export class AuthCrypto extends Context.Service<AuthCrypto, {
  /** `length` decimal digits, uniformly distributed. */
  readonly newOtpCode: (length: number) => Effect.Effect<string>
  /** An opaque secret for a refresh token (URL-safe). */
  readonly newSecret: Effect.Effect<string>
  /** `length` characters drawn uniformly from `alphabet`. */
  readonly newCode: (alphabet: string, length: number) => Effect.Effect<string>
  /** A keyed digest of a value, safe to store. */
  readonly digest: (value: string) => string
  /** Compares two digests in constant time. */
  readonly sameDigest: (left: string, right: string) => boolean
}>()("nelo/auth/AuthCrypto") {}
