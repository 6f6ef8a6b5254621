import { assert, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { startApi } from "../../support/startApi.ts"

const getJson = (url: string) =>
  Effect.promise(async () => {
    const response = await fetch(url)
    return { status: response.status, contentType: response.headers.get("content-type"), body: await response.json() as any }
  })

// Port 1 on loopback: nothing listens there, so connections are refused at once.
const closedPostgres = "postgres://postgres@127.0.0.1:1/nelo"
const closedRedis = "redis://127.0.0.1:1"

layer(Layer.empty, { excludeTestServices: true, timeout: "30 seconds" })("health", (it) => {
  it.effect("liveness answers without touching any dependency", () =>
    Effect.scoped(Effect.gen(function*() {
      const { url: api } = yield* startApi({ DATABASE_URL: closedPostgres, REDIS_URL: closedRedis })
      const { status, body } = yield* getJson(`${api}/health`)
      assert.strictEqual(status, 200)
      assert.deepStrictEqual(body, { status: "ok" })
    })))

  it.effect("readiness: 200 with each dependency's latency in ms when both answer", () =>
    Effect.scoped(Effect.gen(function*() {
      const { url: api } = yield* startApi()
      const { status, body } = yield* getJson(`${api}/health/ready`)
      assert.strictEqual(status, 200)
      assert.strictEqual(body.status, "ready")
      for (const name of ["postgres", "redis"]) {
        assert.strictEqual(body.dependencies[name].status, "up")
        assert.isAtLeast(body.dependencies[name].latencyMs, 0)
        assert.isBelow(body.dependencies[name].latencyMs, 1_000)
      }
    })))

  it.effect("readiness: 503 naming Redis when Redis is unreachable", () =>
    Effect.scoped(Effect.gen(function*() {
      const { url: api } = yield* startApi({ REDIS_URL: closedRedis })
      const { status, contentType, body } = yield* getJson(`${api}/health/ready`)
      assert.strictEqual(status, 503)
      assert.strictEqual(contentType, "application/problem+json")
      assert.strictEqual(body.code, "dependency_unavailable")
      assert.deepStrictEqual(body.failing, ["redis"])
      assert.match(body.message, /Redis/u)
      assert.strictEqual(body.dependencies.postgres.status, "up")
      assert.strictEqual(body.dependencies.redis.status, "down")
    })))

  it.effect("readiness: 503 naming Postgres when Postgres is unreachable", () =>
    Effect.scoped(Effect.gen(function*() {
      const { url: api } = yield* startApi({ DATABASE_URL: closedPostgres })
      const { status, body } = yield* getJson(`${api}/health/ready`)
      assert.strictEqual(status, 503)
      assert.deepStrictEqual(body.failing, ["postgres"])
      assert.match(body.message, /Postgres/u)
      assert.strictEqual(body.dependencies.redis.status, "up")
      assert.notInclude(JSON.stringify(body), "127.0.0.1:1", "no connection details leak")
    })))
})

layer(Layer.empty, { excludeTestServices: true })("API documentation and zones", (it) => {
  it.effect("OpenAPI 3.1 at /openapi.json lists the endpoints; Swagger UI at /docs", () =>
    Effect.scoped(Effect.gen(function*() {
      const { url: api } = yield* startApi()
      const { status, body } = yield* getJson(`${api}/openapi.json`)
      assert.strictEqual(status, 200)
      assert.match(body.openapi, /^3\.1/u)
      assert.containsAllKeys(body.paths, ["/health", "/health/ready", "/api/v1/zones/lookup"])
      const docs = yield* Effect.promise(() => fetch(`${api}/docs`))
      assert.strictEqual(docs.status, 200)
      assert.match(docs.headers.get("content-type") ?? "", /text\/html/u)
      assert.match(yield* Effect.promise(() => docs.text()), /swagger/iu)
    })))

  it.effect("CORS: a configured origin is allowed, another is not", () =>
    Effect.scoped(Effect.gen(function*() {
      const { url: api } = yield* startApi({ CORS_ORIGINS: "https://admin.nelo.test" })
      const preflight = (origin: string) =>
        Effect.promise(() => fetch(`${api}/api/v1/zones/lookup`, {
          method: "OPTIONS",
          headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" }
        }))
      const allowed = yield* preflight("https://admin.nelo.test")
      assert.strictEqual(allowed.headers.get("access-control-allow-origin"), "https://admin.nelo.test")
      const refused = yield* preflight("https://evil.example")
      assert.notStrictEqual(refused.headers.get("access-control-allow-origin"), "https://evil.example")
    })))

  it.effect("zone lookup: a point in Tiassalé is served, a point at sea is not", () =>
    Effect.scoped(Effect.gen(function*() {
      const { url: api } = yield* startApi()
      // The run's database is migrated but not seeded: seed it the way an admin would.
      yield* seedCity(tiassale).pipe(Effect.provide(ZoneRepositoryPostgres), Effect.provide(PostgresLayer))
      const lookup = (lat: number, lng: number) =>
        Effect.promise(async () => {
          const response = await fetch(`${api}/api/v1/zones/lookup`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ lat, lng })
          })
          return { status: response.status, body: await response.json() as any }
        })
      const inTown = yield* lookup(5.905, -4.822)
      assert.strictEqual(inTown.status, 200)
      assert.strictEqual(inTown.body.served, true)
      assert.strictEqual(inTown.body.zone.slug, "tchegbanalogo")
      assert.strictEqual(inTown.body.zone.city.name, "Tiassalé")
      const atSea = yield* lookup(4.5, -4.0)
      assert.deepStrictEqual(atSea.body, { served: false, zone: null })
    })))
})
