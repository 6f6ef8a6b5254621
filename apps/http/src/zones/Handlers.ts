import { Effect, Option } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { ZoneRepository } from "@nelo/domain/geo/ZoneRepository"
import { NeloApi } from "../NeloApi.ts"

export const ZonesHandlers = HttpApiBuilder.group(NeloApi, "zones", Effect.fn(function*(handlers) {
  const zones = yield* ZoneRepository
  return handlers.handleAll({
    lookup: ({ payload }) =>
      Effect.map(zones.zoneAt(payload), Option.match({
        onNone: () => ({ served: false, zone: null }),
        onSome: (match) => ({
          served: true,
          zone: { id: match.zoneId, slug: match.zoneSlug, name: match.zoneName, city: { slug: match.citySlug, name: match.cityName } }
        })
      }))
  })
}))
