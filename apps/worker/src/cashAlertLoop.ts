import { Cause, Clock, Duration, Effect } from "effect"
import { dailyRunDue, nextDailyRun } from "@nelo/domain/earnings/cashAlert"
import { DriverCash } from "@nelo/domain/earnings/DriverCash"
import { DriverCashPolicy } from "@nelo/domain/earnings/DriverCashPolicy"

// A failed run (a store down) is tried again this often, a few times: the day's alert is not lost
// to one outage, and never sent twice (the day is recorded with it).
const retryAfterMs = 5 * 60_000
const attempts = 12

/**
 * The drivers' cash alert once a day at EARNINGS_CASH_ALERT_AT (Abidjan): DriverCash.alertOverdue.
 * A worker started after today's time runs it at once (a no-op when today's already ran). A failing
 * run is logged and tried again; the loop ends only when interrupted.
 */
export const cashAlertLoop = Effect.gen(function*() {
  const cash = yield* DriverCash
  const policy = yield* DriverCashPolicy
  const runToday = Effect.gen(function*() {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const done = yield* cash.alertOverdue().pipe(
        Effect.tap((outcome) => Effect.logInfo("drivers' cash alert run").pipe(Effect.annotateLogs({ ...outcome }))),
        Effect.as(true),
        Effect.catchCauseIf(
          (cause) => !Cause.hasInterruptsOnly(cause),
          (cause) => Effect.as(Effect.logWarning("drivers' cash alert failed").pipe(Effect.annotateLogs({ attempt, cause: Cause.pretty(cause) })), false)
        )
      )
      if (done) return
      yield* Effect.sleep(Duration.millis(retryAfterMs))
    }
  })
  if (dailyRunDue(yield* Clock.currentTimeMillis, policy.alertAtMinutes)) yield* runToday
  while (true) {
    const now = yield* Clock.currentTimeMillis
    yield* Effect.sleep(Duration.millis(nextDailyRun(now, policy.alertAtMinutes) - now))
    yield* runToday
  }
})
