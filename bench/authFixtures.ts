// Users and sessions for the auth scenarios (users-me, auth-refresh), made with the product's own
// code so that the tokens are exactly those a sign-in hands out: the bench users are rows of
// users.users (no password, so no Argon2 and no SMS are needed), and every session is opened with
// the domain's `makeOpenSession` over the API's real adapters (Postgres session store, HMAC digests,
// jose tokens), which is what POST /auth/login and /auth/register run once the person is known.
// (The users are written with plain SQL, so this module does not depend on the user repository's
// columns, which other work changes.)
// The environment (DATABASE_URL, AUTH_DIGEST_SECRET, JWT_SIGNING_KEYS...) is the one both servers
// get, so their tokens verify on both. Everything is removed again by `removeBenchUsers`.
import { Array as Arr, Effect, Layer, ManagedRuntime } from "effect"
import { SqlClient } from "effect/sql"
import { AuthCryptoNode } from "@nelo/adapters/auth/AuthCryptoNode"
import { AuthPolicyFromConfig } from "@nelo/adapters/auth/AuthPolicyFromConfig"
import { TokenIssuerJose } from "@nelo/adapters/auth/TokenIssuerJose"
import { IdGeneratorUuidV7, uuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { SessionStorePostgres } from "@nelo/adapters/postgres/SessionStorePostgres"
import { makeOpenSession, type SignedIn } from "@nelo/domain/auth/openSession"
import type { User, UserId } from "@nelo/domain/users/User"

/** How many distinct users the auth scenarios spread their requests over. */
export const benchUserCount = 200
// Moov mobile numbers +225 01 000 00000 to +225 01 000 00199, and names that say what the rows
// are: cleanup deletes only rows matching both.
const benchPhonePrefix = "+22501000"
const benchNamePrefix = "nelo-bench user "
const benchDeviceLabel = "nelo-bench"

const FixtureServices = Layer.mergeAll(
  AuthPolicyFromConfig,
  AuthCryptoNode,
  TokenIssuerJose,
  IdGeneratorUuidV7,
  SessionStorePostgres
).pipe(Layer.provideMerge(PostgresLayer))

let runtime: ManagedRuntime.ManagedRuntime<Layer.Success<typeof FixtureServices>, Layer.Error<typeof FixtureServices>> | undefined
const fixtureRuntime = () => (runtime ??= ManagedRuntime.make(FixtureServices))

const phoneOf = (index: number) => `${benchPhonePrefix}${String(index).padStart(5, "0")}`
// Crockford alphabet (no I, L, O, U), 8 characters, as the users.users CHECK and ReferralCode want.
const referralCodeOf = (index: number) => `BNCH${String(index).padStart(4, "0")}`

const benchUsersCondition = (sql: SqlClient.SqlClient) =>
  sql`phone LIKE ${`${benchPhonePrefix}%`} AND full_name LIKE ${`${benchNamePrefix}%`}`

/** Creates the bench users if they are not there yet (an interrupted run may have left them); their ids, in order. */
const ensureBenchUsers = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const now = new Date()
  const rows = Arr.makeBy(benchUserCount, (index): Record<string, unknown> => ({
    id: uuidV7(now.getTime() + index),
    phone: phoneOf(index),
    fullName: `${benchNamePrefix}${String(index).padStart(3, "0")}`,
    // Half of them with an e-mail, so both shapes of the answer are served.
    email: index % 2 === 0 ? `bench${index}@example.com` : null,
    language: index % 3 === 0 ? "en" : "fr",
    roles: ["client"],
    referralCode: referralCodeOf(index),
    createdAt: now,
    updatedAt: now
  }))
  yield* sql`INSERT INTO users.users ${sql.insert(rows)} ON CONFLICT DO NOTHING`
  const found = yield* sql<{ id: UserId; phone: string }>`SELECT id, phone FROM users.users WHERE ${benchUsersCondition(sql)} ORDER BY phone`
  if (found.length !== benchUserCount) {
    return yield* Effect.die(new Error(`expected ${benchUserCount} bench users, found ${found.length} (a phone ${benchPhonePrefix}xxxxx or referral code BNCHxxxx taken by someone else?)`))
  }
  return found.map((row) => row.id)
})

let benchUserIds: Promise<ReadonlyArray<UserId>> | undefined

/**
 * Opens `count` sessions, spread round-robin over the bench users, exactly as a sign-in does.
 * Each result carries its access token and its first refresh token.
 */
export const openBenchSessions = async (count: number): Promise<ReadonlyArray<SignedIn>> => {
  const run = fixtureRuntime()
  const userIds = await (benchUserIds ??= run.runPromise(ensureBenchUsers))
  // openSession reads only the user's id and roles (for the session row and the access token's
  // claims) and hands the user back untouched: the rest of the profile is not needed here.
  const users = userIds.map((id) => {
    const user: Pick<User, "id" | "roles"> = { id, roles: ["client"] }
    return user as User
  })
  return run.runPromise(Effect.flatMap(makeOpenSession, (openSession) => Effect.forEach(
    Array.from({ length: count }, (_, index) => users[index % users.length]!),
    (user) => openSession(user, benchDeviceLabel),
    { concurrency: 8 }
  )))
}

/** Deletes the bench users, their sessions and refresh tokens (cascade), then closes the pool. */
export const removeBenchUsers = async (): Promise<void> => {
  if (runtime === undefined) return
  const run = runtime
  runtime = undefined
  benchUserIds = undefined
  try {
    await run.runPromise(Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`DELETE FROM auth.sessions WHERE user_id IN (SELECT id FROM users.users WHERE ${benchUsersCondition(sql)})`
      yield* sql`DELETE FROM users.users WHERE ${benchUsersCondition(sql)}`
    }))
  } finally {
    await run.dispose()
  }
}
