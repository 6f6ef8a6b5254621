import { NodeRuntime } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { JsonLogging } from "@nelo/adapters/logging/JsonLogging"
import { signalTeardown } from "@nelo/adapters/process/signalTeardown"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { SmsSenderFromConfig } from "@nelo/adapters/sms/SmsSenderFromConfig"
import { reportStartupFailure } from "@nelo/adapters/logging/reportStartupFailure"
import { HttpConfig } from "./HttpConfig.ts"
import { HttpServerLayer } from "./HttpServerLayer.ts"

const Main = Layer.unwrap(Effect.gen(function*() {
  const config = yield* HttpConfig
  return HttpServerLayer(config)
})).pipe(Layer.provide([PostgresLayer, RedisClientLayer, SmsSenderFromConfig]))

Layer.launch(Main).pipe(
  Effect.provide(JsonLogging),
  reportStartupFailure("api"),
  NodeRuntime.runMain({ disableErrorReporting: true, teardown: signalTeardown })
)
