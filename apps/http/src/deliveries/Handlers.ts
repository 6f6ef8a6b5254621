import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { Drivers } from "@nelo/domain/deliveries/Drivers"
import type { LocationPoint } from "@nelo/domain/deliveries/LocationPoint"
import { NeloApi } from "../NeloApi.ts"
import { CurrentUser } from "../shared/Authentication.ts"
import type { LocationPointPayload } from "./Api.ts"
import { driverView, locationUpdateView } from "./views.ts"

const pointOf = (point: typeof LocationPointPayload.Type): LocationPoint => ({
  lat: point.lat,
  lng: point.lng,
  accuracyM: point.accuracyM,
  headingDeg: point.headingDeg ?? null,
  speedMps: point.speedMps ?? null,
  recordedAt: point.recordedAt
})

export const DriversHandlers = HttpApiBuilder.group(NeloApi, "drivers", Effect.fn(function*(handlers) {
  const drivers = yield* Drivers
  return handlers.handleAll({
    register: ({ payload }) =>
      Effect.gen(function*() {
        return driverView(yield* drivers.register(yield* CurrentUser, { vehicle: payload.vehicle, plate: payload.plate ?? null, zoneId: payload.zoneId }))
      }),
    me: () => Effect.gen(function*() { return driverView(yield* drivers.me(yield* CurrentUser)) }),
    status: ({ payload }) =>
      Effect.gen(function*() {
        return driverView(yield* drivers.setStatus(yield* CurrentUser, payload.status))
      }),
    location: ({ payload }) =>
      Effect.gen(function*() {
        const points = "points" in payload ? payload.points.map(pointOf) : [pointOf(payload)]
        return locationUpdateView(yield* drivers.updateLocation(yield* CurrentUser, points))
      })
  })
}))
