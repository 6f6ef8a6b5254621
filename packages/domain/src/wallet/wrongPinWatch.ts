import { Clock, Effect, Layer } from "effect"
import { RateLimiter } from "../auth/RateLimiter.ts"
import { WrongPinObserver } from "../auth/WrongPinObserver.ts"
import { makeFreezes } from "./freezes.ts"
import { WalletPolicy } from "./WalletPolicy.ts"
import { wrongPinBucket } from "./wrongPinBucket.ts"

const dayMs = 24 * 3600_000

/**
 * The wallet's WrongPinObserver: counts a wrong PIN in the person's day (Africa/Abidjan); past the
 * policy's number the wallet freezes. Every PIN compared and found wrong counts, on a transfer or on
 * a PIN change alike: a stolen session guessing through the PIN change would otherwise never freeze
 * anything. A failure to count is logged, never raised (the wrong PIN is the answer).
 */
export const makeWrongPinObserver = Effect.gen(function*() {
  const policy = yield* WalletPolicy
  const limiter = yield* RateLimiter
  const { freezeForSuspicion } = yield* makeFreezes
  const countWrongPin = Effect.fnUntraced(function*(userId: Parameters<WrongPinObserver["Service"]["wrongPin"]>[0]) {
    const now = yield* Clock.currentTimeMillis
    const failures = yield* limiter.hit(wrongPinBucket(userId, now, policy.timeZone), dayMs)
    if (failures.count > policy.freezeAfterPinFailuresPerDay) {
      yield* freezeForSuspicion(userId, "pin_failures_per_day", `${failures.count} codes PIN erronés aujourd'hui`)
    }
  })
  return WrongPinObserver.of({
    wrongPin: (userId) =>
      countWrongPin(userId).pipe(
        Effect.catchCause((cause) => Effect.logError("wrong PIN not counted").pipe(Effect.annotateLogs({ userId, cause: String(cause) })))
      )
  })
})

/** Wrong PINs, wherever checked, counted by the wallet's daily freeze rule. */
export const WalletWrongPinObserver = Layer.effect(WrongPinObserver, makeWrongPinObserver)
