import { assert } from "@effect/vitest"
import { Cause, Context, Effect, Schema } from "effect"
import { FetchHttpClient, HttpClient, HttpClientError, HttpClientRequest, type HttpClientResponse } from "effect/http"
import { HttpApi, HttpApiClient } from "effect/http-api"
import { NeloApi } from "../../apps/http/src/NeloApi.ts"

// The API as the apps call it: a client derived from NeloApi, so every request is encoded by its
// endpoint's schemas and every answer decoded by them. A success that does not match its view, a
// problem that does not match its error schema, or a status the endpoint does not declare fails the
// test that made the call, with the request, the status and the body. A declared problem comes back
// as the domain error itself (WalletFrozen { side }...), next to the status, headers and raw body
// (code, French message) that the tests assert on.

/**
 * NeloApi as the tests read it: success and problem bodies decoded strictly, so that a member the
 * schema does not declare (a field a view leaks, say from a route that writes its JSON itself) fails
 * like a missing one, and every issue of a body is reported, not just the first.
 */
const StrictNeloApi = NeloApi
  .annotate(HttpApi.SuccessParseOptions, { onExcessProperty: "error", errors: "all" })
  .annotate(HttpApi.ErrorParseOptions, { onExcessProperty: "error", errors: "all" })

/** Who is calling: their access token, their client address (X-Forwarded-For) and their app. */
export interface Caller {
  readonly token?: string | undefined
  readonly clientIp?: string | undefined
  readonly userAgent?: string | undefined
}

export const defaultUserAgent = "NELO-test/1.0 (Android 13)"

/** The response a call got, kept per call so that its status and raw body can be read after decoding. */
interface Seen {
  response?: HttpClientResponse.HttpClientResponse
}

const LastResponse = Context.Reference<Seen | undefined>("test/neloClient/LastResponse", { defaultValue: () => undefined })

const fetchClient = Effect.runSync(Effect.gen(function*() {
  return yield* HttpClient.HttpClient
}).pipe(Effect.provide(FetchHttpClient.layer)))

const record = (response: HttpClientResponse.HttpClientResponse) =>
  Effect.gen(function*() {
    const seen = yield* LastResponse
    if (seen !== undefined) seen.response = response
  })

const build = (baseUrl: string, caller: Caller) => {
  const headers: Record<string, string> = { "user-agent": caller.userAgent ?? defaultUserAgent }
  if (caller.token !== undefined) headers.authorization = `Bearer ${caller.token}`
  if (caller.clientIp !== undefined) headers["x-forwarded-for"] = caller.clientIp
  return HttpApiClient.makeWith(StrictNeloApi, {
    baseUrl,
    httpClient: fetchClient.pipe(HttpClient.mapRequest(HttpClientRequest.setHeaders(headers)), HttpClient.tap(record))
  })
}

export type NeloClient = Effect.Success<ReturnType<typeof build>>

/** The typed client for the API at `baseUrl` (startApi's url), calling as `caller`. */
export const neloClient = (baseUrl: string, caller: Caller = {}): NeloClient => Effect.runSync(build(baseUrl, caller))

/** A problem+json body: the members every problem has, and its extensions (retryAfterSeconds, errors...). */
export interface ProblemBody {
  readonly type: string
  readonly status: number
  readonly title: string
  readonly code: string
  readonly message: string
  readonly [member: string]: unknown
}

/** A call answered with its declared success: the decoded view. */
export interface Answered<A> {
  readonly ok: true
  readonly status: number
  readonly headers: Headers
  readonly body: A
}

/** A call answered with one of its declared problems: the domain error, and the raw problem. */
export interface Refused<E> {
  readonly ok: false
  readonly status: number
  readonly headers: Headers
  readonly body: ProblemBody
  readonly error: E
}

export type Answer<A, E> = Answered<A> | Refused<E>

/** What a call can fail with that is not an answer of the API's contract. */
type Untyped = HttpClientError.HttpClientError | Schema.SchemaError
export type DomainError<E> = Exclude<E, Untyped>

const isUntyped = (error: unknown): error is Untyped => HttpClientError.isHttpClientError(error) || Schema.isSchemaError(error)

const headersOf = (response: HttpClientResponse.HttpClientResponse) => new globalThis.Headers(response.headers as Record<string, string>)

/** The body as text, cut to a length a failure message can show. */
const textOf = (response: HttpClientResponse.HttpClientResponse) =>
  Effect.map(Effect.result(response.text), (result) => {
    if (result._tag !== "Success") return "<body unreadable>"
    return result.success.length > 4_000 ? `${result.success.slice(0, 4_000)}… (${result.success.length} characters)` : result.success
  })

/** Why a call is not an answer of the contract, with what was sent and received. */
const contractBroken = (seen: Seen, cause: Cause.Cause<unknown>) =>
  Effect.gen(function*() {
    const response = seen.response
    const answered = response === undefined
      ? "no response"
      : `${response.request.method} ${response.request.url} → ${response.status} ${response.headers["content-type"] ?? ""} ${yield* textOf(response)}`
    return yield* Effect.sync(() => assert.fail(`The answer does not match NeloApi: ${answered}\n${Cause.pretty(cause)}`))
  })

/**
 * Runs a call of the typed client and returns its answer: the decoded success, or the declared
 * problem as the domain error with its status, headers and body. Anything else (an undeclared
 * status, a body that fails its schema, no answer) fails the test.
 */
export const answerOf = <A, E, R>(call: Effect.Effect<A, E, R>): Effect.Effect<Answer<A, DomainError<E>>, never, R> =>
  Effect.suspend(() => {
    const seen: Seen = {}
    return call.pipe(
      Effect.provideService(LastResponse, seen),
      Effect.matchCauseEffect({
        onSuccess: (body): Effect.Effect<Answer<A, DomainError<E>>> =>
          Effect.succeed({ ok: true, status: seen.response!.status, headers: headersOf(seen.response!), body }),
        onFailure: (cause): Effect.Effect<Answer<A, DomainError<E>>> => {
          const fails = cause.reasons.filter(Cause.isFailReason)
          const error = fails[0]?.error
          if (fails.length !== 1 || error === undefined || isUntyped(error) || seen.response === undefined) return contractBroken(seen, cause)
          const response = seen.response
          return Effect.map(response.json, (body) => ({ ok: false as const, status: response.status, headers: headersOf(response), body: body as ProblemBody, error: error as DomainError<E> })).pipe(
            Effect.catchCause(() => contractBroken(seen, cause))
          )
        }
      })
    )
  })

/** The call's declared success (fails the test, showing the problem, if it was refused). */
export const answered = <A, E, R>(call: Effect.Effect<A, E, R>): Effect.Effect<Answered<A>, never, R> =>
  Effect.flatMap(answerOf(call), (answer) =>
    answer.ok ? Effect.succeed(answer) : Effect.sync(() => assert.fail(`expected a success, got ${answer.status} ${JSON.stringify(answer.body)}`)))

/** The call's declared problem (fails the test, showing the view, if it succeeded). */
export const problemOf = <A, E, R>(call: Effect.Effect<A, E, R>): Effect.Effect<Refused<DomainError<E>>, never, R> =>
  Effect.flatMap(answerOf(call), (answer) =>
    answer.ok ? Effect.sync(() => assert.fail(`expected a problem, got ${answer.status} ${JSON.stringify(answer.body)}`)) : Effect.succeed(answer))
