import { Effect, Layer } from "effect"
import { DriverFeed, type DriverFeedSignal } from "@nelo/domain/deliveries/DriverFeed"
import { makeLiveFeedHub } from "../redis/liveFeedHub.ts"

/** The drivers' live feed within one process, for unit tests: what is published reaches this process's streams. */
export const DriverFeedMemory = Layer.sync(DriverFeed, () => {
  const hub = makeLiveFeedHub<DriverFeedSignal>({ listen: () => Effect.void, stopListening: () => Effect.void })
  return DriverFeed.of({
    publish: (driverId, change) => Effect.sync(() => hub.deliver(driverId.toLowerCase(), change)),
    subscribe: (driverId) => hub.join(driverId.toLowerCase())
  })
})
