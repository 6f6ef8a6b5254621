import { Context, type Effect } from "effect"
import type { AuthStoreUnavailable } from "./errors.ts"

export interface WindowCount {
  /** Hits in the current window, this one included. */
  readonly count: number
  /** Until the window resets. */
  readonly resetInMs: number
}

/** What a guarded attempt came to (see RateLimiter.attempt). */
export type AttemptOutcome =
  | { readonly _tag: "CoolingDown"; readonly remainingMs: number }
  | { readonly _tag: "OverMaximum" }
  | { readonly _tag: "Succeeded" }
  | { readonly _tag: "Failed"; readonly count: number }
  | { readonly _tag: "CooldownStarted" }

/**
 * Counters and cooldowns shared by every API process (Redis in production). The rules (how many,
 * how long) stay in the domain; this only counts atomically.
 */
export class RateLimiter extends Context.Service<RateLimiter, {
  /** Counts a hit in a fixed window that starts at the bucket's first hit. */
  readonly hit: (bucket: string, windowMs: number) => Effect.Effect<WindowCount, AuthStoreUnavailable>
  /** Takes back one hit (the action it counted did not happen). */
  readonly unhit: (bucket: string) => Effect.Effect<void, AuthStoreUnavailable>
  /** Claims a cooldown unless one is running; returns the time left of the running one otherwise. */
  readonly claimCooldown: (bucket: string, durationMs: number) => Effect.Effect<{ readonly claimed: boolean; readonly remainingMs: number }, AuthStoreUnavailable>
  /** Time left of a running cooldown (0 when none), without claiming it. */
  readonly cooldownRemaining: (bucket: string) => Effect.Effect<number, AuthStoreUnavailable>
  readonly releaseCooldown: (bucket: string) => Effect.Effect<void, AuthStoreUnavailable>
  readonly reset: (bucket: string) => Effect.Effect<void, AuthStoreUnavailable>
  /**
   * One guarded attempt whose result is already known to the caller but not yet revealed, in one
   * atomic step: refused while the cooldown runs (CoolingDown); otherwise counted in the window,
   * and past `maximum` refused (OverMaximum: nothing else changes, the result must not be used);
   * a success clears the count (Succeeded); the failure that reaches `maximum` starts the cooldown
   * and clears the count (CooldownStarted); any other failure stays counted (Failed).
   */
  readonly attempt: (
    buckets: { readonly count: string; readonly cooldown: string },
    rule: { readonly windowMs: number; readonly maximum: number; readonly cooldownMs: number },
    succeeded: boolean
  ) => Effect.Effect<AttemptOutcome, AuthStoreUnavailable>
}>()("nelo/auth/RateLimiter") {}
