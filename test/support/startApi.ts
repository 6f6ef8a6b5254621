import { createServer } from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import { Context, Effect, Layer, References } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { SmsOutbox, SmsSenderMemory } from "@nelo/adapters/memory/SmsSenderMemory"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { HttpConfig } from "../../apps/http/src/HttpConfig.ts"
import { ApiRoutes } from "../../apps/http/src/HttpServerLayer.ts"
import { withEnv } from "./withEnv.ts"

/**
 * The API's real routes and middleware on a free port of this process, wired to the real
 * Postgres and Redis (or to whatever the env overrides say, e.g. a closed port), with SMS kept in
 * memory. Returns its base URL and the SMS outbox.
 */
export const startApi = (env: Record<string, string | undefined> = {}) =>
  Effect.gen(function*() {
    // Messages are kept in memory so a test can read the code a person would receive.
    const sms = yield* Layer.build(SmsSenderMemory)
    const context = yield* Layer.build(
      Layer.unwrap(Effect.map(HttpConfig, (config) =>
        HttpRouter.serve(ApiRoutes(config), { disableLogger: true, disableListenLog: true }).pipe(
          Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }))
        ))).pipe(
          Layer.provide([Layer.fresh(PostgresLayer), Layer.fresh(RedisClientLayer), Layer.succeedContext(sms)]),
          Layer.provide(withEnv(env)),
          // The access log of every test request is noise in the test output; warnings still show.
          Layer.provide(Layer.succeed(References.MinimumLogLevel, "Warn"))
        )
    )
    const server = Context.get(context, HttpServer.HttpServer)
    return { url: HttpServer.formatAddress(server.address), sms: Context.get(sms, SmsOutbox) }
  })
