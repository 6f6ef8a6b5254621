import { createServer } from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import { Duration, Layer } from "effect"
import { HttpRouter } from "effect/http"
import { HttpApiBuilder, HttpApiSwagger } from "effect/http-api"
import { DependencyHealthLayer } from "@nelo/adapters/health/DependencyHealth"
import { AuthLive } from "@nelo/adapters/contexts/AuthLive"
import { CatalogueLive } from "@nelo/adapters/contexts/CatalogueLive"
import { OrdersLive } from "@nelo/adapters/contexts/OrdersLive"
import { PaymentsLive } from "@nelo/adapters/contexts/PaymentsLive"
import { WalletLive } from "@nelo/adapters/contexts/WalletLive"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { NeloApi } from "./NeloApi.ts"
import { FilesRoutes } from "./files/FilesRoutes.ts"
import { AuthHandlers } from "./auth/Handlers.ts"
import { CatalogueManagementHandlers, ProvidersHandlers } from "./catalogue/Handlers.ts"
import { HealthHandlers } from "./health/Handlers.ts"
import { OrdersAdminHandlers, OrdersHandlers } from "./orders/Handlers.ts"
import { DeliveriesAdminHandlers, DeliveriesHandlers, DriversHandlers, RatingsHandlers } from "./deliveries/Handlers.ts"
import { DeliveriesLive } from "@nelo/adapters/contexts/DeliveriesLive"
import { EarningsLive, StatementsLive } from "@nelo/adapters/contexts/EarningsLive"
import { StatementsAdminHandlers, StatementsHandlers } from "./earnings/StatementsHandlers.ts"
import { DriverCashLive } from "@nelo/adapters/contexts/EarningsLive"
import { CashAdminHandlers } from "./earnings/CashAdminHandlers.ts"
import { PayoutAccountsLive } from "@nelo/adapters/contexts/EarningsLive"
import { PayoutAccountsHandlers } from "./earnings/PayoutAccountsHandlers.ts"
import { UsersAdminHandlers, UsersHandlers } from "./users/Handlers.ts"
import { WalletAdminHandlers, WalletHandlers } from "./wallet/Handlers.ts"
import { AuthenticationLive } from "./shared/AuthenticationLive.ts"
import { ZonesHandlers } from "./zones/Handlers.ts"
import type { HttpConfig } from "./HttpConfig.ts"
import { RequestContext } from "./middleware/RequestContext.ts"
import { RequestValidationLive } from "./shared/RequestValidationLive.ts"
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
      Layer.provide(UsersAdminHandlers.pipe(Layer.provideMerge(AuthenticationLive))),
      Layer.provide(CatalogueManagementHandlers.pipe(Layer.provideMerge(AuthenticationLive))),
      Layer.provide(WalletHandlers.pipe(Layer.provideMerge(AuthenticationLive))),
      Layer.provide(WalletAdminHandlers.pipe(Layer.provideMerge(AuthenticationLive))),
      Layer.provide(OrdersHandlers.pipe(Layer.provideMerge(AuthenticationLive))),
      Layer.provide(OrdersAdminHandlers.pipe(Layer.provideMerge(AuthenticationLive))),
      Layer.provide(DriversHandlers.pipe(Layer.provideMerge(AuthenticationLive))),
      Layer.provide(DeliveriesHandlers.pipe(Layer.provideMerge(AuthenticationLive))),
      Layer.provide(DeliveriesAdminHandlers.pipe(Layer.provideMerge(AuthenticationLive))),
      Layer.provide(RatingsHandlers.pipe(Layer.provideMerge(AuthenticationLive))),
      Layer.provide(StatementsHandlers.pipe(Layer.provideMerge(AuthenticationLive))),
      Layer.provide(StatementsAdminHandlers.pipe(Layer.provideMerge(AuthenticationLive))),
      // The drivers' cash: its context given here, beside its handlers (its stores come from the same layers as the others').
      Layer.provide(CashAdminHandlers.pipe(Layer.provideMerge(AuthenticationLive), Layer.provide(DriverCashLive))),
      // The payout numbers: their context beside their handlers; its SMS sender, Postgres and Redis are the app's.
      Layer.provide(PayoutAccountsHandlers.pipe(Layer.provideMerge(AuthenticationLive), Layer.provide(PayoutAccountsLive))),
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
    RequestContext(NeloApi)
  ).pipe(
    // Auth's PIN checks report wrong PINs to the wallet's observer: the wallet is built first.
    Layer.provide([DependencyHealthLayer, ZoneRepositoryPostgres, AuthLive.pipe(Layer.provideMerge(WalletLive)), OrdersLive.pipe(Layer.provide(WalletLive)), CatalogueLive, PaymentsLive, DeliveriesLive, EarningsLive, StatementsLive])
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
