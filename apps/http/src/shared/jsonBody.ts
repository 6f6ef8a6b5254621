import { HttpServerResponse } from "effect/http"

/**
 * A view as the JSON body of a 200, written here rather than by the endpoint's schema: the hot read
 * routes skip re-checking every field of a view this code just built (typed against the schema by
 * its caller with `satisfies`), which was the largest cost of a cached menu or nearby page.
 */
export const jsonBody = (view: unknown) => HttpServerResponse.text(JSON.stringify(view), { contentType: "application/json" })
