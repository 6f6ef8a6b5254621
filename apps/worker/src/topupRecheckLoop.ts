import { Cause, Duration, Effect } from "effect"
import { Payments } from "@nelo/domain/payments/Payments"

/**
 * Re-checks pending top-ups forever, one pass every interval. Unlike the outbox relay, a full batch
 * does not start the next pass at once: intents still pending at their gateway stay in the batch,
 * and re-asking at once would only hammer the gateways. A failing pass (database down, or even a
 * defect) is logged and tried again after the interval: the loop ends only when interrupted.
 */
export const topupRecheckLoop = (options: { readonly batchSize: number; readonly intervalMs: number }) =>
  Effect.gen(function*() {
    const payments = yield* Payments
    while (true) {
      yield* payments.recheckPendingTopups(options.batchSize).pipe(
        Effect.flatMap(({ webhooks, intents, outcomes }) => {
          // A top-up waiting at its gateway is seen again every pass for up to a day: only a pass
          // that changed something (or failed on one) is worth a line.
          const changed = Object.entries(outcomes).some(([outcome, count]) => outcome !== "still_pending" && count > 0)
          return changed
            ? Effect.logInfo("pending top-ups re-checked").pipe(Effect.annotateLogs({ webhooks, intents, ...outcomes }))
            : Effect.void
        }),
        Effect.catchCauseIf(
          (cause) => !Cause.hasInterruptsOnly(cause),
          (cause) => Effect.logWarning("top-up re-check pass failed").pipe(Effect.annotateLogs({ cause: Cause.pretty(cause) }))
        )
      )
      yield* Effect.sleep(Duration.millis(options.intervalMs))
    }
  })
