import { Cause, Duration, Effect } from "effect"
import { Drivers } from "@nelo/domain/deliveries/Drivers"

/**
 * Sets silent drivers offline forever, one pass every interval. A failing pass (a store down, even
 * a defect) is logged and tried again after the interval: the loop ends only when interrupted.
 */
export const silentDriversLoop = (options: { readonly intervalMs: number }) =>
  Effect.gen(function*() {
    const drivers = yield* Drivers
    while (true) {
      yield* drivers.setSilentOffline().pipe(
        Effect.flatMap((count) => count > 0 ? Effect.logInfo("silent drivers set offline").pipe(Effect.annotateLogs({ count })) : Effect.void),
        Effect.catchCauseIf(
          (cause) => !Cause.hasInterruptsOnly(cause),
          (cause) => Effect.logWarning("silent drivers pass failed").pipe(Effect.annotateLogs({ cause: Cause.pretty(cause) }))
        )
      )
      yield* Effect.sleep(Duration.millis(options.intervalMs))
    }
  })
