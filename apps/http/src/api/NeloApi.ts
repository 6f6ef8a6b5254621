import { HttpApi, OpenApi } from "effect/http-api"
import { AdminApi, AuthApi, UsersApi } from "./AuthApi.ts"
import { CatalogueManagementApi, ProvidersApi } from "./CatalogueApi.ts"
import { HealthApi } from "./HealthApi.ts"
import { RequestValidation } from "./RequestValidation.ts"
import { WalletAdminApi, WalletApi } from "../wallet/Api.ts"
import { ZonesApi } from "./ZonesApi.ts"

export class NeloApi extends HttpApi.make("nelo")
  .add(HealthApi)
  .add(ZonesApi)
  .add(AuthApi)
  .add(UsersApi)
  .add(AdminApi)
  .add(ProvidersApi)
  .add(CatalogueManagementApi)
  .add(WalletApi)
  .add(WalletAdminApi)
  .middleware(RequestValidation)
  .annotateMerge(OpenApi.annotations({
    title: "NELO API",
    version: "1.0.0",
    description: "Livraison de repas, de bouteilles de gaz et de courses à Tiassalé. Erreurs en application/problem+json avec un `code` stable et un `message` en français."
  }))
{}
