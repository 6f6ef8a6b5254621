import { Context, type Effect, type Option } from "effect"
import type { Phone } from "../shared/Phone.ts"
import type { AuthStoreUnavailable } from "./errors.ts"
import type { OtpPurpose } from "./OtpPurpose.ts"

export interface OtpKey {
  readonly phone: Phone
  readonly purpose: OtpPurpose
}

/** The live one-time code of a phone and purpose: only its digest is stored, with a time to live. */
export class OtpStore extends Context.Service<OtpStore, {
  /** Stores a new code (replacing the previous one) with zero attempts. */
  readonly put: (key: OtpKey, codeDigest: string, ttlMs: number) => Effect.Effect<void, AuthStoreUnavailable>
  /** Counts one verification attempt, atomically, and returns the digest with the attempts so far. */
  readonly recordAttempt: (key: OtpKey) => Effect.Effect<Option.Option<{ readonly codeDigest: string; readonly attempts: number }>, AuthStoreUnavailable>
  /**
   * Removes the code (used or burnt). True when a live code was removed: of two requests that
   * both checked the right code, only the one whose burn removed it may use it.
   */
  readonly burn: (key: OtpKey) => Effect.Effect<boolean, AuthStoreUnavailable>
}>()("nelo/auth/OtpStore") {}
