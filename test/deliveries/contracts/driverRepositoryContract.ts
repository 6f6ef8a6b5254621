import { assert, layer } from "@effect/vitest"
import { Deferred, Effect, Fiber, type Layer, Option } from "effect"
import type { Driver } from "@nelo/domain/deliveries/Driver"
import { DriverRepository } from "@nelo/domain/deliveries/DriverRepository"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { ZoneRepository } from "@nelo/domain/geo/ZoneRepository"
import { Transactional } from "@nelo/domain/shared/Transactional"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { makeNewUser } from "../../users/contracts/userRepositoryContract.ts"

/** A user of their own and a zone of Tiassalé's: the Postgres store's foreign keys want both. */
export const newDriverFacts = Effect.gen(function*() {
  yield* seedCity(tiassale)
  const user = yield* (yield* UserRepository).create(makeNewUser())
  const zone = Option.getOrThrow(yield* (yield* ZoneRepository).zoneAt({ lat: 5.89, lng: -4.833 }))
  const at = new Date(Math.floor(Date.now() / 1_000) * 1_000)
  return {
    userId: user.id as string,
    vehicle: "motorbike",
    plate: "1234 AB 01",
    zoneId: zone.zoneId,
    status: "offline",
    statusChangedAt: at,
    lastDeliveredAt: null,
    ratingSum: 0,
    ratingCount: 0,
    createdAt: at
  } satisfies Driver
})

/** A new driver, registered. */
export const aRegisteredDriver = Effect.tap(newDriverFacts, (driver) => DriverRepository.use((drivers) => drivers.register(driver)))

/**
 * Two transactions taking one row's lock: the second waits until the first commits, then sees its
 * write. `lock` takes the lock; `write` changes the row under it; `seen` reads what the second saw.
 */
export const secondLockWaitsForFirst = <A, B, E, R>(options: {
  readonly lock: Effect.Effect<A, E, R>
  readonly write: Effect.Effect<unknown, E, R>
  readonly seenWritten: (seen: A) => B
}) =>
  Effect.gen(function*() {
    const transactional = yield* Transactional
    const firstHolds = yield* Deferred.make<void>()
    const firstMayCommit = yield* Deferred.make<void>()
    let secondLocked = false
    const first = yield* Effect.forkChild(transactional.run(Effect.gen(function*() {
      yield* options.lock
      yield* Deferred.succeed(firstHolds, undefined)
      yield* Deferred.await(firstMayCommit)
      yield* options.write
    })))
    yield* Deferred.await(firstHolds)
    const second = yield* Effect.forkChild(transactional.run(Effect.tap(options.lock, () => Effect.sync(() => void (secondLocked = true)))))
    yield* Effect.sleep("300 millis")
    assert.isFalse(secondLocked, "the second transaction waits for the first's lock")
    yield* Deferred.succeed(firstMayCommit, undefined)
    yield* Fiber.join(first)
    return options.seenWritten(yield* Fiber.join(second))
  })

/** One suite, run against every DriverRepository adapter. */
export const driverRepositoryContract = (name: string, repositoryLayer: Layer.Layer<DriverRepository | UserRepository | ZoneRepository | Transactional, unknown>) =>
  layer(repositoryLayer, { excludeTestServices: true })(`DriverRepository contract: ${name}`, (it) => {
    it.effect("registers a driver once (a second registration changes nothing); found by user id; unknown and malformed ids are none", () =>
      Effect.gen(function*() {
        const drivers = yield* DriverRepository
        const driver = yield* newDriverFacts
        assert.deepStrictEqual(yield* drivers.register(driver), { _tag: "Registered", driver })
        const again = yield* drivers.register({ ...driver, vehicle: "bicycle", plate: null })
        assert.deepStrictEqual(again, { _tag: "AlreadyRegistered", driver })
        assert.deepStrictEqual(yield* drivers.findById(driver.userId), Option.some(driver))
        assert.isTrue(Option.isNone(yield* drivers.findById(crypto.randomUUID())))
        assert.isTrue(Option.isNone(yield* drivers.findById("not-a-driver")))
      }))

    it.effect("setStatus writes the status and its time; none for an unknown driver; taken back with its transaction", () =>
      Effect.gen(function*() {
        const drivers = yield* DriverRepository
        const driver = yield* newDriverFacts
        yield* drivers.register(driver)
        const at = new Date(driver.createdAt.getTime() + 60_000)
        const online = yield* drivers.setStatus(driver.userId, "online", at)
        assert.deepStrictEqual(online, Option.some({ ...driver, status: "online" as const, statusChangedAt: at }))
        assert.isTrue(Option.isNone(yield* drivers.setStatus(crypto.randomUUID(), "online", at)))
        const failed = yield* Effect.flip((yield* Transactional).run(Effect.andThen(drivers.setStatus(driver.userId, "offline", new Date(at.getTime() + 1_000)), Effect.fail("rolled back" as const))))
        assert.strictEqual(failed, "rolled back")
        assert.deepStrictEqual(yield* drivers.findById(driver.userId), online)
      }))

    it.effect("findMany: the drivers among the ids, by user id, unknown, malformed and repeated ids left out", () =>
      Effect.gen(function*() {
        const drivers = yield* DriverRepository
        const registered = yield* Effect.forEach(Array.from({ length: 3 }), () => aRegisteredDriver)
        const [first, second, third] = registered
        const found = yield* drivers.findMany([third!.userId, crypto.randomUUID(), first!.userId, "not-a-driver", third!.userId])
        assert.deepStrictEqual(found, [first!, third!].sort((left, right) => left.userId < right.userId ? -1 : 1))
        assert.deepStrictEqual(yield* drivers.findMany([second!.userId]), [second!])
        assert.deepStrictEqual(yield* drivers.findMany([]), [])
        assert.deepStrictEqual(yield* drivers.findMany(["garbage"]), [])
      }))

    it.effect("lock reads the driver; none for an unknown or malformed id", () =>
      Effect.gen(function*() {
        const drivers = yield* DriverRepository
        const driver = yield* aRegisteredDriver
        assert.deepStrictEqual(yield* drivers.lock(driver.userId), Option.some(driver))
        assert.deepStrictEqual(yield* (yield* Transactional).run(drivers.lock(driver.userId)), Option.some(driver))
        assert.isTrue(Option.isNone(yield* drivers.lock(crypto.randomUUID())))
        assert.isTrue(Option.isNone(yield* drivers.lock("not-a-driver")))
      }))

    it.effect("lock: of two transactions locking one driver, the second waits until the first commits and sees its write", () =>
      Effect.gen(function*() {
        const drivers = yield* DriverRepository
        const driver = yield* aRegisteredDriver
        const at = new Date(driver.createdAt.getTime() + 60_000)
        const seen = yield* secondLockWaitsForFirst({
          lock: drivers.lock(driver.userId),
          write: drivers.setStatus(driver.userId, "online", at),
          seenWritten: (found) => Option.getOrThrow(found)
        })
        assert.deepStrictEqual(seen, { ...driver, status: "online" as const, statusChangedAt: at })
      }))

    it.effect("markDelivered writes the last delivery's time, nothing else; an unknown driver changes nothing; taken back with its transaction", () =>
      Effect.gen(function*() {
        const drivers = yield* DriverRepository
        const driver = yield* aRegisteredDriver
        const other = yield* aRegisteredDriver
        const at = new Date(driver.createdAt.getTime() + 3_600_000)
        yield* drivers.markDelivered(driver.userId, at)
        assert.deepStrictEqual(yield* drivers.findById(driver.userId), Option.some({ ...driver, lastDeliveredAt: at }))
        assert.deepStrictEqual(yield* drivers.findById(other.userId), Option.some(other))
        yield* drivers.markDelivered(crypto.randomUUID(), at)
        yield* drivers.markDelivered("not-a-driver", at)
        const later = new Date(at.getTime() + 60_000)
        const failed = yield* Effect.flip((yield* Transactional).run(Effect.andThen(drivers.markDelivered(driver.userId, later), Effect.fail("rolled back" as const))))
        assert.strictEqual(failed, "rolled back")
        assert.deepStrictEqual(yield* drivers.findById(driver.userId), Option.some({ ...driver, lastDeliveredAt: at }))
        yield* drivers.markDelivered(driver.userId, later)
        assert.deepStrictEqual(yield* drivers.findById(driver.userId), Option.some({ ...driver, lastDeliveredAt: later }))
      }))

    it.effect("addRating adds the stars to the sum and one to the count, nothing else; an unknown driver changes nothing; taken back with its transaction", () =>
      Effect.gen(function*() {
        const drivers = yield* DriverRepository
        const driver = yield* aRegisteredDriver
        const other = yield* aRegisteredDriver
        yield* drivers.addRating(driver.userId, 4)
        yield* drivers.addRating(driver.userId, 5)
        assert.deepStrictEqual(yield* drivers.findById(driver.userId), Option.some({ ...driver, ratingSum: 9, ratingCount: 2 }))
        assert.deepStrictEqual(yield* drivers.findById(other.userId), Option.some(other))
        yield* drivers.addRating(crypto.randomUUID(), 3)
        yield* drivers.addRating("not-a-driver", 3)
        const failed = yield* Effect.flip((yield* Transactional).run(Effect.andThen(drivers.addRating(driver.userId, 1), Effect.fail("rolled back" as const))))
        assert.strictEqual(failed, "rolled back")
        assert.deepStrictEqual(yield* drivers.findById(driver.userId), Option.some({ ...driver, ratingSum: 9, ratingCount: 2 }))
      }))

    it.effect("addRating: ratings added at once, each in its transaction, all count (none is lost to another)", () =>
      Effect.gen(function*() {
        const drivers = yield* DriverRepository
        const transactional = yield* Transactional
        const driver = yield* aRegisteredDriver
        const stars = [1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 5, 5]
        yield* Effect.forEach(stars, (star) => transactional.run(drivers.addRating(driver.userId, star)), { concurrency: "unbounded", discard: true })
        const found = Option.getOrThrow(yield* drivers.findById(driver.userId))
        assert.deepStrictEqual({ ratingSum: found.ratingSum, ratingCount: found.ratingCount }, { ratingSum: stars.reduce((sum, star) => sum + star, 0), ratingCount: stars.length })
      }))

    it.effect("list: by user id ascending, after a cursor, the online ones only when asked, at most the limit", () =>
      Effect.gen(function*() {
        const drivers = yield* DriverRepository
        const registered = yield* Effect.forEach(Array.from({ length: 4 }), () => Effect.tap(newDriverFacts, (driver) => drivers.register(driver)))
        const ids = registered.map((driver) => driver.userId).sort()
        yield* drivers.setStatus(ids[1]!, "online", new Date())
        yield* drivers.setStatus(ids[3]!, "online", new Date())
        const mine = (found: ReadonlyArray<Driver>) => found.map((driver) => driver.userId).filter((id) => ids.includes(id))
        const all = yield* drivers.list({ onlineOnly: false, afterId: null, limit: 10_000 })
        assert.deepStrictEqual(mine(all), ids)
        assert.deepStrictEqual(all.map((driver) => driver.userId), [...all.map((driver) => driver.userId)].sort(), "ids ascending")
        assert.deepStrictEqual(mine(yield* drivers.list({ onlineOnly: true, afterId: null, limit: 10_000 })), [ids[1], ids[3]])
        assert.deepStrictEqual(mine(yield* drivers.list({ onlineOnly: false, afterId: ids[1]!, limit: 10_000 })), [ids[2], ids[3]])
        assert.lengthOf(yield* drivers.list({ onlineOnly: false, afterId: null, limit: 2 }), 2)
        assert.deepStrictEqual(yield* drivers.list({ onlineOnly: false, afterId: "garbage", limit: 10 }), [])
      }))
  })
