import { assert, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { client, expectProblem } from "../support/authClient.ts"
import { startApi } from "../support/startApi.ts"

const env = { TRUSTED_PROXY_HOPS: "1" }
const inBaoulekro = { lat: 5.89, lng: -4.833 }
const inNdouci = { lat: 5.8667, lng: -4.7667 }

layer(PostgresLayer, { excludeTestServices: true, timeout: "60 seconds" })("profile journeys over HTTP", (it) => {
  it.effect("PIN: set, refuse guessable ones, change only with the current PIN, lock after 5 wrong tries", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { request, registered } = client(api)
      const account = yield* registered()
      const setPin = (body: unknown) => request("PUT", "/api/v1/users/me/pin", { token: account.accessToken, body })
      for (const pin of ["0000", "1234", "9876", "1212", "7777"]) expectProblem(yield* setPin({ pin }), 422, "pin_too_simple")
      expectProblem(yield* setPin({ pin: "12a4" }), 400, "invalid_request")
      assert.strictEqual((yield* setPin({ pin: "4826" })).status, 204)
      assert.isTrue((yield* request("GET", "/api/v1/users/me", { token: account.accessToken })).body.hasPin)
      expectProblem(yield* setPin({ pin: "5930" }), 422, "current_pin_required")
      for (let attempt = 1; attempt <= 4; attempt++) expectProblem(yield* setPin({ pin: "5930", currentPin: "1111" }), 422, "pin_incorrect")
      const locked = yield* setPin({ pin: "5930", currentPin: "1111" })
      expectProblem(locked, 429, "too_many_requests")
      assert.isAtLeast(Number(locked.headers.get("retry-after")), 1700)
      // Locked: even the right PIN is refused now.
      expectProblem(yield* setPin({ pin: "5930", currentPin: "4826" }), 429, "too_many_requests")
    })))

  it.effect("addresses: zone resolved from the point, one default, BOLA gives 404 and changes nothing", () =>
    Effect.scoped(Effect.gen(function*() {
      yield* seedCity(tiassale).pipe(Effect.provide(ZoneRepositoryPostgres))
      const api = yield* startApi(env)
      const { request, registered } = client(api)
      const alice = yield* registered()
      const bob = yield* registered()
      const add = (token: string, body: unknown) => request("POST", "/api/v1/users/me/addresses", { token, body })

      const home = yield* add(alice.accessToken, { label: "Maison", location: inBaoulekro, landmark: "derrière la pharmacie du marché" })
      assert.strictEqual(home.status, 201)
      assert.isTrue(home.body.isDefault, "the first address is the default")
      assert.strictEqual(home.body.zone.slug, "baoulekro")
      const work = yield* add(alice.accessToken, { label: "Travail", location: inNdouci, landmark: "gare routière", isDefault: true })
      assert.strictEqual(work.body.zone.slug, "ndouci")
      const atSea = yield* add(alice.accessToken, { label: "Pêche", location: { lat: 4.5, lng: -4.0 }, landmark: "" })
      assert.isNull(atSea.body.zone)

      const listed = yield* request("GET", "/api/v1/users/me/addresses", { token: alice.accessToken })
      assert.deepStrictEqual(listed.body.filter((address: { isDefault: boolean }) => address.isDefault).map((address: { id: string }) => address.id), [work.body.id])

      // Bob reads, changes and deletes Alice's address: each is a 404, and nothing changes.
      assert.deepStrictEqual((yield* request("GET", "/api/v1/users/me/addresses", { token: bob.accessToken })).body, [])
      expectProblem(yield* request("PUT", `/api/v1/users/me/addresses/${home.body.id}`, { token: bob.accessToken, body: { label: "Volée" } }), 404, "not_found")
      expectProblem(yield* request("DELETE", `/api/v1/users/me/addresses/${home.body.id}`, { token: bob.accessToken }), 404, "not_found")
      const after = yield* request("GET", "/api/v1/users/me/addresses", { token: alice.accessToken })
      assert.strictEqual(after.body.length, 3)
      assert.strictEqual(after.body.find((address: { id: string }) => address.id === home.body.id).label, "Maison")

      const moved = yield* request("PUT", `/api/v1/users/me/addresses/${atSea.body.id}`, { token: alice.accessToken, body: { location: inBaoulekro, isDefault: true } })
      assert.strictEqual(moved.body.zone.slug, "baoulekro")
      assert.isTrue(moved.body.isDefault)
      assert.strictEqual((yield* request("DELETE", `/api/v1/users/me/addresses/${moved.body.id}`, { token: alice.accessToken })).status, 204)
      const remaining = (yield* request("GET", "/api/v1/users/me/addresses", { token: alice.accessToken })).body
      assert.strictEqual(remaining.filter((address: { isDefault: boolean }) => address.isDefault).length, 1, "another address became the default")
    })))

  it.effect("addresses: bad input is refused with the field path and nothing is written", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { request, registered } = client(api)
      const account = yield* registered()
      const add = (body: unknown) => request("POST", "/api/v1/users/me/addresses", { token: account.accessToken, body })
      const refusals = [
        { label: "Maison", location: { lat: 95, lng: 0 }, landmark: "x" },
        { label: "", location: inBaoulekro, landmark: "x" },
        { label: "Maison", location: inBaoulekro, landmark: "x".repeat(301) },
        { label: "Maison", location: { lat: "5.9", lng: -4.8 }, landmark: "x" },
        { label: "Maison", landmark: "x" }
      ]
      for (const body of refusals) expectProblem(yield* add(body), 400, "invalid_request")
      expectProblem(yield* request("PUT", "/api/v1/users/me/addresses/not-a-uuid", { token: account.accessToken, body: { label: "x" } }), 404, "not_found")
      assert.deepStrictEqual((yield* request("GET", "/api/v1/users/me/addresses", { token: account.accessToken })).body, [])
    })))

  it.effect("admin roles: only admins change roles, the change reaches the user's next token, an admin cannot demote themselves", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { request, registered } = client(api)
      const admin = yield* registered()
      const driver = yield* registered()
      const sql = yield* SqlClient.SqlClient
      yield* sql`UPDATE users.users SET roles = ARRAY['client', 'admin'] WHERE id = ${admin.user.id}`
      const adminTokens = (yield* request("POST", "/api/v1/auth/refresh", { body: { refreshToken: admin.refreshToken } })).body

      const setRoles = (token: string, userId: string, roles: Array<string>) => request("PUT", `/api/v1/admin/users/${userId}/roles`, { token, body: { roles } })
      expectProblem(yield* setRoles(driver.accessToken, driver.user.id, ["client", "admin"]), 403, "forbidden")
      const changed = yield* setRoles(adminTokens.accessToken, driver.user.id, ["client", "driver"])
      assert.strictEqual(changed.status, 200)
      assert.deepStrictEqual(changed.body.roles, ["client", "driver"])
      const refreshed = yield* request("POST", "/api/v1/auth/refresh", { body: { refreshToken: driver.refreshToken } })
      assert.deepStrictEqual(refreshed.body.user.roles, ["client", "driver"])
      expectProblem(yield* setRoles(adminTokens.accessToken, admin.user.id, ["client"]), 422, "cannot_remove_own_admin_role")
      expectProblem(yield* setRoles(adminTokens.accessToken, "0190d6c0-0000-7000-8000-000000000001", ["client"]), 404, "account_not_found")
      expectProblem(yield* setRoles(adminTokens.accessToken, driver.user.id, ["superuser"]), 400, "invalid_request")
    })))
})
