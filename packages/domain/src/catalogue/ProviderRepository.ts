import { Context, type Effect, type Option } from "effect"
import type { GeoPoint } from "../geo/GeoPoint.ts"
import type { CatalogueStoreUnavailable } from "./errors.ts"
import type { Provider, ProviderType } from "./Provider.ts"
import type { Schedule } from "./Schedule.ts"

export interface ProviderFields {
  readonly type: ProviderType
  readonly name: string
  readonly description: string
  readonly location: GeoPoint
  readonly landmark: string
}

/** Position in the list by name: after this searchable name (see searchableName), then this id. */
export interface AfterName {
  readonly searchName: string
  readonly id: string
}

/** Position in a nearby search: after this distance from the search centre, then this id. */
export interface AfterDistance {
  readonly distanceM: number
  readonly id: string
}

export interface ProviderListQuery {
  readonly type?: ProviderType | undefined
  readonly zoneId?: string | undefined
  readonly ownerId?: string | undefined
  /** Already normalized with searchableName; matches anywhere in the searchable name. */
  readonly nameContains?: string | undefined
  readonly after: AfterName | null
  readonly limit: number
}

export interface NearbyQuery {
  readonly centre: GeoPoint
  readonly radiusM: number
  readonly type?: ProviderType | undefined
  readonly after: AfterDistance | null
  readonly limit: number
}

export interface NearbyRow {
  readonly provider: Provider
  /** From the search centre, on the sphere of haversineMeters (PostGIS: geography without spheroid). */
  readonly distanceM: number
}

/**
 * Providers and their schedules. The store resolves a provider's delivery zone from its point
 * (PostGIS in production) and keeps the searchable name (searchableName) beside the name.
 */
export class ProviderRepository extends Context.Service<ProviderRepository, {
  readonly create: (input: ProviderFields & { readonly id: string; readonly ownerId: string; readonly schedule: Schedule; readonly now: Date }) => Effect.Effect<Provider, CatalogueStoreUnavailable>
  readonly update: (id: string, patch: Partial<ProviderFields> & { readonly now: Date }) => Effect.Effect<Option.Option<Provider>, CatalogueStoreUnavailable>
  /** Replaces the hours (weekly and exceptions) and keeps the pause flag as it is. */
  readonly setHours: (id: string, hours: Pick<Schedule, "weekly" | "exceptions">, now: Date) => Effect.Effect<Option.Option<Provider>, CatalogueStoreUnavailable>
  readonly setPaused: (id: string, paused: boolean, now: Date) => Effect.Effect<Option.Option<Provider>, CatalogueStoreUnavailable>
  /**
   * A customer's stars (1..5) for an order added to the provider's public rating: ratingSum +=
   * stars, ratingCount += 1, in one atomic step; an unknown provider changes nothing. Runs inside
   * the caller's Transactional when it has one.
   */
  readonly addRating: (id: string, stars: number) => Effect.Effect<void, CatalogueStoreUnavailable>
  /** Unknown and malformed ids are simply not found. */
  readonly findById: (id: string) => Effect.Effect<Option.Option<Provider>, CatalogueStoreUnavailable>
  /** Ordered by searchable name then id (byte order), strictly after `after`; at most `limit`. */
  readonly list: (query: ProviderListQuery) => Effect.Effect<ReadonlyArray<Provider>, CatalogueStoreUnavailable>
  /**
   * Providers within radiusM of the centre, ordered by distance from it then id, strictly after
   * `after`; at most `limit`. Production answers from the GiST index (KNN), never a full scan.
   */
  readonly nearby: (query: NearbyQuery) => Effect.Effect<ReadonlyArray<NearbyRow>, CatalogueStoreUnavailable>
}>()("nelo/catalogue/ProviderRepository") {}
