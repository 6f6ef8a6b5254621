import { randomInt } from "node:crypto"
import { assert } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import type { Role } from "@nelo/domain/users/User"
import { client } from "./authClient.ts"
import { answered } from "./neloClient.ts"
import type { startApi } from "./startApi.ts"

type Api = Effect.Success<ReturnType<typeof startApi>>

/**
 * A registered account holding these roles, with a token that carries them (roles are set in the
 * database as an admin would, then the token is refreshed). Needs SqlClient.
 */
export const accountWithRoles = (api: Api, roles: ReadonlyArray<Role>) =>
  Effect.gen(function*() {
    const { as, registered } = client(api)
    const account = yield* registered()
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE users.users SET roles = string_to_array(${roles.join(",")}, ',') WHERE id = ${account.user.id}`
    const refreshed = yield* answered(as().auth.refresh({ payload: { refreshToken: account.refreshToken } }))
    assert.strictEqual(refreshed.status, 200, JSON.stringify(refreshed.body))
    return { userId: account.user.id, token: refreshed.body.accessToken, refreshToken: refreshed.body.refreshToken }
  })

/**
 * A random spot far from Tiassalé's zones (somewhere in the Ivorian savanna, north of 7° N), so that
 * a test's nearby searches see only the providers it placed there.
 */
export const randomFarPoint = () => ({ lat: 7 + randomInt(0, 2_000_000) / 1_000_000, lng: -7 + randomInt(0, 3_000_000) / 1_000_000 })

/** Every day, all day: a provider that is open whatever the time the test runs. */
export const alwaysOpen = { weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, intervals: [{ opens: "00:00", closes: "24:00" }] })), exceptions: [] }
