import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiError, HttpApiGroup, OpenApi } from "effect/http-api"
import { FiniteBetween, Text } from "../shared/bounded.ts"
import { standardProblemMembers } from "../shared/problems.ts"

export const DependencyStatus = Schema.Struct({
  status: Schema.Literals(["up", "down"]),
  /** Measured in ms: a ping gives up after 1 s, so a day is a bound no reading comes near. */
  latencyMs: FiniteBetween(0, 86_400_000),
  /** Why it is down, in a few words. */
  error: Schema.optionalKey(Text(200))
})

export const Dependencies = Schema.Struct({ postgres: DependencyStatus, redis: DependencyStatus })

export const Liveness = Schema.Struct({ status: Schema.Literal("ok") })
export const Readiness = Schema.Struct({ status: Schema.Literal("ready"), dependencies: Dependencies })

export class NotReady extends HttpApiError.Problem<NotReady>()("NotReady", {
  type: "urn:nelo:problem:dependency_unavailable",
  status: 503,
  title: "Dependency unavailable"
}, {
  ...standardProblemMembers,
  code: Schema.Literal("dependency_unavailable"),
  message: Text(2000),
  failing: Schema.Array(Schema.Literals(["postgres", "redis"])).pipe(Schema.check(Schema.isMaxLength(2))),
  dependencies: Dependencies
}) {}

/** Probes for load balancers and orchestrators, outside /api/v1 where they conventionally live. */
export class HealthApi extends HttpApiGroup.make("health", { topLevel: true })
  .add(
    HttpApiEndpoint.get("liveness", "/health", { success: Liveness })
      .annotate(OpenApi.Description, "Le processus répond (liveness). Ne vérifie aucune dépendance."),
    HttpApiEndpoint.get("readiness", "/health/ready", { success: Readiness, error: NotReady })
      .annotate(OpenApi.Description, "Postgres et Redis répondent (readiness), avec la latence de chacun en ms; 503 sinon.")
  )
  .annotateMerge(OpenApi.annotations({ title: "Santé" }))
{}
