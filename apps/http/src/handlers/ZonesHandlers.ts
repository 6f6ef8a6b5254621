import { Effect, Option } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { ZoneRepository } from "@nelo/domain/geo/ZoneRepository"
import { NeloApi } from "../api/NeloApi.ts"
import { internalError } from "../api/problems.ts"

export const ZonesHandlers = HttpApiBuilder.group(NeloApi, "zones", Effect.fn(function*(handlers) {
  const zones = yield* ZoneRepository
  return handlers.handleAll({
    lookup: ({ payload }) =>
      zones.zoneAt(payload).pipe(
        Effect.map(Option.match({
          onNone: () => ({ served: false, zone: null }),
          onSome: (match) => ({
            served: true,
            zone: { id: match.zoneId, slug: match.zoneSlug, name: match.zoneName, city: { slug: match.citySlug, name: match.cityName } }
          })
        })),
        Effect.catchTag("GeoStoreUnavailable", (error) =>
          Effect.logError("zone lookup failed").pipe(Effect.annotateLogs({ cause: String(error.cause) }), Effect.andThen(Effect.fail(internalError()))))
      )
  })
}))
