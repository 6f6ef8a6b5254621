import { Context, type Effect, type Option } from "effect"
import type { Driver, DriverStatus } from "./Driver.ts"
import type { DeliveriesUnavailable } from "./errors.ts"

export type RegisterOutcome =
  | { readonly _tag: "Registered"; readonly driver: Driver }
  /** This user is a driver already: nothing was written. */
  | { readonly _tag: "AlreadyRegistered"; readonly driver: Driver }

export interface DriverListQuery {
  readonly onlineOnly: boolean
  /** Drivers after this user id (ids ascending): the next page. */
  readonly afterId: string | null
  readonly limit: number
}

/** The drivers, by user id. Writes run inside the caller's Transactional when it has one. */
export class DriverRepository extends Context.Service<DriverRepository, {
  readonly register: (driver: Driver) => Effect.Effect<RegisterOutcome, DeliveriesUnavailable>
  readonly findById: (userId: string) => Effect.Effect<Option.Option<Driver>, DeliveriesUnavailable>
  /** The drivers among these ids (unknown ones left out): one read for a search's candidates. */
  readonly findMany: (userIds: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<Driver>, DeliveriesUnavailable>
  /**
   * The driver under his row lock: of two offers a driver accepts at once, the second waits for the
   * first and sees the delivery it took. Taken before any delivery's lock (DeliveryRepository).
   */
  readonly lock: (userId: string) => Effect.Effect<Option.Option<Driver>, DeliveriesUnavailable>
  /** Records a delivery handed over at `at`: the matching's wait counts from it. */
  readonly markDelivered: (userId: string, at: Date) => Effect.Effect<void, DeliveriesUnavailable>
  /** A customer's stars (1..5) added to the driver's: ratingSum += stars, ratingCount += 1, in one atomic step; an unknown driver changes nothing. */
  readonly addRating: (userId: string, stars: number) => Effect.Effect<void, DeliveriesUnavailable>
  /** Sets the status (and when it changed); none when there is no such driver. */
  readonly setStatus: (userId: string, status: DriverStatus, at: Date) => Effect.Effect<Option.Option<Driver>, DeliveriesUnavailable>
  readonly list: (query: DriverListQuery) => Effect.Effect<ReadonlyArray<Driver>, DeliveriesUnavailable>
}>()("nelo/deliveries/DriverRepository") {}
