import { Duration, Effect } from "effect"
import { relayOutbox } from "@nelo/domain/events/relayOutbox"

/**
 * Relays the outbox forever: a full batch means more may be waiting, so the next pass starts at
 * once; otherwise it waits the poll interval. A failing pass (database down) is logged and
 * retried after the interval, never ending the loop.
 */
export const outboxRelayLoop = (options: { readonly batchSize: number; readonly pollIntervalMs: number }) =>
  Effect.gen(function*() {
    while (true) {
      const relayed = yield* relayOutbox(options.batchSize).pipe(
        Effect.catchTag("OutboxUnavailable", (error) =>
          Effect.logWarning("outbox relay pass failed").pipe(Effect.annotateLogs({ cause: String(error.cause) }), Effect.as(0)))
      )
      if (relayed > 0) yield* Effect.logDebug("outbox relayed").pipe(Effect.annotateLogs({ count: relayed }))
      if (relayed < options.batchSize) yield* Effect.sleep(Duration.millis(options.pollIntervalMs))
    }
  })
