import { type Context, Effect } from "effect"
import type { HttpServerRequest } from "effect/http"
import { type CatalogueError, catalogueProblem, type CatalogueProblem } from "./catalogueProblem.ts"
import type { CatalogueServices } from "./CatalogueServices.ts"

/** answerWith for the catalogue: its ports, and its errors as the endpoints' problems. */
export const answerCatalogue = (services: Context.Context<CatalogueServices>) =>
  (request: HttpServerRequest.HttpServerRequest) =>
  <A, E extends CatalogueError, R>(useCase: Effect.Effect<A, E, R>): Effect.Effect<A, CatalogueProblem, Exclude<R, CatalogueServices>> =>
    useCase.pipe(Effect.provide(services), Effect.catch(catalogueProblem(request)))
