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
  /** Sets the status (and when it changed); none when there is no such driver. */
  readonly setStatus: (userId: string, status: DriverStatus, at: Date) => Effect.Effect<Option.Option<Driver>, DeliveriesUnavailable>
  readonly list: (query: DriverListQuery) => Effect.Effect<ReadonlyArray<Driver>, DeliveriesUnavailable>
}>()("nelo/deliveries/DriverRepository") {}
