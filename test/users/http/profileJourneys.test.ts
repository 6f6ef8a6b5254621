import { assert, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { type Role, UserId } from "@nelo/domain/users/User"
import { client, expectProblem } from "../../support/authClient.ts"
import { answered, problemOf } from "../../support/neloClient.ts"
import { startApi } from "../../support/startApi.ts"

const env = { TRUSTED_PROXY_HOPS: "1" }
const inBaoulekro = { lat: 5.89, lng: -4.833 }
const inNdouci = { lat: 5.8667, lng: -4.7667 }

layer(PostgresLayer, { excludeTestServices: true, timeout: "60 seconds" })("profile journeys over HTTP", (it) => {
  it.effect("PIN: set, refuse guessable ones, change only with the current PIN, lock after 5 wrong tries", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { as, request, registered } = client(api)
      const account = yield* registered()
      const me = as(account.accessToken)
      const setPin = (payload: { readonly pin: string; readonly currentPin?: string }) => me.users.setPin({ payload })
      for (const pin of ["0000", "1234", "9876", "1212", "7777"]) expectProblem(yield* problemOf(setPin({ pin })), 422, "pin_too_simple")
      // Raw on purpose: a PIN the typed client's schema would refuse before sending.
      expectProblem(yield* request("PUT", "/api/v1/users/me/pin", { token: account.accessToken, body: { pin: "12a4" } }), 400, "invalid_request")
      assert.strictEqual((yield* answered(setPin({ pin: "4826" }))).status, 204)
      assert.isTrue((yield* answered(me.users.me())).body.hasPin)
      expectProblem(yield* problemOf(setPin({ pin: "5930" })), 422, "current_pin_required")
      for (let attempt = 1; attempt <= 4; attempt++) {
        const wrong = yield* problemOf(setPin({ pin: "5930", currentPin: "1111" }))
        expectProblem(wrong, 422, "pin_incorrect")
        assert.deepInclude(wrong.error, { _tag: "PinIncorrect", attemptsLeft: 5 - attempt })
      }
      const locked = yield* problemOf(setPin({ pin: "5930", currentPin: "1111" }))
      expectProblem(locked, 429, "too_many_requests")
      assert.isAtLeast(Number(locked.headers.get("retry-after")), 1700)
      // Locked: even the right PIN is refused now.
      expectProblem(yield* problemOf(setPin({ pin: "5930", currentPin: "4826" })), 429, "too_many_requests")
    })))

  it.effect("addresses: zone resolved from the point, one default, BOLA gives 404 and changes nothing", () =>
    Effect.scoped(Effect.gen(function*() {
      yield* seedCity(tiassale).pipe(Effect.provide(ZoneRepositoryPostgres))
      const api = yield* startApi(env)
      const { as, registered } = client(api)
      const alice = as((yield* registered()).accessToken)
      const bob = as((yield* registered()).accessToken)
      type NewAddress = Parameters<typeof alice.users.addAddress>[0]["payload"]
      const add = (who: typeof alice, payload: NewAddress) => answered(who.users.addAddress({ payload }))

      const home = yield* add(alice, { label: "Maison", location: inBaoulekro, landmark: "derrière la pharmacie du marché" })
      assert.strictEqual(home.status, 201)
      assert.isTrue(home.body.isDefault, "the first address is the default")
      assert.strictEqual(home.body.zone!.slug, "baoulekro")
      const work = yield* add(alice, { label: "Travail", location: inNdouci, landmark: "gare routière", isDefault: true })
      assert.strictEqual(work.body.zone!.slug, "ndouci")
      const atSea = yield* add(alice, { label: "Pêche", location: { lat: 4.5, lng: -4.0 }, landmark: "" })
      assert.isNull(atSea.body.zone)

      const listed = yield* answered(alice.users.addresses())
      assert.deepStrictEqual(listed.body.filter((address) => address.isDefault).map((address) => address.id), [work.body.id])

      // Bob reads, changes and deletes Alice's address: each is a 404, and nothing changes.
      assert.deepStrictEqual((yield* answered(bob.users.addresses())).body, [])
      expectProblem(yield* problemOf(bob.users.changeAddress({ params: { id: home.body.id }, payload: { label: "Volée" } })), 404, "not_found")
      expectProblem(yield* problemOf(bob.users.removeAddress({ params: { id: home.body.id } })), 404, "not_found")
      const after = yield* answered(alice.users.addresses())
      assert.strictEqual(after.body.length, 3)
      assert.strictEqual(after.body.find((address) => address.id === home.body.id)!.label, "Maison")

      const moved = yield* answered(alice.users.changeAddress({ params: { id: atSea.body.id }, payload: { location: inBaoulekro, isDefault: true } }))
      assert.strictEqual(moved.body.zone!.slug, "baoulekro")
      assert.isTrue(moved.body.isDefault)
      assert.strictEqual((yield* answered(alice.users.removeAddress({ params: { id: moved.body.id } }))).status, 204)
      const remaining = (yield* answered(alice.users.addresses())).body
      assert.strictEqual(remaining.filter((address) => address.isDefault).length, 1, "another address became the default")
    })))

  it.effect("addresses: bad input is refused with the field path and nothing is written", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { as, request, registered } = client(api)
      const account = yield* registered()
      // Raw on purpose: bodies the typed client's schema would refuse before sending.
      const add = (body: unknown) => request("POST", "/api/v1/users/me/addresses", { token: account.accessToken, body })
      const refusals = [
        { label: "Maison", location: { lat: 95, lng: 0 }, landmark: "x" },
        { label: "", location: inBaoulekro, landmark: "x" },
        { label: "Maison", location: inBaoulekro, landmark: "x".repeat(301) },
        { label: "Maison", location: { lat: "5.9", lng: -4.8 }, landmark: "x" },
        { label: "Maison", landmark: "x" }
      ]
      for (const body of refusals) expectProblem(yield* add(body), 400, "invalid_request")
      const me = as(account.accessToken)
      expectProblem(yield* problemOf(me.users.changeAddress({ params: { id: "not-a-uuid" }, payload: { label: "x" } })), 404, "not_found")
      assert.deepStrictEqual((yield* answered(me.users.addresses())).body, [])
    })))

  it.effect("admin roles: only admins change roles, the change reaches the user's next token, an admin cannot demote themselves", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { as, request, registered } = client(api)
      const admin = yield* registered()
      const driver = yield* registered()
      const sql = yield* SqlClient.SqlClient
      yield* sql`UPDATE users.users SET roles = ARRAY['client', 'admin'] WHERE id = ${admin.user.id}`
      const adminTokens = (yield* answered(as().auth.refresh({ payload: { refreshToken: admin.refreshToken } }))).body

      const setRoles = (token: string, userId: string, roles: Array<Role>) => as(token).admin.setRoles({ params: { id: UserId.make(userId) }, payload: { roles } })
      expectProblem(yield* problemOf(setRoles(driver.accessToken, driver.user.id, ["client", "admin"])), 403, "forbidden")
      const changed = yield* answered(setRoles(adminTokens.accessToken, driver.user.id, ["client", "driver"]))
      assert.strictEqual(changed.status, 200)
      assert.deepStrictEqual(changed.body.roles, ["client", "driver"])
      const refreshed = yield* answered(as().auth.refresh({ payload: { refreshToken: driver.refreshToken } }))
      assert.deepStrictEqual(refreshed.body.user.roles, ["client", "driver"])
      expectProblem(yield* problemOf(setRoles(adminTokens.accessToken, admin.user.id, ["client"])), 422, "cannot_remove_own_admin_role")
      expectProblem(yield* problemOf(setRoles(adminTokens.accessToken, "0190d6c0-0000-7000-8000-000000000001", ["client"])), 404, "account_not_found")
      // Raw on purpose: a role the typed client's schema would refuse before sending.
      expectProblem(yield* request("PUT", `/api/v1/admin/users/${driver.user.id}/roles`, { token: adminTokens.accessToken, body: { roles: ["superuser"] } }), 400, "invalid_request")
    })))
})
