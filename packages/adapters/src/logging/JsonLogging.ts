import { Cause, Config, Effect, Layer, Logger, type LogLevel, References, Schema } from "effect"

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

const messageText = (message: unknown): unknown =>
  Array.isArray(message) && message.length === 1 ? message[0] : message

/**
 * One JSON object per line on stdout: `time`, `level`, `message`, the annotations (request id,
 * queue, ...) as top-level fields, and `cause` only when there is one. Built by hand rather than
 * with Logger.consoleJson: the API writes one of these per request, and this costs half as much.
 */
export const jsonLineLogger = Logger.make((options) => {
  const line: Record<string, unknown> = {
    time: options.date.toISOString(),
    level: options.logLevel.toLowerCase(),
    message: messageText(options.message)
  }
  const annotations = options.fiber.getRef(References.CurrentLogAnnotations)
  for (const key in annotations) line[key] = annotations[key]
  if (options.cause.reasons.length > 0) line.cause = Cause.pretty(options.cause)
  process.stdout.write(`${JSON.stringify(line)}\n`)
})

/** The JSON line logger for the API and the worker; LOG_LEVEL sets the minimum level. */
export const JsonLogging = Layer.unwrap(Effect.gen(function*() {
  const level = yield* Config.schema(LevelName, "LOG_LEVEL").pipe(Config.withDefault("info" as const))
  return Layer.mergeAll(
    Logger.layer([jsonLineLogger]),
    Layer.succeed(References.MinimumLogLevel, levels[level])
  )
}))
