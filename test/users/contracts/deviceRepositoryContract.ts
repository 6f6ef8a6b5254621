import { assert, layer } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import { randomBytes } from "node:crypto"
import { uuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { DeviceRepository } from "@nelo/domain/users/DeviceRepository"
import type { UserId } from "@nelo/domain/users/User"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { makeNewUser } from "./userRepositoryContract.ts"

const newOwner = Effect.gen(function*() {
  return (yield* (yield* UserRepository).create(makeNewUser())).id as UserId
})

const newToken = () => `fcm-${randomBytes(24).toString("base64url")}`
const at = (minutes: number) => new Date(Date.UTC(2026, 11, 7, 12, minutes))

/** One suite, run against every DeviceRepository adapter. */
export const deviceRepositoryContract = (name: string, repositoryLayer: Layer.Layer<DeviceRepository | UserRepository, unknown>) =>
  layer(repositoryLayer, { excludeTestServices: true })(`DeviceRepository contract: ${name}`, (it) => {
    it.effect("a token registered again is refreshed (same id, seen later); listed most recently seen first; removed by its owner only", () =>
      Effect.gen(function*() {
        const devices = yield* DeviceRepository
        const owner = yield* newOwner
        const other = yield* newOwner
        const phone = newToken()
        const first = yield* devices.register({ id: uuidV7(Date.now()), userId: owner, token: phone, platform: "android", now: at(0), keep: 10 })
        const tablet = yield* devices.register({ id: uuidV7(Date.now()), userId: owner, token: newToken(), platform: "ios", now: at(1), keep: 10 })
        const again = yield* devices.register({ id: uuidV7(Date.now()), userId: owner, token: phone, platform: "android", now: at(2), keep: 10 })
        assert.strictEqual(again.id, first.id)
        assert.deepStrictEqual(again.createdAt, at(0))
        assert.deepStrictEqual(again.lastSeenAt, at(2))
        assert.deepStrictEqual((yield* devices.list(owner)).map((device) => device.id), [first.id, tablet.id])
        assert.isFalse(yield* devices.remove(other, first.id), "another user's device is not found")
        assert.isTrue(yield* devices.remove(owner, first.id))
        assert.isFalse(yield* devices.remove(owner, first.id))
        assert.isFalse(yield* devices.remove(owner, "not-a-uuid"))
        assert.deepStrictEqual((yield* devices.list(owner)).map((device) => device.id), [tablet.id])
      }))

    it.effect("a token registered by another account moves to it, as a new registration", () =>
      Effect.gen(function*() {
        const devices = yield* DeviceRepository
        const [seller, buyer] = [yield* newOwner, yield* newOwner]
        const token = newToken()
        const sold = yield* devices.register({ id: uuidV7(Date.now()), userId: seller, token, platform: "android", now: at(0), keep: 10 })
        const moved = yield* devices.register({ id: uuidV7(Date.now()), userId: buyer, token, platform: "android", now: at(5), keep: 10 })
        assert.notStrictEqual(moved.id, sold.id)
        assert.deepStrictEqual(moved.createdAt, at(5))
        assert.deepStrictEqual(yield* devices.list(seller), [])
        assert.deepStrictEqual((yield* devices.list(buyer)).map((device) => device.token), [token])
      }))

    it.effect("forget removes one device whoever owns it (a dead token), and nothing else", () =>
      Effect.gen(function*() {
        const devices = yield* DeviceRepository
        const [owner, other] = [yield* newOwner, yield* newOwner]
        const dead = yield* devices.register({ id: uuidV7(Date.now()), userId: owner, token: newToken(), platform: "android", now: at(0), keep: 10 })
        const alive = yield* devices.register({ id: uuidV7(Date.now()), userId: owner, token: newToken(), platform: "ios", now: at(1), keep: 10 })
        const others = yield* devices.register({ id: uuidV7(Date.now()), userId: other, token: newToken(), platform: "android", now: at(2), keep: 10 })
        assert.isTrue(yield* devices.forget(dead.id))
        assert.isFalse(yield* devices.forget(dead.id), "already gone")
        assert.isFalse(yield* devices.forget("not-a-uuid"))
        assert.deepStrictEqual((yield* devices.list(owner)).map((device) => device.id), [alive.id])
        assert.deepStrictEqual((yield* devices.list(other)).map((device) => device.id), [others.id])
      }))

    it.effect("past `keep`, the least recently seen devices are forgotten", () =>
      Effect.gen(function*() {
        const devices = yield* DeviceRepository
        const owner = yield* newOwner
        const registered = []
        for (let minute = 0; minute < 4; minute++) {
          registered.push(yield* devices.register({ id: uuidV7(Date.now()), userId: owner, token: newToken(), platform: "web", now: at(minute), keep: 3 }))
        }
        assert.deepStrictEqual((yield* devices.list(owner)).map((device) => device.id), [registered[3]!.id, registered[2]!.id, registered[1]!.id])
      }))
  })
