import { HttpApi, OpenApi } from "effect/http-api"
import { AuthApi } from "./auth/Api.ts"
import { CatalogueManagementApi, ProvidersApi } from "./catalogue/Api.ts"
import { HealthApi } from "./health/Api.ts"
import { OrdersAdminApi, OrdersApi } from "./orders/Api.ts"
import { DeliveriesAdminApi, DeliveriesApi, DriversApi, RatingsApi } from "./deliveries/Api.ts"
import { StatementsAdminApi, StatementsApi } from "./earnings/StatementsApi.ts"
import { CashAdminApi } from "./earnings/CashAdminApi.ts"
import { PayoutAccountsApi } from "./earnings/PayoutAccountsApi.ts"
import { RequestValidation } from "./shared/RequestValidation.ts"
import { WalletAdminApi, WalletApi } from "./wallet/Api.ts"
import { UsersAdminApi, UsersApi } from "./users/Api.ts"
import { ZonesApi } from "./zones/Api.ts"

export class NeloApi extends HttpApi.make("nelo")
  .add(HealthApi)
  .add(ZonesApi)
  .add(AuthApi)
  .add(UsersApi)
  .add(UsersAdminApi)
  .add(ProvidersApi)
  .add(CatalogueManagementApi)
  .add(WalletApi)
  .add(WalletAdminApi)
  .add(OrdersApi)
  .add(OrdersAdminApi)
  .add(DriversApi)
  .add(DeliveriesApi)
  .add(DeliveriesAdminApi)
  .add(RatingsApi)
  .add(StatementsApi)
  .add(StatementsAdminApi)
  .add(CashAdminApi)
  .add(PayoutAccountsApi)
  .middleware(RequestValidation)
  .annotateMerge(OpenApi.annotations({
    title: "NELO API",
    version: "1.0.0",
    description: "Livraison de repas, de bouteilles de gaz et de courses à Tiassalé. Erreurs en application/problem+json avec un `code` stable et un `message` en français."
  }))
{}
