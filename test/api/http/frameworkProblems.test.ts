import { createServer } from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { HttpRouter, HttpServer, HttpServerError, HttpServerResponse, ProblemDetails } from "effect/http"
import { HttpApi } from "effect/http-api"
import { RequestContext } from "../../../apps/http/src/middleware/RequestContext.ts"
import { client } from "../../support/authClient.ts"
import { startApi } from "../../support/startApi.ts"

// What the framework answers by itself (a wrong Content-Type, an unknown route, a wrong method) is
// the same problem+json as the API's own errors: a stable code, a French message, the request id.

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly body: any
}

const send = (url: string, init: RequestInit = {}) =>
  Effect.promise(async (): Promise<Answer> => {
    const response = await fetch(url, init)
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) }
  })

const expectFrameworkProblem = (answer: Answer, status: number, code: string, message: RegExp, context: string, withRequestId = true) => {
  assert.strictEqual(answer.status, status, `${context}: ${JSON.stringify(answer.body)}`)
  assert.match(answer.headers.get("content-type") ?? "", /^application\/problem\+json/u, context)
  assert.deepStrictEqual(
    { type: answer.body.type, status: answer.body.status, code: answer.body.code },
    { type: `urn:nelo:problem:${code}`, status, code },
    context
  )
  assert.isString(answer.body.title, context)
  assert.match(answer.body.message, message, context)
  if (withRequestId) assert.match(answer.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/u, `${context}: x-request-id`)
}

const multipartForm = () => {
  const form = new FormData()
  form.append("phone", "0700000000")
  form.append("file", new Blob(["bonjour"], { type: "text/plain" }), "note.txt")
  return form
}

// A body in every wrong type a client might send to a JSON route.
const wrongBodies: ReadonlyArray<readonly [string, () => RequestInit]> = [
  ["text/plain", () => ({ headers: { "content-type": "text/plain" }, body: "0700000000" })],
  ["application/xml", () => ({ headers: { "content-type": "application/xml" }, body: "<otp><phone>0700000000</phone></otp>" })],
  ["form-urlencoded", () => ({ headers: { "content-type": "application/x-www-form-urlencoded" }, body: "phone=0700000000&purpose=register" })],
  ["multipart", () => ({ body: multipartForm() })]
]

const jsonRoutes = ["/api/v1/auth/send-otp", "/api/v1/zones/lookup"]

layer(Layer.empty, { excludeTestServices: true, timeout: "60 seconds" })("framework errors are problem+json", (it) => {
  it.effect("a JSON route sent text, XML, a form or multipart: 415 unsupported_media_type naming application/json", () =>
    Effect.scoped(Effect.gen(function*() {
      const { url: api } = yield* startApi()
      for (const path of jsonRoutes) {
        for (const [name, init] of wrongBodies) {
          const answer = yield* send(`${api}${path}`, { method: "POST", ...init() })
          expectFrameworkProblem(answer, 415, "unsupported_media_type", /^Le corps doit être envoyé en application\/json\.$/u, `${name} to ${path}`)
        }
      }
    })))

  it.effect("a content type with parameters or another case is still JSON; a JSON body still works", () =>
    Effect.scoped(Effect.gen(function*() {
      const { url: api } = yield* startApi()
      const body = JSON.stringify({ lat: 5.9, lng: -4.82 })
      const upper = yield* send(`${api}/api/v1/zones/lookup`, { method: "POST", headers: { "content-type": "Application/JSON; charset=utf-8" }, body })
      assert.strictEqual(upper.status, 200, JSON.stringify(upper.body))
      assert.match(upper.headers.get("content-type") ?? "", /^application\/json/u)
    })))

  it.effect("the multipart avatar route sent JSON: 415 naming multipart/form-data", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi()
      const account = yield* client(api).registered()
      const answer = yield* send(`${api.url}/api/v1/users/me/avatar`, {
        method: "POST",
        headers: { authorization: `Bearer ${account.accessToken}`, "content-type": "application/json" },
        body: JSON.stringify({ file: "aGVsbG8=" })
      })
      expectFrameworkProblem(answer, 415, "unsupported_media_type", /^Le corps doit être envoyé en multipart\/form-data\.$/u, "JSON to the avatar")
    })))

  it.effect("an unknown route: 404 not_found, with the caller's request id", () =>
    Effect.scoped(Effect.gen(function*() {
      const { url: api } = yield* startApi()
      for (const [method, path] of [["GET", "/api/v1/nothing"], ["POST", "/api/v1/nothing/at/all"], ["GET", "/"]] as const) {
        const answer = yield* send(`${api}${path}`, { method })
        expectFrameworkProblem(answer, 404, "not_found", /^Cette adresse n'existe pas dans l'API NELO\.$/u, `${method} ${path}`)
      }
      const echoed = yield* send(`${api}/api/v1/nothing`, { headers: { "x-request-id": "app-retry-42-abcdef" } })
      assert.strictEqual(echoed.headers.get("x-request-id"), "app-retry-42-abcdef")
      assert.strictEqual(echoed.body.code, "not_found")
    })))

  it.effect("a known path with another method: 405 method_not_allowed with Allow", () =>
    Effect.scoped(Effect.gen(function*() {
      const { url: api } = yield* startApi()
      const cases = [
        ["GET", "/api/v1/auth/send-otp", "POST"],
        ["DELETE", "/api/v1/users/me", "GET, HEAD, PUT"],
        ["POST", "/health", "GET, HEAD"]
      ] as const
      for (const [method, path, allow] of cases) {
        const answer = yield* send(`${api}${path}`, { method })
        expectFrameworkProblem(answer, 405, "method_not_allowed", /^Cette méthode n'est pas acceptée pour cette adresse\.$/u, `${method} ${path}`)
        assert.strictEqual(answer.headers.get("allow"), allow, `${method} ${path}`)
      }
    })))
})

// The middleware alone, around routes that answer the way the framework's own errors do (empty
// bodies from built-in errors, a plain text 500, a body read failing as a defect).
const bareServer = Effect.gen(function*() {
  const parseFailure = (reason: "Parse" | "BodyTooLarge") =>
    HttpRouter.add("POST", `/read/${reason}`, (request) =>
      Effect.die(new HttpServerError.HttpServerError({ reason: new HttpServerError.RequestParseError({ request, reason }) })))
  const routes = Layer.mergeAll(
    HttpRouter.add("GET", "/empty/:status", (request) =>
      Effect.succeed(HttpServerResponse.empty({ status: Number(request.url.split("/").at(-1)), headers: { "x-kept": "yes" } }))),
    HttpRouter.add("GET", "/text", HttpServerResponse.text("boom", { status: 500 })),
    HttpRouter.add("GET", "/ours", HttpServerResponse.jsonUnsafe({ code: "mine" }, { status: 409, contentType: ProblemDetails.contentType })),
    HttpRouter.add("GET", "/ok", HttpServerResponse.text("fine")),
    parseFailure("Parse"),
    parseFailure("BodyTooLarge"),
    RequestContext(HttpApi.make("bare"))
  )
  const context = yield* Layer.build(HttpRouter.serve(routes, { disableLogger: true, disableListenLog: true }).pipe(
    Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }))
  ))
  return HttpServer.formatAddress(Context.get(context, HttpServer.HttpServer).address)
})

layer(Layer.empty, { excludeTestServices: true })("framework problems: RequestContext on a bare router", (it) => {
  it.effect("empty and plain-text error responses become problems with their status and headers; others are untouched", () =>
    Effect.scoped(Effect.gen(function*() {
      const base = yield* bareServer
      const expected = [
        [400, "bad_request"],
        [401, "unauthorized"],
        [405, "method_not_allowed"],
        [413, "payload_too_large"],
        [418, "client_error"],
        [426, "upgrade_required"],
        [500, "internal_error"],
        [503, "service_unavailable"]
      ] as const
      for (const [status, code] of expected) {
        const answer = yield* send(`${base}/empty/${status}`)
        expectFrameworkProblem(answer, status, code, /\S/u, `empty ${status}`, false)
        assert.strictEqual(answer.headers.get("x-kept"), "yes", `empty ${status} keeps its headers`)
      }
      expectFrameworkProblem(yield* send(`${base}/text`), 500, "internal_error", /^Une erreur interne/u, "plain text 500", false)
      const ours = yield* send(`${base}/ours`)
      assert.deepStrictEqual([ours.status, ours.body], [409, { code: "mine" }])
      const ok = yield* Effect.promise(() => fetch(`${base}/ok`).then(async (response) => [response.status, await response.text()]))
      assert.deepStrictEqual(ok, [200, "fine"])
    })))

  it.effect("a body that cannot be read is 400 malformed_request, one past a size limit 413 payload_too_large", () =>
    Effect.scoped(Effect.gen(function*() {
      const base = yield* bareServer
      const unreadable = yield* send(`${base}/read/Parse`, { method: "POST" })
      assert.strictEqual(unreadable.status, 400)
      assert.strictEqual(unreadable.body.code, "malformed_request")
      const tooLarge = yield* send(`${base}/read/BodyTooLarge`, { method: "POST" })
      assert.strictEqual(tooLarge.status, 413)
      assert.strictEqual(tooLarge.body.code, "payload_too_large")
      assert.match(tooLarge.headers.get("content-type") ?? "", /^application\/problem\+json/u)
    })))
})
