import { Effect } from "effect"
import { Transactional } from "../shared/Transactional.ts"
import { DriverFeed } from "./DriverFeed.ts"

/**
 * Wakes drivers' live streams once the change is committed (their streams read it from the store
 * then): their open offers changed, or the delivery one of them holds. Asked inside a transaction,
 * sent after its commit, never if it rolls back; a signal lost is nothing worse than a late list.
 */
export const makeTellDrivers = Effect.gen(function*() {
  const feed = yield* DriverFeed
  const transactional = yield* Transactional
  return {
    offersChanged: (driverIds: Iterable<string>) => {
      const distinct = [...new Set(driverIds)]
      return distinct.length === 0
        ? Effect.void
        : transactional.afterCommit(Effect.forEach(distinct, (driverId) => feed.publish(driverId, { _tag: "OffersChanged" }), { concurrency: "unbounded", discard: true }))
    },
    deliveryChanged: (driverId: string, deliveryId: string) => transactional.afterCommit(feed.publish(driverId, { _tag: "DeliveryChanged", deliveryId }))
  }
})
