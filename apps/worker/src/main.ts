import { NodeRuntime } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { JsonLogging } from "@nelo/adapters/logging/JsonLogging"
import { reportStartupFailure } from "@nelo/adapters/logging/reportStartupFailure"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { WorkerLayer } from "./WorkerLayer.ts"

// On SIGTERM runMain interrupts the launch: the relay stops between passes, the consumers wait for
// their running jobs, then the pools close.
Layer.launch(WorkerLayer.pipe(Layer.provide(PostgresLayer))).pipe(
  reportStartupFailure("worker"),
  Effect.provide(JsonLogging),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
