import { Effect } from "effect"
import type { CityDefinition, ZoneDefinition } from "./Zone.ts"
import { type UpsertOutcome, ZoneRepository } from "./ZoneRepository.ts"

export interface SeedSummary {
  readonly city: UpsertOutcome
  readonly zones: Readonly<Record<UpsertOutcome, number>>
}

/**
 * Writes a city and its zones, idempotently: running it again leaves the same rows and reports
 * them unchanged. `onZone` is told about each zone as it is written, for progress display.
 */
export const seedCity = Effect.fn("seedCity")(function*(
  city: CityDefinition,
  onZone: (zone: ZoneDefinition, outcome: UpsertOutcome, index: number) => Effect.Effect<void> = () => Effect.void
) {
  const repository = yield* ZoneRepository
  const { zones, ...cityFields } = city
  const { cityId, outcome } = yield* repository.upsertCity(cityFields)
  const counts: Record<UpsertOutcome, number> = { created: 0, updated: 0, unchanged: 0 }
  for (const [index, zone] of zones.entries()) {
    const zoneOutcome = yield* repository.upsertZone(cityId, zone)
    counts[zoneOutcome] += 1
    yield* onZone(zone, zoneOutcome, index)
  }
  return { city: outcome, zones: counts } satisfies SeedSummary
})
