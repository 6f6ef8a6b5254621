import { Context, type Effect, type Option, Schema } from "effect"
import type { GeoPoint } from "./GeoPoint.ts"
import type { CityDefinition, ZoneDefinition, ZoneMatch } from "./Zone.ts"

export class GeoStoreUnavailable extends Schema.TaggedError<GeoStoreUnavailable>()("GeoStoreUnavailable", {
  cause: Schema.Defect()
}) {}

/** `unchanged` when the stored row already said the same thing: seeding twice writes nothing. */
export type UpsertOutcome = "created" | "updated" | "unchanged"

export class ZoneRepository extends Context.Service<ZoneRepository, {
  readonly upsertCity: (city: Omit<CityDefinition, "zones">) => Effect.Effect<{ readonly cityId: string; readonly outcome: UpsertOutcome }, GeoStoreUnavailable>
  readonly upsertZone: (cityId: string, zone: ZoneDefinition) => Effect.Effect<UpsertOutcome, GeoStoreUnavailable>
  /** The zone containing the point (the smallest when zones nest), if any. */
  readonly zoneAt: (point: GeoPoint) => Effect.Effect<Option.Option<ZoneMatch>, GeoStoreUnavailable>
  readonly countZones: (citySlug: string) => Effect.Effect<number, GeoStoreUnavailable>
  /** A zone by its id (a driver's home zone), with its city; none for an unknown or malformed id. */
  readonly zoneById: (zoneId: string) => Effect.Effect<Option.Option<ZoneMatch>, GeoStoreUnavailable>
}>()("nelo/geo/ZoneRepository") {}
