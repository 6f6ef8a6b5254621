import { type Context, Effect } from "effect"
import { type HttpServerRequest, HttpServerResponse } from "effect/http"
import { type CatalogueError, catalogueProblem, type CatalogueProblem } from "./catalogueProblem.ts"
import type { CatalogueServices } from "./CatalogueServices.ts"

/** answerWith for the catalogue: its ports, and its errors as the endpoints' problems. */
export const answerCatalogue = (services: Context.Context<CatalogueServices>) =>
  (request: HttpServerRequest.HttpServerRequest) =>
  <A, E extends CatalogueError, R>(useCase: Effect.Effect<A, E, R>): Effect.Effect<A, CatalogueProblem, Exclude<R, CatalogueServices>> =>
    useCase.pipe(Effect.provide(services), Effect.catch(catalogueProblem(request)))

/** For use cases whose ports were taken when the server started: only the errors to map. */
export const answerCatalogueRead = (request: HttpServerRequest.HttpServerRequest) =>
<A, E extends CatalogueError>(useCase: Effect.Effect<A, E>): Effect.Effect<A, CatalogueProblem> => useCase.pipe(Effect.catch(catalogueProblem(request)))

/**
 * A view as the JSON body of a 200, written here rather than by the endpoint's schema: the hot read
 * routes skip re-checking every field of a view this code just built (typed against the schema by
 * its caller), which was the largest cost of a cached menu or nearby page.
 */
export const jsonBody = (view: unknown) => HttpServerResponse.text(JSON.stringify(view), { contentType: "application/json" })
