import { Effect, Logger } from "effect"

export interface CapturedLog {
  readonly message: unknown
  readonly level: string
  readonly annotations: Readonly<Record<string, unknown>>
}

/** A logger that keeps every line in memory, so a test can assert what a process would print. */
export const captureLogs = () => {
  const lines: Array<CapturedLog> = []
  const logger = Logger.make((options) => {
    const structured = Logger.formatStructured.log(options) as { message: unknown; level: string; annotations: Record<string, unknown> }
    lines.push({ message: structured.message, level: structured.level, annotations: structured.annotations })
  })
  return { lines, layer: Logger.layer([logger]) }
}

/** Polls until `found` gives a value (a function or an effect), or dies after `timeoutMs`. */
export const eventually = <A, E = never>(
  found: (() => A | undefined) | Effect.Effect<A | undefined, E>,
  timeoutMs = 10_000,
  what = "the expected state"
) =>
  Effect.gen(function*() {
    const probe = Effect.isEffect(found) ? found : Effect.sync(found)
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const value = yield* probe
      if (value !== undefined) return value
      yield* Effect.sleep("50 millis")
    }
    return yield* Effect.die(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))
  })

