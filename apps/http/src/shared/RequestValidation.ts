import { HttpApiMiddleware } from "effect/http-api"
import { InternalError, InvalidRequest, MalformedJson } from "./problems.ts"

/**
 * Declared on the whole API: turns request decoding failures (body, query, path, headers) into an
 * InvalidRequest problem with each field's path and a French sentence.
 */
export class RequestValidation extends HttpApiMiddleware.Service<RequestValidation>()("nelo/http/RequestValidation", {
  error: [InvalidRequest, MalformedJson, InternalError]
}) {}
