import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { DependencyHealth } from "@nelo/adapters/health/DependencyHealth"
import { NeloApi } from "../NeloApi.ts"
import { NotReady } from "./Api.ts"

const names = { postgres: "Postgres", redis: "Redis" } as const

export const HealthHandlers = HttpApiBuilder.group(NeloApi, "health", Effect.fn(function*(handlers) {
  const health = yield* DependencyHealth
  return handlers.handleAll({
    liveness: () => Effect.succeed({ status: "ok" as const }),
    readiness: () =>
      Effect.gen(function*() {
        const dependencies = yield* health.check
        const failing = (["postgres", "redis"] as const).filter((name) => dependencies[name].status === "down")
        if (failing.length > 0) {
          return yield* new NotReady({
            code: "dependency_unavailable",
            message: `Service indisponible : ${failing.map((name) => names[name]).join(" et ")} ne répond pas.`,
            failing,
            dependencies
          })
        }
        return { status: "ready" as const, dependencies }
      })
  })
}))
