import { Effect, Schema } from "effect"
import { HttpApiError, HttpApiSchema } from "effect/http-api"
import { AccessTokenInvalid, AuthStoreUnavailable, TooManyRequests } from "@nelo/domain/auth/errors"
import { authMessages, unavailableMessage } from "@nelo/domain/auth/messages"
import { CatalogueStoreUnavailable } from "@nelo/domain/catalogue/errors"
import { OutboxUnavailable } from "@nelo/domain/events/OutboxStore"
import { OrdersUnavailable } from "@nelo/domain/orders/errors"
import { DeliveriesUnavailable } from "@nelo/domain/deliveries/errors"
import { EarningsUnavailable } from "@nelo/domain/earnings/errors"
import { GeoStoreUnavailable } from "@nelo/domain/geo/ZoneRepository"
import { TransactionUnavailable } from "@nelo/domain/shared/Transactional"
import { StorageUnavailable } from "@nelo/domain/storage/ObjectStorage"
import { ReferralCodeTaken } from "@nelo/domain/users/UserRepository"
import { LedgerUnavailable } from "@nelo/domain/wallet/errors"
import { IntBetween, Text } from "./bounded.ts"
import { problem, ProblemMessage, problemMembers, problemContentType, problemTitles, problemType } from "./problem.ts"

// The problems every part of the API shares: bad input (400), no valid token (401), too many
// attempts (429) and a store that cannot be reached (503). Each context's errors.ts holds the rest.

export const FieldProblem = Schema.Struct({
  path: Schema.Array(Schema.Union([Text(200), IntBetween(0, 2_147_483_647)])).pipe(Schema.check(Schema.isMaxLength(32))),
  message: ProblemMessage
})

/**
 * RFC 9457's optional `detail` and `instance`, which every HttpApiError.Problem declares: we never
 * send them (`message` is our detail), and bounded here so the OpenAPI bounds them too.
 */
export const standardProblemMembers = {
  detail: Schema.optionalKey(Text(2000)).pipe(Schema.catchDecoding(() => Effect.succeedNone)),
  instance: Schema.optionalKey(Text(2000)).pipe(Schema.catchDecoding(() => Effect.succeedNone))
}

const FieldProblems = Schema.Array(FieldProblem).pipe(Schema.check(Schema.isMaxLength(100)))

/** A request whose body, query, path or headers fail their schema: each field's path and a French sentence. */
export class InvalidRequest extends HttpApiError.Problem<InvalidRequest>()("InvalidRequest", {
  type: problemType("invalid_request"),
  status: 400,
  title: problemTitles[400]
}, {
  ...standardProblemMembers,
  code: Schema.Literal("invalid_request"),
  message: ProblemMessage,
  errors: FieldProblems
}) {}

/** A body that is not JSON at all: a different mistake from a field with a wrong value. */
export class MalformedJson extends HttpApiError.Problem<MalformedJson>()("MalformedJson", {
  type: problemType("malformed_json"),
  status: 400,
  title: "Malformed JSON"
}, {
  ...standardProblemMembers,
  code: Schema.Literal("malformed_json"),
  message: ProblemMessage,
  errors: FieldProblems
}) {}

export class InternalError extends HttpApiError.Problem<InternalError>()("InternalError", {
  type: problemType("internal_error"),
  status: 500,
  title: problemTitles[500]
}, {
  ...standardProblemMembers,
  code: Schema.Literal("internal_error"),
  message: ProblemMessage
}) {}

export const internalError = () =>
  new InternalError({ code: "internal_error", message: "Une erreur interne est survenue. Réessayez dans un instant." })

/** No token, a forged, revoked or expired one: the app signs in again, or refreshes when it expired. */
export const Unauthenticated = problem(AccessTokenInvalid, {
  status: 401,
  codes: ["unauthenticated", "access_token_expired"],
  code: (error) => error.reason === "expired" ? "access_token_expired" : "unauthenticated",
  message: authMessages.AccessTokenInvalid,
  fromBody: (body) => new AccessTokenInvalid({ reason: body.code === "access_token_expired" ? "expired" : "malformed" })
})

/**
 * A store the request needs did not answer: nothing was changed; the cause is in the operators' log.
 * (A run of referral code collisions is answered alike: the person can only try again.)
 */
export const ServiceUnavailable = problem({
  name: "ServiceUnavailable",
  classes: [AuthStoreUnavailable, LedgerUnavailable, CatalogueStoreUnavailable, GeoStoreUnavailable, StorageUnavailable, OutboxUnavailable, TransactionUnavailable, ReferralCodeTaken, OrdersUnavailable, DeliveriesUnavailable, EarningsUnavailable]
}, {
  status: 503,
  codes: ["service_unavailable"],
  message: () => unavailableMessage,
  logAs: "store unavailable",
  fromBody: () => new AuthStoreUnavailable({ cause: "reported by the server" })
})

const retryAfterSeconds = (error: TooManyRequests) => Math.max(1, Math.ceil(error.retryAfterMs / 1000))

const TooManyRequestsBody = Schema.Struct({
  ...problemMembers(429, ["too_many_requests"]),
  /** Which limit was reached: otp_cooldown, pin_locked... */
  limit: TooManyRequests.fields.limit,
  retryAfterSeconds: IntBetween(1, 86_400)
}).annotate({ identifier: "TooManyRequestsProblem" }).pipe(
  HttpApiSchema.status(429),
  HttpApiSchema.asJson({ contentType: problemContentType })
)

/** Too many attempts: when to come back is in `Retry-After` (seconds) and in the body. */
export const TooManyRequestsProblem = TooManyRequests.pipe(
  HttpApiSchema.encodeToWithHeaders({
    body: TooManyRequestsBody,
    headers: { "retry-after": Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{1,5}$/u))) }
  }, {
    decode: ({ body }) => new TooManyRequests({ limit: body.limit, retryAfterMs: body.retryAfterSeconds * 1000 }),
    encode: (error) => ({
      body: {
        type: problemType("too_many_requests"),
        status: 429 as const,
        title: problemTitles[429],
        code: "too_many_requests" as const,
        message: authMessages.TooManyRequests(error),
        limit: error.limit,
        retryAfterSeconds: retryAfterSeconds(error)
      },
      headers: { "retry-after": String(retryAfterSeconds(error)) }
    })
  })
)
