import { Config, Effect, Layer, Logger, type LogLevel, References, Schema } from "effect"

const levels = {
  trace: "Trace",
  debug: "Debug",
  info: "Info",
  warn: "Warn",
  error: "Error",
  fatal: "Fatal",
  none: "None"
} as const satisfies Record<string, LogLevel.LogLevel>

const LevelName = Schema.Literals(["trace", "debug", "info", "warn", "error", "fatal", "none"])

/**
 * One JSON object per log line on stdout (message, level, timestamp, annotations such as the
 * request id), which log collectors parse without configuration. LOG_LEVEL sets the minimum.
 */
export const JsonLogging = Layer.unwrap(Effect.gen(function*() {
  const level = yield* Config.schema(LevelName, "LOG_LEVEL").pipe(Config.withDefault("info" as const))
  return Layer.mergeAll(
    Logger.layer([Logger.consoleJson]),
    Layer.succeed(References.MinimumLogLevel, levels[level])
  )
}))
