import { Clock, Effect, Option } from "effect"
import type { GeoPoint } from "../geo/GeoPoint.ts"
import { haversineMeters } from "../geo/haversineMeters.ts"
import { CatalogueCache } from "./CatalogueCache.ts"
import { type CatalogueStoreUnavailable, ProviderNotFound } from "./errors.ts"
import { nearbyCellOf } from "./nearbyCell.ts"
import { isOpen } from "./openingHours.ts"
import { providerAt, type ProviderAtInstant } from "./openingState.ts"
import { distanceCursor, nameCursor } from "./pageCursor.ts"
import type { Provider, ProviderType } from "./Provider.ts"
import { type AfterDistance, type AfterName, type NearbyRow, ProviderRepository } from "./ProviderRepository.ts"
import { searchableName } from "./searchableName.ts"

export const maximumPageSize = 50

// openNow is the domain's isOpen, applied to rows as they come: a page may need several batches
// at night when most places are closed. The scan stops after this many rows with a cursor, so one
// request never reads the whole table; the client simply asks for the next page.
const maximumScannedRows = 2_000

interface ScannedPage<Row> {
  readonly rows: ReadonlyArray<Row>
  /** The row to continue after, when there may be more. */
  readonly continueAfter: Row | undefined
}

const scanPage = <Row, Position>(
  fetch: (after: Position | null, batchSize: number) => Effect.Effect<ReadonlyArray<Row>, CatalogueStoreUnavailable>,
  positionOf: (row: Row) => Position,
  start: Position | null,
  keep: ((row: Row) => boolean) | undefined,
  limit: number
): Effect.Effect<ScannedPage<Row>, CatalogueStoreUnavailable> =>
  Effect.gen(function*() {
    // Unfiltered, one extra row says whether a next page exists; filtered, bigger batches.
    const batchSize = keep === undefined ? limit + 1 : Math.max(limit * 2, 50)
    const kept: Array<Row> = []
    let after = start
    let scanned = 0
    for (;;) {
      const batch: ReadonlyArray<Row> = yield* fetch(after, batchSize)
      for (let index = 0; index < batch.length; index++) {
        const row = batch[index]!
        scanned++
        after = positionOf(row)
        if (keep === undefined || keep(row)) {
          kept.push(row)
          if (kept.length === limit) {
            const more = index < batch.length - 1 || (keep !== undefined && batch.length === batchSize)
            return { rows: kept, continueAfter: more ? row : undefined } as ScannedPage<Row>
          }
        }
      }
      if (batch.length < batchSize) return { rows: kept, continueAfter: undefined } as ScannedPage<Row>
      if (scanned >= maximumScannedRows) return { rows: kept, continueAfter: batch.at(-1) } as ScannedPage<Row>
    }
  })

export interface ProviderPage<Item> {
  readonly items: ReadonlyArray<Item>
  /** Null on the last page. */
  readonly nextCursor: string | null
}

export interface ProviderListQuery {
  readonly type?: ProviderType | undefined
  readonly zoneId?: string | undefined
  readonly ownerId?: string | undefined
  readonly q?: string | undefined
  readonly openNow?: boolean | undefined
  readonly cursor?: string | undefined
  readonly limit: number
}

export interface NearbyProvidersQuery {
  readonly point: GeoPoint
  readonly radiusM: number
  readonly type?: ProviderType | undefined
  readonly openNow?: boolean | undefined
  readonly cursor?: string | undefined
  readonly limit: number
}

export interface NearbyProvider extends ProviderAtInstant {
  /** From the caller's own position, in whole meters. */
  readonly distanceM: number
}

/** What a nearby page caches: rows with their distance from the cell's centre, and the next cursor. */
interface CachedNearbyPage {
  readonly rows: ReadonlyArray<NearbyRow>
  readonly nextCursor: string | null
}

/**
 * The customer's searches, with their ports taken once (when the server starts): these are the
 * most frequent requests, and looking the ports up on each one shows in their cost.
 */
export const makeProviderSearch = Effect.gen(function*() {
  const providers = yield* ProviderRepository
  const cache = yield* CatalogueCache

  /**
   * Providers by name (accent-insensitive, "cafe" finds "Café"), filtered by type, zone, owner and
   * open now, a page at a time in a stable order: every provider appears exactly once across pages.
   */
  const list = (query: ProviderListQuery) =>
    Effect.gen(function*() {
      const start: AfterName | null = query.cursor === undefined ? null : yield* Effect.map(nameCursor.decode(query.cursor), ({ id, searchName }) => ({ id, searchName }))
      const nameContains = query.q === undefined ? undefined : searchableName(query.q) || undefined
      const instantMs = yield* Clock.currentTimeMillis
      const page = yield* scanPage(
        (after, limit) => providers.list({ type: query.type, zoneId: query.zoneId, ownerId: query.ownerId, nameContains, after, limit }),
        (provider: Provider): AfterName => ({ searchName: searchableName(provider.name), id: provider.id }),
        start,
        query.openNow === true ? (provider) => isOpen(provider.schedule, instantMs) : undefined,
        query.limit
      )
      return {
        items: page.rows.map((provider) => providerAt(provider, instantMs)),
        nextCursor: page.continueAfter === undefined ? null : nameCursor.encode({ searchName: searchableName(page.continueAfter.name), id: page.continueAfter.id })
      } satisfies ProviderPage<ProviderAtInstant>
    })

  /**
   * Providers around a position, nearest first, a page at a time (infinite scroll). The set and
   * order are those of the caller's ~110 m cell (nearbyCellOf), which a cursor carries along; pages
   * are cached per cell and filter set, under a version that any provider change bumps.
   */
  const nearby = (query: NearbyProvidersQuery) =>
    Effect.gen(function*() {
      const decoded = query.cursor === undefined ? undefined : yield* distanceCursor.decode(query.cursor)
      const centre = decoded?.centre ?? nearbyCellOf(query.point)
      const start: AfterDistance | null = decoded === undefined ? null : { distanceM: decoded.distanceM, id: decoded.id }
      const instantMs = yield* Clock.currentTimeMillis
      const keep = query.openNow === true ? (row: NearbyRow) => isOpen(row.provider.schedule, instantMs) : undefined

      const key = `${centre.lat},${centre.lng}|${query.radiusM}|${query.type ?? "all"}|${query.openNow === true ? "open" : "any"}|${query.limit}|${query.cursor ?? ""}`
      const cached = yield* cache.readNearby(key)
      let page: CachedNearbyPage
      if (cached.json !== null) {
        // Our own JSON, written below from the same types.
        page = JSON.parse(cached.json) as CachedNearbyPage
      } else {
        const scanned = yield* scanPage(
          (after, limit) => providers.nearby({ centre, radiusM: query.radiusM, type: query.type, after, limit }),
          (row): AfterDistance => ({ distanceM: row.distanceM, id: row.provider.id }),
          start,
          keep,
          query.limit
        )
        const last = scanned.continueAfter
        page = { rows: scanned.rows, nextCursor: last === undefined ? null : distanceCursor.encode({ centre, distanceM: last.distanceM, id: last.provider.id }) }
        if (cached.version !== null) yield* cache.storeNearby(key, cached.version, JSON.stringify(page))
      }
      // Opening state and distance are the caller's own: computed now, never cached.
      const rows = keep === undefined ? page.rows : page.rows.filter(keep)
      return {
        items: rows.map((row): NearbyProvider => ({
          ...providerAt(row.provider, instantMs),
          distanceM: Math.round(haversineMeters(query.point, row.provider.location))
        })),
        nextCursor: page.nextCursor
      } satisfies ProviderPage<NearbyProvider>
    })

  /** One provider as a customer sees it now; anyone may read it (customers browse before signing in). */
  const get = (providerId: string) =>
    Effect.gen(function*() {
      const provider = yield* providers.findById(providerId)
      if (Option.isNone(provider)) return yield* new ProviderNotFound()
      return providerAt(provider.value, yield* Clock.currentTimeMillis)
    })

  return { list, nearby, get }
})
