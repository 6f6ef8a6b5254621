import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import { LivePositions } from "@nelo/domain/deliveries/LivePositions"
import type { LivePosition } from "@nelo/domain/deliveries/LocationPoint"
import { haversineMeters } from "@nelo/domain/geo/haversineMeters"

// Somewhere of its own for each test (the Redis of a run is shared by its files): a random spot in
// the Atlantic, far from Tiassalé and from each other.
const spot = () => ({ lat: -30 + Math.random() * 20, lng: -30 + Math.random() * 20 })
const metersNorth = (from: { readonly lat: number; readonly lng: number }, meters: number) => ({ lat: from.lat + meters / 111_195, lng: from.lng })

const position = (location: { readonly lat: number; readonly lng: number }, overrides: Partial<LivePosition> = {}): LivePosition => ({
  driverId: crypto.randomUUID(),
  location,
  accuracyM: 8,
  headingDeg: 90,
  speedMps: 6.5,
  recordedAt: new Date(Math.floor(Date.now() / 1_000) * 1_000),
  ...overrides
})

/** One suite, run against every LivePositions adapter. */
export const livePositionsContract = (name: string, positionsLayer: Layer.Layer<LivePositions, unknown>) =>
  layer(positionsLayer, { excludeTestServices: true })(`LivePositions contract: ${name}`, (it) => {
    it.effect("a recorded position reads back whole (null heading and speed too); the next replaces it; none for a driver never seen", () =>
      Effect.gen(function*() {
        const positions = yield* LivePositions
        const first = position(spot(), { headingDeg: null, speedMps: null })
        yield* positions.record(first)
        const read = Option.getOrThrow(yield* positions.positionOf(first.driverId))
        assert.deepStrictEqual({ ...read, location: undefined }, { ...first, location: undefined })
        assert.closeTo(read.location.lat, first.location.lat, 1e-5)
        assert.closeTo(read.location.lng, first.location.lng, 1e-5)
        const next = { ...position(metersNorth(first.location, 300)), driverId: first.driverId }
        yield* positions.record(next)
        assert.strictEqual(Option.getOrThrow(yield* positions.positionOf(first.driverId)).recordedAt.getTime(), next.recordedAt.getTime())
        assert.isTrue(Option.isNone(yield* positions.positionOf(crypto.randomUUID())))
      }))

    it.effect("nearby: the drivers within the radius, nearest first, with their distance, at most the limit", () =>
      Effect.gen(function*() {
        const positions = yield* LivePositions
        const center = spot()
        const near = position(metersNorth(center, 200))
        const middle = position(metersNorth(center, 1_500))
        const far = position(metersNorth(center, 6_000))
        for (const one of [far, near, middle]) yield* positions.record(one)
        const found = yield* positions.nearby(center, 3_000, 10)
        assert.deepStrictEqual(found.map((one) => one.driverId), [near.driverId, middle.driverId])
        for (const [index, expected] of [near, middle].entries()) assert.closeTo(found[index]!.distanceM, haversineMeters(center, expected.location), 5)
        assert.deepStrictEqual((yield* positions.nearby(center, 10_000, 2)).map((one) => one.driverId), [near.driverId, middle.driverId])
        assert.deepStrictEqual((yield* positions.nearby(center, 10_000, 0)), [])
        // A driver who moved away is no longer around.
        yield* positions.record({ ...position(metersNorth(center, 9_000)), driverId: near.driverId })
        assert.deepStrictEqual((yield* positions.nearby(center, 3_000, 10)).map((one) => one.driverId), [middle.driverId])
      }))

    it.effect("the trail's state: none until set, read with the position, its last point kept, ended with null; a new position keeps it", () =>
      Effect.gen(function*() {
        const positions = yield* LivePositions
        const first = position(spot())
        yield* positions.record(first)
        assert.isNull((yield* positions.stateOf(first.driverId)).trail)
        const deliveryId = crypto.randomUUID()
        yield* positions.setTrail(first.driverId, { deliveryId, lastKept: null })
        assert.deepStrictEqual((yield* positions.stateOf(first.driverId)).trail, { deliveryId, lastKept: null })
        const kept = { location: { lat: 5.5, lng: -4.25 }, recordedAt: new Date(Math.floor(Date.now() / 1_000) * 1_000) }
        yield* positions.setTrail(first.driverId, { deliveryId, lastKept: kept })
        yield* positions.record({ ...first, recordedAt: new Date(first.recordedAt.getTime() + 5_000) })
        const state = yield* positions.stateOf(first.driverId)
        assert.deepStrictEqual(state.trail, { deliveryId, lastKept: kept })
        assert.strictEqual(Option.getOrThrow(state.position).recordedAt.getTime(), first.recordedAt.getTime() + 5_000)
        yield* positions.setTrail(first.driverId, null)
        assert.isNull((yield* positions.stateOf(first.driverId)).trail)
        assert.isTrue(Option.isSome((yield* positions.stateOf(first.driverId)).position))
        assert.deepStrictEqual(yield* positions.stateOf(crypto.randomUUID()), { position: Option.none(), trail: null })
      }))
  })
