import { NodeRuntime } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { JsonLogging } from "@nelo/adapters/logging/JsonLogging"
import { reportStartupFailure } from "@nelo/adapters/logging/reportStartupFailure"
import { signalTeardown } from "@nelo/adapters/process/signalTeardown"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { WorkerLayer } from "./WorkerLayer.ts"

// On SIGTERM runMain interrupts the launch: the relay stops between passes, the consumers wait for
// their running jobs, then the pools close.
Layer.launch(WorkerLayer.pipe(Layer.provide(PostgresLayer))).pipe(
  Effect.provide(JsonLogging),
  reportStartupFailure("worker"),
  NodeRuntime.runMain({ disableErrorReporting: true, teardown: signalTeardown })
)
