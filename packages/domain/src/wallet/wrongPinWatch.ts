import { Effect } from "effect"
import { RateLimiter } from "../auth/RateLimiter.ts"
import { WrongPinObserver } from "../auth/WrongPinObserver.ts"
import type { UserId } from "../users/User.ts"
import { freezeForSuspicion } from "./freezes.ts"
import { WalletPolicy } from "./WalletPolicy.ts"
import { wrongPinBucket } from "./wrongPinBucket.ts"

const dayMs = 24 * 3600_000

/**
 * Counts a wrong PIN in the person's day (Africa/Abidjan); past the policy's number the wallet
 * freezes. Every PIN compared and found wrong counts, on a transfer or on a PIN change alike: a
 * stolen session guessing through the PIN change would otherwise never freeze anything.
 */
export const countWrongPin = (userId: UserId) =>
  Effect.gen(function*() {
    const policy = yield* WalletPolicy
    const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
    const failures = yield* (yield* RateLimiter).hit(wrongPinBucket(userId, now, policy.timeZone), dayMs)
    if (failures.count > policy.freezeAfterPinFailuresPerDay) {
      yield* freezeForSuspicion(userId, "pin_failures_per_day", `${failures.count} codes PIN erronés aujourd'hui`)
    }
  })

/** The wallet's WrongPinObserver, holding the ports it needs; a failure to count is logged, never raised. */
export const makeWrongPinObserver = Effect.gen(function*() {
  const context = yield* Effect.context<Effect.Services<ReturnType<typeof countWrongPin>>>()
  const policy = yield* WalletPolicy
  return WrongPinObserver.of({
    wrongPin: (userId) =>
      countWrongPin(userId).pipe(
        Effect.provide(context),
        Effect.provideService(WalletPolicy, policy),
        Effect.catchCause((cause) => Effect.logError("wrong PIN not counted").pipe(Effect.annotateLogs({ userId, cause: String(cause) })))
      )
  })
})
