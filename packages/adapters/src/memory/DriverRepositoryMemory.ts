import { Effect, Layer, Option } from "effect"
import type { Driver } from "@nelo/domain/deliveries/Driver"
import { DriverRepository, type RegisterOutcome } from "@nelo/domain/deliveries/DriverRepository"
import { recordUndo } from "./memoryTransaction.ts"

/** The drivers in memory, for unit tests, behaving as the Postgres adapter does (ids ascending in lists and findMany). */
export const DriverRepositoryMemory = Layer.sync(DriverRepository, () => {
  const drivers = new Map<string, Driver>()
  return DriverRepository.of({
    register: (driver) =>
      Effect.suspend((): Effect.Effect<RegisterOutcome> => {
        const existing = drivers.get(driver.userId)
        if (existing !== undefined) return Effect.succeed({ _tag: "AlreadyRegistered", driver: existing })
        drivers.set(driver.userId, driver)
        return Effect.as(recordUndo(() => drivers.delete(driver.userId)), { _tag: "Registered", driver })
      }),
    findById: (userId) => Effect.sync(() => Option.fromNullishOr(drivers.get(userId))),
    findMany: (userIds) =>
      Effect.sync(() =>
        [...new Set(userIds)]
          .flatMap((userId) => drivers.get(userId) ?? [])
          .sort((left, right) => left.userId < right.userId ? -1 : left.userId > right.userId ? 1 : 0)
      ),
    // Memory transactions run one at a time: the driver is as good as locked already.
    lock: (userId) => Effect.sync(() => Option.fromNullishOr(drivers.get(userId))),
    markDelivered: (userId, at) =>
      Effect.suspend(() => {
        const existing = drivers.get(userId)
        if (existing === undefined) return Effect.void
        drivers.set(userId, { ...existing, lastDeliveredAt: at })
        return recordUndo(() => drivers.set(userId, existing))
      }),
    addRating: (userId, stars) =>
      Effect.suspend(() => {
        const existing = drivers.get(userId)
        if (existing === undefined) return Effect.void
        drivers.set(userId, { ...existing, ratingSum: existing.ratingSum + stars, ratingCount: existing.ratingCount + 1 })
        return recordUndo(() => drivers.set(userId, existing))
      }),
    setStatus: (userId, status, at) =>
      Effect.suspend(() => {
        const existing = drivers.get(userId)
        if (existing === undefined) return Effect.succeed(Option.none())
        const updated: Driver = { ...existing, status, statusChangedAt: at }
        drivers.set(userId, updated)
        return Effect.as(recordUndo(() => drivers.set(userId, existing)), Option.some(updated))
      }),
    list: (query) =>
      Effect.sync(() =>
        [...drivers.values()]
          .filter((driver) => (!query.onlineOnly || driver.status === "online") && (query.afterId === null || driver.userId > query.afterId))
          .sort((left, right) => left.userId < right.userId ? -1 : left.userId > right.userId ? 1 : 0)
          .slice(0, Math.max(0, Math.floor(query.limit)))
      )
  })
})
