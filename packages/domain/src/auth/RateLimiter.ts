import { Context, type Effect } from "effect"
import type { AuthStoreUnavailable } from "./errors.ts"

export interface WindowCount {
  /** Hits in the current window, this one included. */
  readonly count: number
  /** Until the window resets. */
  readonly resetInMs: number
}

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
}>()("nelo/auth/RateLimiter") {}
