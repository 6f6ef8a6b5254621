import { randomBytes } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import { uuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import type { Session } from "@nelo/domain/auth/Session"
import { SessionStore } from "@nelo/domain/auth/SessionStore"
import type { UserId } from "@nelo/domain/users/User"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { makeNewUser } from "../../users/contracts/userRepositoryContract.ts"

const minuteMs = 60_000
const dayMs = 24 * 60 * minuteMs

const randomDigest = () => randomBytes(32).toString("base64url")

/** Sessions belong to users, which Postgres checks: each test signs in a user of its own. */
const newUserId = Effect.gen(function*() {
  return (yield* (yield* UserRepository).create(makeNewUser())).id
})

const makeSession = (userId: UserId, signedInAt: Date, deviceLabel = "Tecno Spark 10"): Session => ({
  id: uuidV7(signedInAt.getTime()),
  userId,
  deviceLabel,
  createdAt: signedInAt,
  lastUsedAt: signedInAt,
  expiresAt: new Date(signedInAt.getTime() + 30 * dayMs)
})

/** A user with one session opened now, and the digest of its first refresh token. */
const signedIn = Effect.gen(function*() {
  const userId = yield* newUserId
  const session = makeSession(userId, new Date())
  const refreshDigest = randomDigest()
  yield* (yield* SessionStore).create(session, refreshDigest)
  return { userId, session, refreshDigest }
})

const rotationAt = (refreshDigest: string, now: Date) => ({
  refreshDigest,
  nextRefreshDigest: randomDigest(),
  now,
  nextExpiresAt: new Date(now.getTime() + 30 * dayMs)
})

/** One suite, run against every SessionStore adapter (with the users its sessions belong to). */
export const sessionStoreContract = (name: string, storeLayer: Layer.Layer<SessionStore | UserRepository, unknown>) =>
  layer(storeLayer, { excludeTestServices: true })(`SessionStore contract: ${name}`, (it) => {
    it.effect("lists a user's active sessions, most recently used first", () =>
      Effect.gen(function*() {
        const store = yield* SessionStore
        const userId = yield* newUserId
        const now = new Date()
        const older = makeSession(userId, new Date(now.getTime() - 2 * dayMs), "Itel A70")
        const newer = makeSession(userId, new Date(now.getTime() - dayMs))
        yield* store.create(older, randomDigest())
        yield* store.create(newer, randomDigest())
        assert.deepStrictEqual(yield* store.listActive(userId, now), [newer, older])
        assert.deepStrictEqual(yield* store.listActive(yield* newUserId, now), [])
      }))

    it.effect("an expired session is no longer listed, and its refresh token is invalid", () =>
      Effect.gen(function*() {
        const store = yield* SessionStore
        const { userId, session, refreshDigest } = yield* signedIn
        assert.deepStrictEqual(yield* store.listActive(userId, session.expiresAt), [])
        assert.deepStrictEqual(yield* store.rotate(rotationAt(refreshDigest, session.expiresAt)), { _tag: "Invalid" })
        assert.deepStrictEqual(yield* store.listActive(userId, new Date(session.expiresAt.getTime() - 1)), [session])
      }))

    it.effect("a user revokes their own session once; another user's session is not theirs to revoke", () =>
      Effect.gen(function*() {
        const store = yield* SessionStore
        const { userId, session, refreshDigest } = yield* signedIn
        const intruder = yield* newUserId
        const now = new Date()
        assert.isFalse(yield* store.revoke(intruder, session.id, now))
        assert.deepStrictEqual(yield* store.listActive(userId, now), [session], "untouched")
        assert.isFalse(yield* store.revoke(userId, "not-a-session-id", now))

        assert.isTrue(yield* store.revoke(userId, session.id, now))
        assert.deepStrictEqual(yield* store.listActive(userId, now), [])
        assert.isFalse(yield* store.revoke(userId, session.id, now), "already revoked")
        assert.deepStrictEqual(yield* store.rotate(rotationAt(refreshDigest, now)), { _tag: "Invalid" })
      }))

    it.effect("rotation uses up the token; presenting it again revokes the session", () =>
      Effect.gen(function*() {
        const store = yield* SessionStore
        const { userId, session, refreshDigest } = yield* signedIn
        const now = new Date(session.createdAt.getTime() + minuteMs)
        const rotation = rotationAt(refreshDigest, now)
        const rotated = yield* store.rotate(rotation)
        const expected = { ...session, lastUsedAt: now, expiresAt: rotation.nextExpiresAt }
        assert.deepStrictEqual(rotated, { _tag: "Rotated", session: expected })
        assert.deepStrictEqual(yield* store.listActive(userId, now), [expected])

        const later = new Date(now.getTime() + minuteMs)
        assert.deepStrictEqual(yield* store.rotate(rotationAt(refreshDigest, later)), { _tag: "Reused", sessionId: session.id })
        assert.deepStrictEqual(yield* store.listActive(userId, later), [])
        // The legitimate device's new token dies with the session: whoever kept a copy is locked out too.
        assert.deepStrictEqual(yield* store.rotate(rotationAt(rotation.nextRefreshDigest, later)), { _tag: "Invalid" })
      }))

    it.effect("the new token rotates in turn", () =>
      Effect.gen(function*() {
        const store = yield* SessionStore
        const { session, refreshDigest } = yield* signedIn
        const first = rotationAt(refreshDigest, new Date(session.createdAt.getTime() + minuteMs))
        yield* store.rotate(first)
        const second = rotationAt(first.nextRefreshDigest, new Date(session.createdAt.getTime() + 2 * minuteMs))
        assert.deepStrictEqual(yield* store.rotate(second), {
          _tag: "Rotated",
          session: { ...session, lastUsedAt: second.now, expiresAt: second.nextExpiresAt }
        })
      }))

    it.effect("an unknown digest is Invalid", () =>
      Effect.gen(function*() {
        const store = yield* SessionStore
        assert.deepStrictEqual(yield* store.rotate(rotationAt(randomDigest(), new Date())), { _tag: "Invalid" })
      }))

    it.effect("of ten concurrent rotations of one token, exactly one rotates and the others fail", () =>
      Effect.gen(function*() {
        const store = yield* SessionStore
        const { userId, session, refreshDigest } = yield* signedIn
        const now = new Date(session.createdAt.getTime() + minuteMs)
        const outcomes = yield* Effect.all(
          Array.from({ length: 10 }, () => store.rotate(rotationAt(refreshDigest, now))),
          { concurrency: "unbounded" }
        )
        const count = (tag: string) => outcomes.filter((outcome) => outcome._tag === tag).length
        // The second to get the token sees it used and revokes the session; the rest find it revoked.
        assert.deepStrictEqual({ rotated: count("Rotated"), reused: count("Reused"), invalid: count("Invalid") }, { rotated: 1, reused: 1, invalid: 8 })
        assert.deepStrictEqual(yield* store.listActive(userId, now), [])
      }))
  })
