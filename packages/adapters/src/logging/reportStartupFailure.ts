import { Cause, Effect } from "effect"

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

export const describeFailure = (error: unknown): string => {
  if (typeof error === "object" && error !== null && "_tag" in error && error._tag === "ConfigError") {
    return String((error as { message?: string }).message ?? error).replace(/\s+/gu, " ")
  }
  if (error instanceof Error) return error.message.replace(/\s+/gu, " ")
  return String(error)
}
