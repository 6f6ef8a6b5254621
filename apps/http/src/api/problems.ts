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


// Problems by status: the `code` says which rule was hit (documented per endpoint), the class only
// fixes the status, so that each endpoint declares the statuses it can answer.
const statusProblem = <Self>() => <const Tag extends string, const Status extends number>(tag: Tag, status: Status, title: string) =>
  HttpApiError.Problem<Self>()(tag, { type: `urn:nelo:problem:status-${status}`, status, title }, {
    code: Schema.String,
    message: Schema.String
  })

export class UnauthorizedProblem extends statusProblem<UnauthorizedProblem>()("UnauthorizedProblem", 401, "Unauthorized") {}
export class ForbiddenProblem extends statusProblem<ForbiddenProblem>()("ForbiddenProblem", 403, "Forbidden") {}
export class NotFoundProblem extends statusProblem<NotFoundProblem>()("NotFoundProblem", 404, "Not found") {}
export class ConflictProblem extends statusProblem<ConflictProblem>()("ConflictProblem", 409, "Conflict") {}
export class UnprocessableProblem extends statusProblem<UnprocessableProblem>()("UnprocessableProblem", 422, "Unprocessable") {}
export class PayloadTooLargeProblem extends statusProblem<PayloadTooLargeProblem>()("PayloadTooLargeProblem", 413, "Payload too large") {}
export class UnsupportedMediaTypeProblem extends statusProblem<UnsupportedMediaTypeProblem>()("UnsupportedMediaTypeProblem", 415, "Unsupported media type") {}
export class ServiceUnavailableProblem extends statusProblem<ServiceUnavailableProblem>()("ServiceUnavailableProblem", 503, "Service unavailable") {}

export class TooManyRequestsProblem extends HttpApiError.Problem<TooManyRequestsProblem>()("TooManyRequestsProblem", {
  type: "urn:nelo:problem:status-429",
  status: 429,
  title: "Too many requests"
}, {
  code: Schema.String,
  message: Schema.String,
  retryAfterSeconds: Schema.Number
}) {}
