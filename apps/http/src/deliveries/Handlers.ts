import { Effect, Option, Stream } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { Deliveries } from "@nelo/domain/deliveries/Deliveries"
import { Dispatch } from "@nelo/domain/deliveries/Dispatch"
import { Drivers, type DriverProfile } from "@nelo/domain/deliveries/Drivers"
import type { LocationPoint } from "@nelo/domain/deliveries/LocationPoint"
import { Ratings } from "@nelo/domain/deliveries/Ratings"
import { NeloApi } from "../NeloApi.ts"
import { CurrentUser } from "../shared/Authentication.ts"
import { HttpConfig } from "../HttpConfig.ts"
import { liveStream } from "../shared/liveStream.ts"
import { driverStreamEvent } from "./driverEvents.ts"
import type { LocationPointPayload } from "./Api.ts"
import { deliverySummaryView, deliveryView, driverView, locationUpdateView, offerView, ratingView } from "./views.ts"

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
  const deliveries = yield* Deliveries
  const dispatch = yield* Dispatch
  const { liveHeartbeatMs } = yield* HttpConfig
  const withActivity = (profile: DriverProfile) => Effect.map(deliveries.statsOf(profile.driver.userId), (activity) => driverView(profile, activity))
  return handlers.handleAll({
    register: ({ payload }) =>
      Effect.gen(function*() {
        return yield* withActivity(yield* drivers.register(yield* CurrentUser, { vehicle: payload.vehicle, plate: payload.plate ?? null, zoneId: payload.zoneId }))
      }),
    me: () => Effect.gen(function*() { return yield* withActivity(yield* drivers.me(yield* CurrentUser)) }),
    status: ({ payload }) =>
      Effect.gen(function*() {
        return yield* withActivity(yield* drivers.setStatus(yield* CurrentUser, payload.status))
      }),
    location: ({ payload }) =>
      Effect.gen(function*() {
        const points = "points" in payload ? payload.points.map(pointOf) : [pointOf(payload)]
        return locationUpdateView(yield* drivers.updateLocation(yield* CurrentUser, points))
      }),
    offers: () =>
      Effect.gen(function*() {
        const viewer = yield* CurrentUser
        yield* drivers.me(viewer)
        return { offers: (yield* deliveries.offersFor(viewer.userId)).map(offerView) }
      }),
    acceptOffer: ({ params }) =>
      Effect.gen(function*() {
        const delivery = yield* dispatch.accept((yield* CurrentUser).userId, params.offerId)
        return deliveryView(yield* deliveries.detailsOf(delivery))
      }),
    rejectOffer: ({ params, payload }) =>
      Effect.gen(function*() {
        const offer = yield* dispatch.reject((yield* CurrentUser).userId, params.offerId, payload.reason ?? null)
        return { id: offer.id, deliveryId: offer.deliveryId, status: offer.status }
      }),
    currentDelivery: () =>
      Effect.gen(function*() {
        const viewer = yield* CurrentUser
        yield* drivers.me(viewer)
        return { delivery: Option.getOrNull(Option.map(yield* deliveries.current(viewer.userId), deliveryView)) }
      }),
    events: () =>
      Effect.gen(function*() {
        const viewer = yield* CurrentUser
        const items = yield* deliveries.followDriver(viewer.userId)
        return liveStream(Stream.map(items, driverStreamEvent), { tokenExpiresAt: viewer.expiresAt, heartbeatMs: liveHeartbeatMs })
      })
  })
}))

export const DeliveriesHandlers = HttpApiBuilder.group(NeloApi, "deliveries", Effect.fn(function*(handlers) {
  const deliveries = yield* Deliveries
  const me = CurrentUser.useSync((viewer) => viewer.userId)
  return handlers.handleAll({
    pickUp: ({ params }) => Effect.gen(function*() { return deliveryView(yield* deliveries.pickUp(yield* me, params.deliveryId)) }),
    start: ({ params }) => Effect.gen(function*() { return deliveryView(yield* deliveries.start(yield* me, params.deliveryId)) }),
    complete: ({ params, payload }) =>
      Effect.gen(function*() { return deliveryView(yield* deliveries.complete(yield* me, params.deliveryId, payload.code, payload.cashCollectedXof ?? null)) }),
    fail: ({ params, payload }) =>
      Effect.gen(function*() { return deliveryView(yield* deliveries.fail(yield* me, params.deliveryId, payload.reason, payload.note ?? null)) }),
    release: ({ params }) =>
      Effect.gen(function*() { return deliveryView(yield* deliveries.detailsOf(yield* deliveries.release(yield* me, params.deliveryId))) })
  })
}))

export const DeliveriesAdminHandlers = HttpApiBuilder.group(NeloApi, "deliveriesAdmin", Effect.fn(function*(handlers) {
  const deliveries = yield* Deliveries
  return handlers.handleAll({
    list: ({ query }) =>
      Effect.gen(function*() {
        const limit = query.limit ?? 20
        const found = yield* deliveries.list(yield* CurrentUser, { statuses: query.status === undefined ? null : [query.status], beforeId: query.cursor ?? null, limit: limit + 1 })
        const page = found.slice(0, limit)
        return { deliveries: page.map(deliverySummaryView), nextCursor: found.length > limit ? page.at(-1)?.id ?? null : null }
      }),
    get: ({ params }) => Effect.gen(function*() { return deliveryView(yield* deliveries.details(yield* CurrentUser, params.deliveryId)) }),
    assign: ({ params, payload }) =>
      Effect.gen(function*() { return deliveryView(yield* deliveries.assign(yield* CurrentUser, params.deliveryId, payload.driverId)) }),
    complete: ({ params, payload }) =>
      Effect.gen(function*() { return deliveryView(yield* deliveries.completeByAdmin(yield* CurrentUser, params.deliveryId, payload.cashCollectedXof ?? null, payload.note)) })
  })
}))

export const RatingsHandlers = HttpApiBuilder.group(NeloApi, "ratings", Effect.fn(function*(handlers) {
  const ratings = yield* Ratings
  const me = CurrentUser.useSync((viewer) => viewer.userId)
  return handlers.handleAll({
    rate: ({ params, payload }) =>
      Effect.gen(function*() {
        // Trimmed when decoded: nothing but spaces is no comment.
        const comment = payload.comment === undefined || payload.comment === "" ? null : payload.comment
        return ratingView(yield* ratings.rate(yield* me, params.orderId, { driverStars: payload.driver, providerStars: payload.provider, comment }))
      }),
    get: ({ params }) => Effect.gen(function*() { return ratingView(yield* ratings.ratingOf(yield* me, params.orderId)) })
  })
}))
