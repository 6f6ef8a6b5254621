import { Config, Effect, Layer, Logger, References } from "effect"

/**
 * One JSON object per log line on stdout (message, level, timestamp, annotations such as the
 * request id), which log collectors parse without configuration. LOG_LEVEL sets the minimum.
 */
export const JsonLogging = Layer.unwrap(Effect.gen(function*() {
  const level = yield* Config.LogLevel("LOG_LEVEL").pipe(Config.withDefault("Info" as const))
  return Layer.mergeAll(
    Logger.layer([Logger.consoleJson]),
    Layer.succeed(References.MinimumLogLevel, level)
  )
}))
