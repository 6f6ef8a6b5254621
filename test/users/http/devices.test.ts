import { randomBytes } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { client, expectProblem } from "../../support/authClient.ts"
import { answered, problemOf } from "../../support/neloClient.ts"
import { startApi } from "../../support/startApi.ts"

// Push devices over HTTP: the app registers its FCM token at each start; a token belongs to the
// last account that registered it; another person's device is not found; bad input writes nothing.

const newToken = () => `fcm:${randomBytes(30).toString("base64url")}`

const storedDevices = (userId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* sql<{ id: string; token: string }>`SELECT id, token FROM users.devices WHERE user_id = ${userId} ORDER BY last_seen_at DESC`
  })

layer(PostgresLayer, { excludeTestServices: true, timeout: "60 seconds" })("push devices over HTTP", (it) => {
  it.effect("register (again: the same device), list, move to the account that registers it last, remove; another's is a 404", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi()
      const { as, registered } = client(api)
      const [ayaAccount, kofiAccount] = [yield* registered(), yield* registered()]
      const aya = as(ayaAccount.accessToken)
      const kofi = as(kofiAccount.accessToken)
      const token = newToken()

      const first = yield* answered(aya.users.registerDevice({ payload: { token, platform: "android" } }))
      assert.strictEqual(first.status, 201)
      assert.deepInclude(first.body, { platform: "android" })
      assert.notProperty(first.body, "token", "a token is never echoed back")
      const again = yield* answered(aya.users.registerDevice({ payload: { token, platform: "android" } }))
      assert.strictEqual(again.body.id, first.body.id)
      assert.deepStrictEqual((yield* answered(aya.users.devices())).body.map((device) => device.id), [first.body.id])

      // Kofi cannot remove Aya's device: not found, and it stays.
      expectProblem(yield* problemOf(kofi.users.removeDevice({ params: { id: first.body.id } })), 404, "device_not_found")
      assert.lengthOf(yield* storedDevices(ayaAccount.user.id), 1)

      // The phone changes hands: Kofi signs in on it, the token is his now.
      const moved = yield* answered(kofi.users.registerDevice({ payload: { token, platform: "android" } }))
      assert.notStrictEqual(moved.body.id, first.body.id)
      assert.deepStrictEqual((yield* answered(aya.users.devices())).body, [])
      assert.deepStrictEqual((yield* storedDevices(kofiAccount.user.id)).map((device) => device.token), [token])

      assert.strictEqual((yield* answered(kofi.users.removeDevice({ params: { id: moved.body.id } }))).status, 204)
      expectProblem(yield* problemOf(kofi.users.removeDevice({ params: { id: moved.body.id } })), 404, "device_not_found")
      assert.deepStrictEqual(yield* storedDevices(kofiAccount.user.id), [])
    })))

  it.effect("bad input is a 400 naming the field and registers nothing; no token is a 401", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi()
      const { request, registered } = client(api)
      const account = yield* registered()
      const bodies: ReadonlyArray<unknown> = [
        {},
        { token: newToken() },
        { platform: "android" },
        { token: "short", platform: "android" },
        { token: `${newToken()} with spaces`, platform: "android" },
        { token: "x".repeat(4097), platform: "android" },
        { token: newToken(), platform: "blackberry" },
        { token: 42, platform: "ios" }
      ]
      for (const body of bodies) {
        expectProblem(yield* request("POST", "/api/v1/users/me/devices", { token: account.accessToken, body }), 400, "invalid_request")
      }
      assert.deepStrictEqual(yield* storedDevices(account.user.id), [])
      expectProblem(yield* request("POST", "/api/v1/users/me/devices", { body: { token: newToken(), platform: "ios" } }), 401, "unauthenticated")
      expectProblem(yield* request("GET", "/api/v1/users/me/devices", {}), 401, "unauthenticated")
      expectProblem(yield* request("DELETE", "/api/v1/users/me/devices/not-an-id", { token: account.accessToken }), 404, "device_not_found")
    })))
})
