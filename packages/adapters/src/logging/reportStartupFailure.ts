import { Cause, Effect } from "effect"
import { describeFailure } from "./describeFailure.ts"

/**
 * A process that cannot start says why in one line on stderr (for a configuration error: the
 * variable and what was expected) and exits non-zero, instead of printing a stack of fibers.
 */
export const reportStartupFailure = (processName: string) => <A, E, R>(program: Effect.Effect<A, E, R>) =>
  program.pipe(
    Effect.tapCause((cause) =>
      Cause.hasInterruptsOnly(cause) ? Effect.void : Effect.sync(() => {
        process.stderr.write(`nelo ${processName}: cannot start: ${describeFailure(Cause.squash(cause))}\n`)
      })
    )
  )
