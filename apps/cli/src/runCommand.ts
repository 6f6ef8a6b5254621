import { Cause, Effect, Exit, Layer, Logger, References } from "effect"
import { DatabaseConfig } from "@nelo/adapters/postgres/DatabaseConfig"
import { databaseLocation, describeCliFailure } from "./describeCliFailure.ts"

// Library logs (pool, migrator) would drown the command's own output; warnings still show.
const quietLogging = Layer.mergeAll(
  Logger.layer([Logger.withConsoleError(Logger.formatSimple)]),
  Layer.succeed(References.MinimumLogLevel, "Warn")
)

/**
 * Runs one command's program with its layers. A failure becomes one sentence on stderr and a
 * non-zero exit code; nothing else of the failure reaches the terminal.
 */
export const runCommand = async <A, E>(program: Effect.Effect<A, E>): Promise<void> => {
  const exit = await Effect.runPromiseExit(program.pipe(Effect.provide(quietLogging)))
  if (Exit.isSuccess(exit)) return
  const location = await Effect.runPromise(DatabaseConfig.pipe(
    Effect.map((config) => databaseLocation(config.url)),
    Effect.orElseSucceed(() => "DATABASE_URL")
  ))
  const error = Cause.squash(exit.cause)
  process.stderr.write(`nelo-admin: ${describeCliFailure(error, location)}\n`)
  process.exitCode = 1
}
