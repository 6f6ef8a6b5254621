import { createServer } from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import { Duration, Layer } from "effect"
import { HttpRouter } from "effect/http"
import { HttpApiBuilder, HttpApiSwagger } from "effect/http-api"
import { DependencyHealthLayer } from "@nelo/adapters/health/DependencyHealth"
import { AuthLive } from "@nelo/adapters/contexts/AuthLive"
import { PaymentsLive, WalletLive } from "@nelo/adapters/contexts/WalletLive"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { NeloApi } from "./api/NeloApi.ts"
import { CatalogueServicesLayer } from "./CatalogueServicesLayer.ts"
import { FilesRoutes } from "./files/FilesRoutes.ts"
import { AdminHandlers } from "./handlers/AdminHandlers.ts"
import { AuthHandlers } from "./handlers/AuthHandlers.ts"
import { CatalogueManagementHandlers } from "./handlers/CatalogueManagementHandlers.ts"
import { HealthHandlers } from "./handlers/HealthHandlers.ts"
import { ProvidersHandlers } from "./handlers/ProvidersHandlers.ts"
import { UsersHandlers } from "./handlers/UsersHandlers.ts"
import { WalletAdminHandlers, WalletHandlers } from "./wallet/Handlers.ts"
import { AuthenticationLive } from "./shared/AuthenticationLive.ts"
import { ZonesHandlers } from "./handlers/ZonesHandlers.ts"
import type { HttpConfig } from "./HttpConfig.ts"
import { FrameworkProblems } from "./middleware/FrameworkProblems.ts"
import { RequestContext } from "./middleware/RequestContext.ts"
import { RequestValidationLive } from "./middleware/RequestValidationLive.ts"
import { WebhookRoutes } from "./payments/WebhookRoutes.ts"

/** Every route of the API, its docs and its cross-cutting middleware; needs the infrastructure layers. */
export const ApiRoutes = (config: Pick<HttpConfig, "corsOrigins">) =>
  Layer.mergeAll(
    HttpApiBuilder.layer(NeloApi, { openapiPath: "/openapi.json" }).pipe(
      Layer.provide([HealthHandlers, ZonesHandlers, ProvidersHandlers]),
      // The middleware's implementation goes to the groups that use it (provideMerge: the
      // router resolves it too when the routes are built).
      Layer.provide(AuthHandlers.pipe(Layer.provideMerge(AuthenticationLive))),
      Layer.provide(UsersHandlers.pipe(Layer.provideMerge(AuthenticationLive))),
      Layer.provide(AdminHandlers.pipe(Layer.provideMerge(AuthenticationLive))),
      Layer.provide(CatalogueManagementHandlers.pipe(Layer.provideMerge(AuthenticationLive))),
      Layer.provide(WalletHandlers.pipe(Layer.provideMerge(AuthenticationLive))),
      Layer.provide(WalletAdminHandlers.pipe(Layer.provideMerge(AuthenticationLive))),
      Layer.provide(RequestValidationLive)
    ),
    HttpApiSwagger.layer(NeloApi, { path: "/docs" }),
    HttpRouter.cors({
      allowedOrigins: config.corsOrigins,
      allowedHeaders: ["authorization", "content-type", "x-request-id", "idempotency-key"],
      exposedHeaders: ["x-request-id", "retry-after"],
      maxAge: 600
    }),
    FilesRoutes,
    WebhookRoutes,
    RequestContext,
    FrameworkProblems(NeloApi)
  ).pipe(
    Layer.provide([DependencyHealthLayer, ZoneRepositoryPostgres, AuthLive, CatalogueServicesLayer, WalletLive, PaymentsLive])
  )

/**
 * The server: its own access log replaces the router's default one (cheaper, and it carries the
 * request id). On SIGTERM the listener stops accepting, in-flight requests get shutdownTimeoutMs to
 * finish, then the layers close (pools, Redis).
 */
export const HttpServerLayer = (config: HttpConfig) =>
  HttpRouter.serve(ApiRoutes(config), { disableLogger: true }).pipe(
    Layer.provide(NodeHttpServer.layer(() => createServer({ keepAliveTimeout: 65_000 }), {
      port: config.port,
      host: config.host,
      gracefulShutdownTimeout: Duration.millis(config.shutdownTimeoutMs)
    }))
  )
