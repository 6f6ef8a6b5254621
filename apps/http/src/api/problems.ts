import { Schema } from "effect"
import { HttpApiError } from "effect/http-api"

// Every error leaves the API as application/problem+json (RFC 9457) with a stable machine `code`
// that clients switch on, and a French `message` they may show as is. `type` names the problem.
const problemType = (code: string) => `urn:nelo:problem:${code}`

export const FieldProblem = Schema.Struct({
  path: Schema.Array(Schema.Union([Schema.String, Schema.Number])),
  message: Schema.String
})

export class InvalidRequest extends HttpApiError.Problem<InvalidRequest>()("InvalidRequest", {
  type: problemType("invalid_request"),
  status: 400,
  title: "Invalid request"
}, {
  code: Schema.Literal("invalid_request"),
  message: Schema.String,
  errors: Schema.Array(FieldProblem)
}) {}

export class MalformedJson extends HttpApiError.Problem<MalformedJson>()("MalformedJson", {
  type: problemType("malformed_json"),
  status: 400,
  title: "Malformed JSON"
}, {
  code: Schema.Literal("malformed_json"),
  message: Schema.String,
  errors: Schema.Array(FieldProblem)
}) {}

export class Unauthenticated extends HttpApiError.Problem<Unauthenticated>()("Unauthenticated", {
  type: problemType("unauthenticated"),
  status: 401,
  title: "Unauthenticated"
}, {
  code: Schema.Literal("unauthenticated"),
  message: Schema.String
}) {}

export class NotFound extends HttpApiError.Problem<NotFound>()("NotFound", {
  type: problemType("not_found"),
  status: 404,
  title: "Not found"
}, {
  code: Schema.Literal("not_found"),
  message: Schema.String
}) {}

export class InternalError extends HttpApiError.Problem<InternalError>()("InternalError", {
  type: problemType("internal_error"),
  status: 500,
  title: "Internal error"
}, {
  code: Schema.Literal("internal_error"),
  message: Schema.String
}) {}

export const internalError = () =>
  new InternalError({ code: "internal_error", message: "Une erreur interne est survenue. Réessayez dans un instant." })

export const notFound = (message = "Cette ressource n'existe pas.") => new NotFound({ code: "not_found", message })
