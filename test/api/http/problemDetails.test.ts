import { assert, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { startApi } from "../../support/startApi.ts"

const post = (url: string, body: string) =>
  Effect.promise(() => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body }))

layer(Layer.empty, { excludeTestServices: true })("HTTP errors are problem+json", (it) => {
  it.effect("malformed JSON: 400 malformed_json with a French message", () =>
    Effect.scoped(Effect.gen(function*() {
      const { url: api } = yield* startApi()
      const response = yield* post(`${api}/api/v1/zones/lookup`, `{"lat": 5.9,`)
      assert.strictEqual(response.status, 400)
      assert.strictEqual(response.headers.get("content-type"), "application/problem+json")
      const problem = yield* Effect.promise(() => response.json() as Promise<any>)
      assert.strictEqual(problem.code, "malformed_json")
      assert.strictEqual(problem.status, 400)
      assert.match(problem.message, /JSON valide/u)
    })))

  it.effect("a payload failing its schema: 400 invalid_request naming each field", () =>
    Effect.scoped(Effect.gen(function*() {
      const { url: api } = yield* startApi()
      const response = yield* post(`${api}/api/v1/zones/lookup`, JSON.stringify({ lat: 95, lng: "est" }))
      assert.strictEqual(response.status, 400)
      assert.strictEqual(response.headers.get("content-type"), "application/problem+json")
      const problem = yield* Effect.promise(() => response.json() as Promise<any>)
      assert.strictEqual(problem.code, "invalid_request")
      assert.strictEqual(problem.type, "urn:nelo:problem:invalid_request")
      assert.match(problem.message, /^La requête est invalide \(champ lat\)/u)
      assert.deepStrictEqual(problem.errors[0].path, ["body", "lat"])
      assert.match(problem.errors[0].message, /entre -90 et 90/u)
    })))

  it.effect("a missing field and a wrong type are both reported with their paths", () =>
    Effect.scoped(Effect.gen(function*() {
      const { url: api } = yield* startApi()
      const response = yield* post(`${api}/api/v1/zones/lookup`, JSON.stringify({ lng: "est" }))
      const problem = yield* Effect.promise(() => response.json() as Promise<any>)
      assert.strictEqual(response.status, 400)
      const paths = problem.errors.map((error: { path: Array<string> }) => error.path.join("."))
      assert.include(paths, "body.lat")
      assert.include(problem.errors.map((error: { message: string }) => error.message).join(" "), "Champ obligatoire manquant")
    })))

  it.effect("an unknown route: 404 not_found as problem+json", () =>
    Effect.scoped(Effect.gen(function*() {
      const { url: api } = yield* startApi()
      const response = yield* Effect.promise(() => fetch(`${api}/api/v1/nothing-here`))
      assert.strictEqual(response.status, 404)
      assert.strictEqual(response.headers.get("content-type"), "application/problem+json")
      assert.strictEqual((yield* Effect.promise(() => response.json() as Promise<any>)).code, "not_found")
    })))

  it.effect("every response carries a request id; a caller's own id is echoed", () =>
    Effect.scoped(Effect.gen(function*() {
      const { url: api } = yield* startApi()
      const fresh = yield* Effect.promise(() => fetch(`${api}/health`))
      assert.match(fresh.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/u)
      const echoed = yield* Effect.promise(() => fetch(`${api}/health`, { headers: { "x-request-id": "app-retry-42-abcdef" } }))
      assert.strictEqual(echoed.headers.get("x-request-id"), "app-retry-42-abcdef")
      const hostile = yield* Effect.promise(() => fetch(`${api}/health`, { headers: { "x-request-id": "<script>alert(1)</script>" } }))
      assert.notStrictEqual(hostile.headers.get("x-request-id"), "<script>alert(1)</script>")
    })))
})
