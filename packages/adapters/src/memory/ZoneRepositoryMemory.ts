import { Effect, Layer, Option } from "effect"
import type { GeoPoint } from "@nelo/domain/geo/GeoPoint"
import type { CityDefinition, ZoneDefinition, ZoneMatch } from "@nelo/domain/geo/Zone"
import { type UpsertOutcome, ZoneRepository } from "@nelo/domain/geo/ZoneRepository"

/**
 * Ray casting in the lng/lat plane: exact enough for zones of a few kilometres far from the poles
 * and the antimeridian, which is all the in-memory adapter serves (unit tests). Points on an edge
 * count as inside, like PostGIS ST_Covers.
 */
export const ringCovers = (ring: ReadonlyArray<GeoPoint>, point: GeoPoint): boolean => {
  let inside = false
  for (let index = 0, previous = ring.length - 1; index < ring.length; previous = index++) {
    const a = ring[index]!
    const b = ring[previous]!
    const cross = (b.lng - a.lng) * (point.lat - a.lat) - (b.lat - a.lat) * (point.lng - a.lng)
    const onSegment = cross === 0 &&
      Math.min(a.lng, b.lng) <= point.lng && point.lng <= Math.max(a.lng, b.lng) &&
      Math.min(a.lat, b.lat) <= point.lat && point.lat <= Math.max(a.lat, b.lat)
    if (onSegment) return true
    if ((a.lat > point.lat) !== (b.lat > point.lat) && point.lng < ((b.lng - a.lng) * (point.lat - a.lat)) / (b.lat - a.lat) + a.lng) {
      inside = !inside
    }
  }
  return inside
}

/** Planar area in square degrees: only used to prefer the smallest zone, as geo.zone_at does. */
const ringArea = (ring: ReadonlyArray<GeoPoint>) =>
  Math.abs(ring.reduce((sum, point, index) => {
    const next = ring[(index + 1) % ring.length]!
    return sum + point.lng * next.lat - next.lng * point.lat
  }, 0)) / 2

export const ZoneRepositoryMemory = Layer.sync(ZoneRepository, () => {
  const cities = new Map<string, { id: string; city: Omit<CityDefinition, "zones"> }>()
  const zones = new Map<string, { id: string; cityId: string; zone: ZoneDefinition }>()
  let nextId = 0
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
  return ZoneRepository.of({
    upsertCity: (city) =>
      Effect.sync(() => {
        const existing = cities.get(city.slug)
        if (!existing) {
          const id = `city-${++nextId}`
          cities.set(city.slug, { id, city })
          return { cityId: id, outcome: "created" as UpsertOutcome }
        }
        if (same(existing.city, city)) return { cityId: existing.id, outcome: "unchanged" as UpsertOutcome }
        cities.set(city.slug, { id: existing.id, city })
        return { cityId: existing.id, outcome: "updated" as UpsertOutcome }
      }),
    upsertZone: (cityId, zone) =>
      Effect.sync((): UpsertOutcome => {
        const key = `${cityId}/${zone.slug}`
        const existing = zones.get(key)
        if (!existing) {
          zones.set(key, { id: `zone-${++nextId}`, cityId, zone })
          return "created"
        }
        if (same(existing.zone, zone)) return "unchanged"
        zones.set(key, { ...existing, zone })
        return "updated"
      }),
    zoneAt: (point) =>
      Effect.sync(() => {
        const candidates = [...zones.values()]
          .filter(({ zone }) => ringCovers(zone.boundary, point))
          .sort((a, b) => ringArea(a.zone.boundary) - ringArea(b.zone.boundary) || a.id.localeCompare(b.id))
        const found = candidates[0]
        if (!found) return Option.none<ZoneMatch>()
        const city = [...cities.values()].find((entry) => entry.id === found.cityId)!
        return Option.some<ZoneMatch>({
          zoneId: found.id,
          zoneSlug: found.zone.slug,
          zoneName: found.zone.name,
          citySlug: city.city.slug,
          cityName: city.city.name
        })
      }),
    zoneById: (zoneId) =>
      Effect.sync(() => {
        const found = [...zones.values()].find((entry) => entry.id === zoneId)
        if (!found) return Option.none<ZoneMatch>()
        const city = [...cities.values()].find((entry) => entry.id === found.cityId)!
        return Option.some<ZoneMatch>({ zoneId: found.id, zoneSlug: found.zone.slug, zoneName: found.zone.name, citySlug: city.city.slug, cityName: city.city.name })
      }),
    countZones: (citySlug) =>
      Effect.sync(() => {
        const city = cities.get(citySlug)
        return city ? [...zones.values()].filter((entry) => entry.cityId === city.id).length : 0
      })
  })
})
