import { Context, type Effect } from "effect"

/**
 * A cached value read at the version current when it was read. `version` is null when the cache
 * cannot be reached: the caller then answers from the database and stores nothing.
 */
export interface VersionedRead {
  readonly version: string | null
  readonly json: string | null
}

/**
 * Short-lived copies of what customers read most (menus, nearby pages), as JSON. Entries live
 * under a version: a write commits in the database, then bumps the version, so a copy read from the
 * database before the write and stored after it lands under the old version, which nobody reads any
 * more. A cache outage is a miss, never an error: the catalogue answers from the database.
 */
export class CatalogueCache extends Context.Service<CatalogueCache, {
  /** The version of this provider's menu and its copy at that version, in one round trip. */
  readonly readMenu: (providerId: string) => Effect.Effect<VersionedRead>
  readonly storeMenu: (providerId: string, version: string, json: string) => Effect.Effect<void>
  /** After any write that changes what the menu shows (the provider's own fields included). */
  readonly invalidateMenu: (providerId: string) => Effect.Effect<void>
  /** Nearby pages share one version: any change to any provider's place, hours or pause bumps it. */
  readonly readNearby: (key: string) => Effect.Effect<VersionedRead>
  readonly storeNearby: (key: string, version: string, json: string) => Effect.Effect<void>
  readonly invalidateNearby: Effect.Effect<void>
}>()("nelo/catalogue/CatalogueCache") {}

/** How long a menu copy lives at most (the 5 minutes); writes invalidate it at once. */
export const menuCacheSeconds = 300
/** Nearby pages also carry opening state: short-lived so that closing times are never far behind. */
export const nearbyCacheSeconds = 20
