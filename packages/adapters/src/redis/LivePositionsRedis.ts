import { Effect, Layer, Option } from "effect"
import { DeliveriesUnavailable } from "@nelo/domain/deliveries/errors"
import { LivePositions } from "@nelo/domain/deliveries/LivePositions"
import type { LivePosition, TrailState } from "@nelo/domain/deliveries/LocationPoint"
import { RedisClient } from "./RedisClient.ts"

// A position nobody refreshed for a day is gone: its driver's phone has long been silent.
const positionTtlSeconds = 24 * 60 * 60

type Fields = Readonly<Record<string, string>>

const toFields = (position: LivePosition): Fields => ({
  lat: String(position.location.lat),
  lng: String(position.location.lng),
  accuracyM: String(position.accuracyM),
  headingDeg: position.headingDeg === null ? "" : String(position.headingDeg),
  speedMps: position.speedMps === null ? "" : String(position.speedMps),
  recordedAtMs: String(position.recordedAt.getTime())
})

const number = (text: string | undefined) => text === undefined || text === "" ? null : Number(text)

/** A stored hash as a position; an incomplete or garbled one (another version's) is none. */
const fromFields = (driverId: string, fields: Partial<Fields>): Option.Option<LivePosition> => {
  const [lat, lng, accuracyM, recordedAtMs] = [number(fields.lat), number(fields.lng), number(fields.accuracyM), number(fields.recordedAtMs)]
  if (lat === null || lng === null || accuracyM === null || recordedAtMs === null || ![lat, lng, accuracyM, recordedAtMs].every(Number.isFinite)) return Option.none()
  return Option.some({ driverId, location: { lat, lng }, accuracyM, headingDeg: number(fields.headingDeg), speedMps: number(fields.speedMps), recordedAt: new Date(recordedAtMs) })
}

const trailFields = ["trailDeliveryId", "trailLat", "trailLng", "trailAtMs"] as const

/** The trail's fields of a driver's hash: none without a delivery id; no last point when any is garbled. */
const trailOf = (fields: Partial<Fields>): TrailState | null => {
  const deliveryId = fields.trailDeliveryId
  if (deliveryId === undefined || deliveryId === "") return null
  const [lat, lng, atMs] = [number(fields.trailLat), number(fields.trailLng), number(fields.trailAtMs)]
  const lastKept = lat === null || lng === null || atMs === null || ![lat, lng, atMs].every(Number.isFinite) ? null : { location: { lat, lng }, recordedAt: new Date(atMs) }
  return { deliveryId, lastKept }
}

/**
 * Keys, under the process's prefix:
 *   deliveries:positions              a GEO set of every driver's last point (matching: who is near)
 *   deliveries:position:<driverId>    a hash of that point: time, accuracy, heading, speed (EX a day),
 *                                     and while he holds a delivery its trail: its id, the last point kept
 * Both are written in one MULTI, so a reader never sees a driver's point in one and not the other
 * for long; a GEO member whose hash expired is skipped.
 */
export const LivePositionsRedis = Layer.effect(LivePositions, Effect.gen(function*() {
  const { use, keyPrefix } = yield* RedisClient
  const geoKey = `${keyPrefix}:deliveries:positions`
  const hashKey = (driverId: string) => `${keyPrefix}:deliveries:position:${driverId}`
  const unavailable = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.mapError(effect, (cause) => new DeliveriesUnavailable({ cause }))

  return LivePositions.of({
    record: (position) =>
      use((redis) =>
        redis.multi()
          .geoadd(geoKey, position.location.lng, position.location.lat, position.driverId)
          .hset(hashKey(position.driverId), toFields(position))
          .expire(hashKey(position.driverId), positionTtlSeconds)
          .exec()
      ).pipe(Effect.asVoid, unavailable),

    positionOf: (driverId) =>
      use((redis) => redis.hgetall(hashKey(driverId))).pipe(Effect.map((fields) => fromFields(driverId, fields)), unavailable),

    stateOf: (driverId) =>
      use((redis) => redis.hgetall(hashKey(driverId))).pipe(Effect.map((fields) => ({ position: fromFields(driverId, fields), trail: trailOf(fields) })), unavailable),

    setTrail: (driverId, trail) =>
      use((redis): Promise<unknown> =>
        trail === null
          ? redis.hdel(hashKey(driverId), ...trailFields)
          : redis.multi()
            .hdel(hashKey(driverId), ...trailFields)
            .hset(hashKey(driverId), {
              trailDeliveryId: trail.deliveryId,
              ...(trail.lastKept === null ? {} : { trailLat: String(trail.lastKept.location.lat), trailLng: String(trail.lastKept.location.lng), trailAtMs: String(trail.lastKept.recordedAt.getTime()) })
            })
            .expire(hashKey(driverId), positionTtlSeconds)
            .exec()
      ).pipe(Effect.asVoid, unavailable),

    nearby: (center, radiusM, limit) =>
      Effect.gen(function*() {
        const count = Math.max(0, Math.floor(limit))
        if (count === 0) return []
        const found = (yield* use((redis) => redis.geosearch(geoKey, "FROMLONLAT", center.lng, center.lat, "BYRADIUS", radiusM, "m", "ASC", "COUNT", count, "WITHDIST"))) as ReadonlyArray<[string, string]>
        if (found.length === 0) return []
        const hashes = yield* use((redis) => {
          const pipeline = redis.pipeline()
          for (const [driverId] of found) pipeline.hgetall(hashKey(driverId))
          return pipeline.exec()
        })
        return found.flatMap(([driverId, distance], index) => {
          const [error, fields] = hashes?.[index] ?? [null, {}]
          if (error !== null) return []
          return Option.match(fromFields(driverId, fields as Partial<Fields>), { onNone: () => [], onSome: (position) => [{ ...position, distanceM: Number(distance) }] })
        })
      }).pipe(unavailable)
  })
}))
