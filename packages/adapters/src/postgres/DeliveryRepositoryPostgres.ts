import { PgClient } from "@effect/sql-pg"
import { Array as Arr, Effect, Layer, Option, Schema } from "effect"
import { Delivery, DeliveryFailure, DispatchProgress } from "@nelo/domain/deliveries/Delivery"
import { type CreateDeliveryOutcome, DeliveryRepository } from "@nelo/domain/deliveries/DeliveryRepository"
import { DeliveriesUnavailable } from "@nelo/domain/deliveries/errors"
import type { OfferAnswer } from "@nelo/domain/deliveries/matchingFactors"
import { Offer } from "@nelo/domain/deliveries/Offer"
import { Xof } from "@nelo/domain/shared/Xof"
import { bigintColumn } from "./bigintColumn.ts"
import { isUuid } from "./isUuid.ts"

/**
 * A delivery row: the model's fields with its dispatch progress and its failure spread over
 * columns, and the cash collected a bigint. Decoded field by field by the model's own schemas.
 */
const DeliveryRow = Delivery.mapFields(({ progress: _progress, failure: _failure, cashCollectedXof: _cash, ...fields }) => ({
  ...fields,
  ...DispatchProgress.fields,
  cashCollectedXof: Schema.NullOr(bigintColumn(Xof)),
  failureReason: Schema.NullOr(DeliveryFailure.fields.reason),
  failureNote: DeliveryFailure.fields.note
}))

const toDelivery = ({ radiusIndex, batchesInRadius, batchCount, roundStartedAt, failureReason, failureNote, ...delivery }: typeof DeliveryRow.Type): Delivery => ({
  ...delivery,
  progress: { radiusIndex, batchesInRadius, batchCount, roundStartedAt },
  failure: failureReason === null ? null : { reason: failureReason, note: failureNote }
})

export const deliveryColumns = `id, order_id, provider_id, customer_id, status, driver_id, dispatch_at, radius_index, batches_in_radius,
  batch_count, round_started_at, unassigned_since, next_retry_at, wrong_code_attempts, completion_locked_at, cash_collected_xof,
  failure_reason, failure_note, assigned_at, picked_up_at, delivered_at, created_at, updated_at`
const offerColumns = `id, delivery_id, driver_id, batch, status, reject_reason, distance_to_pickup_m, score, factors, created_at, expires_at, answered_at`

/** What a delivery's change may change: everything but its order, parties and creation. */
const changeable = (delivery: Delivery) => ({
  status: delivery.status,
  driverId: delivery.driverId,
  dispatchAt: delivery.dispatchAt,
  radiusIndex: delivery.progress.radiusIndex,
  batchesInRadius: delivery.progress.batchesInRadius,
  batchCount: delivery.progress.batchCount,
  roundStartedAt: delivery.progress.roundStartedAt,
  unassignedSince: delivery.unassignedSince,
  nextRetryAt: delivery.nextRetryAt,
  wrongCodeAttempts: delivery.wrongCodeAttempts,
  completionLockedAt: delivery.completionLockedAt,
  cashCollectedXof: delivery.cashCollectedXof,
  failureReason: delivery.failure?.reason ?? null,
  failureNote: delivery.failure?.note ?? null,
  assignedAt: delivery.assignedAt,
  pickedUpAt: delivery.pickedUpAt,
  deliveredAt: delivery.deliveredAt,
  updatedAt: delivery.updatedAt
})

const unavailable = (cause: unknown) => new DeliveriesUnavailable({ cause })
const orUnavailable = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, DeliveriesUnavailable, R> =>
  Effect.mapError(effect, (failure) => failure instanceof DeliveriesUnavailable ? failure : unavailable(failure))

// A row the model refuses is a store that cannot be read as it stands.
const toDeliveries = (rows: ReadonlyArray<unknown>) =>
  Schema.decodeUnknownEffect(Schema.Array(DeliveryRow))(rows).pipe(Effect.map((decoded) => decoded.map(toDelivery)), Effect.mapError(unavailable))
const firstDelivery = (rows: ReadonlyArray<unknown>) => Effect.map(toDeliveries(rows.slice(0, 1)), (deliveries) => Option.fromNullishOr(deliveries[0]))
const toOffers = (rows: ReadonlyArray<unknown>) => Schema.decodeUnknownEffect(Schema.Array(Offer))(rows).pipe(Effect.mapError(unavailable))
const firstOffer = (rows: ReadonlyArray<unknown>) => Effect.map(toOffers(rows.slice(0, 1)), (offers) => Option.fromNullishOr(offers[0]))

const limitOf = (limit: number) => Math.max(0, Math.floor(limit))

/** The distinct uuids among these ids, in lower case as Postgres answers them. */
const uuidsOf = (ids: ReadonlyArray<string>) => [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))]


export const DeliveryRepositoryPostgres = Layer.effect(DeliveryRepository, Effect.gen(function*() {
  const sql = yield* PgClient.PgClient
  const deliveryCols = sql.literal(deliveryColumns)
  const offerCols = sql.literal(offerColumns)

  const findOne = (id: string, lock: boolean) =>
    !isUuid(id) ? Effect.succeed(Option.none<Delivery>()) : sql`
      SELECT ${deliveryCols} FROM deliveries.deliveries WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`.pipe(Effect.flatMap(firstDelivery), orUnavailable)

  const findByOrder = (orderId: string) =>
    !isUuid(orderId) ? Effect.succeed(Option.none<Delivery>()) : sql`
      SELECT ${deliveryCols} FROM deliveries.deliveries WHERE order_id = ${orderId}`.pipe(Effect.flatMap(firstDelivery), orUnavailable)

  return DeliveryRepository.of({
    create: (delivery) =>
      Effect.gen(function*() {
        // A concurrent uncommitted delivery of the order is waited for: committed, it is found
        // below; rolled back, this one is inserted. Any other conflict (the id, a driver's second
        // active delivery) is an error.
        const inserted = yield* sql`
          INSERT INTO deliveries.deliveries ${sql.insert({
            id: delivery.id,
            orderId: delivery.orderId,
            providerId: delivery.providerId,
            customerId: delivery.customerId,
            createdAt: delivery.createdAt,
            ...changeable(delivery)
          })} ON CONFLICT (order_id) DO NOTHING RETURNING ${deliveryCols}`
        const created = yield* firstDelivery(inserted)
        if (Option.isSome(created)) return { _tag: "Created", delivery: created.value } satisfies CreateDeliveryOutcome
        const existing = yield* findByOrder(delivery.orderId)
        if (Option.isNone(existing)) return yield* Effect.fail(unavailable(new Error(`delivery of order ${delivery.orderId} neither inserted nor found`)))
        return { _tag: "Exists", delivery: existing.value } satisfies CreateDeliveryOutcome
      }).pipe(orUnavailable),

    findById: (id) => findOne(id, false),

    findByOrder,

    // Held until the caller's transaction ends; outside one, released at once.
    lock: (id) => findOne(id, true),

    // Only what a change may change: the order, its parties and the creation are written once.
    update: (delivery) =>
      !isUuid(delivery.id) ? Effect.fail(unavailable(new Error(`no delivery ${delivery.id}`))) : sql`
        UPDATE deliveries.deliveries SET ${sql.update(changeable(delivery))} WHERE id = ${delivery.id}`.pipe(Effect.asVoid, orUnavailable),

    // The partial unique index deliveries_one_active_per_driver holds exactly these rows.
    activeOf: (driverId) =>
      !isUuid(driverId) ? Effect.succeed(Option.none()) : sql`
        SELECT ${deliveryCols} FROM deliveries.deliveries
        WHERE driver_id = ${driverId} AND status IN ('assigned', 'picked_up', 'delivering')`.pipe(Effect.flatMap(firstDelivery), orUnavailable),

    withActiveDelivery: (driverIds) => {
      const asked = uuidsOf(driverIds)
      if (asked.length === 0) return Effect.succeed(new Set<string>())
      return sql<{ driverId: string }>`
        SELECT driver_id FROM deliveries.deliveries
        WHERE driver_id = ANY(${asked}::uuid[]) AND status IN ('assigned', 'picked_up', 'delivering')`.pipe(
        // The ids as they were asked, whatever their case.
        Effect.map((rows) => {
          const busy = new Set(rows.map((row) => row.driverId))
          return new Set(driverIds.filter((id) => busy.has(id.toLowerCase())))
        }),
        orUnavailable
      )
    },

    list: (query) => {
      if ((query.beforeId !== null && !isUuid(query.beforeId)) || limitOf(query.limit) === 0 || query.statuses?.length === 0) return Effect.succeed([])
      const conditions = [
        query.statuses === null ? sql`TRUE` : sql`status IN ${sql.in(query.statuses)}`,
        query.beforeId === null ? sql`TRUE` : sql`id < ${query.beforeId}`
      ]
      return sql`
        SELECT ${deliveryCols} FROM deliveries.deliveries WHERE ${sql.and(conditions)}
        ORDER BY id DESC LIMIT ${limitOf(query.limit)}`.pipe(Effect.flatMap(toDeliveries), orUnavailable)
    },

    // The partial index deliveries_delivered_by_driver holds exactly these rows.
    deliveredCount: (driverId, since) =>
      !isUuid(driverId) ? Effect.succeed(0) : sql<{ count: number }>`
        SELECT count(*)::integer AS count FROM deliveries.deliveries
        WHERE driver_id = ${driverId} AND status = 'delivered' AND delivered_at >= ${since}`.pipe(
        Effect.map((rows) => rows[0]?.count ?? 0),
        orUnavailable
      ),

    insertOffers: (offers) => {
      const rows = offers.map((offer): Record<string, unknown> => ({
        id: offer.id,
        deliveryId: offer.deliveryId,
        driverId: offer.driverId,
        batch: offer.batch,
        status: offer.status,
        rejectReason: offer.rejectReason,
        distanceToPickupM: offer.distanceToPickupM,
        score: offer.score,
        factors: sql.json(offer.factors),
        createdAt: offer.createdAt,
        expiresAt: offer.expiresAt,
        answeredAt: offer.answeredAt
      }))
      if (!Arr.isReadonlyArrayNonEmpty(rows)) return Effect.void
      return sql`INSERT INTO deliveries.offers ${sql.insert(rows)}`.pipe(Effect.asVoid, orUnavailable)
    },

    offersOf: (deliveryId) =>
      !isUuid(deliveryId) ? Effect.succeed([]) : sql`
        SELECT ${offerCols} FROM deliveries.offers WHERE delivery_id = ${deliveryId} ORDER BY created_at, id`.pipe(Effect.flatMap(toOffers), orUnavailable),

    findOffer: (id) =>
      !isUuid(id) ? Effect.succeed(Option.none()) : sql`
        SELECT ${offerCols} FROM deliveries.offers WHERE id = ${id}`.pipe(Effect.flatMap(firstOffer), orUnavailable),

    // One statement for the batch: the answers travel as one JSON document (an array parameter
    // of only nulls, as the reasons often are, has no type the driver could name).
    updateOffers: (offers) => {
      if (offers.length === 0) return Effect.void
      if (!offers.every((offer) => isUuid(offer.id))) return Effect.fail(unavailable(new Error("an offer id is not a uuid")))
      const answers = offers.map((offer) => ({
        id: offer.id,
        status: offer.status,
        reason: offer.rejectReason,
        at: offer.answeredAt === null ? null : offer.answeredAt.toISOString()
      }))
      return sql`
        UPDATE deliveries.offers SET status = answer.status, reject_reason = answer.reason, answered_at = answer.at
        FROM jsonb_to_recordset(${sql.json(answers)}) AS answer (id uuid, status text, reason text, at timestamptz)
        WHERE deliveries.offers.id = answer.id`.pipe(Effect.asVoid, orUnavailable)
    },

    // The partial index offers_open_by_driver holds exactly these rows.
    openOffersOf: (driverId) =>
      !isUuid(driverId) ? Effect.succeed([]) : sql`
        SELECT ${offerCols} FROM deliveries.offers WHERE driver_id = ${driverId} AND status = 'open' ORDER BY created_at, id`.pipe(
        Effect.flatMap(toOffers),
        orUnavailable
      ),

    // Per driver, his last `window` answered offers (offers_by_driver, newest first), each with
    // whether its delivery ended handed over by him.
    recentAnswers: (driverIds, window) => {
      const asked = uuidsOf(driverIds)
      const answersOf = (found: ReadonlyMap<string, ReadonlyArray<OfferAnswer>>): ReadonlyMap<string, ReadonlyArray<OfferAnswer>> =>
        new Map(driverIds.map((id) => [id, found.get(id.toLowerCase()) ?? []]))
      if (asked.length === 0 || limitOf(window) === 0) return Effect.succeed(answersOf(new Map()))
      return sql<{ driverId: string; status: OfferAnswer["status"]; delivered: boolean }>`
        SELECT asked.driver_id, recent.status, recent.delivered
        FROM unnest(${asked}::uuid[]) AS asked (driver_id)
        JOIN LATERAL (
          SELECT o.status, (d.status = 'delivered' AND d.driver_id = o.driver_id) AS delivered, o.created_at, o.id
          FROM deliveries.offers o JOIN deliveries.deliveries d ON d.id = o.delivery_id
          WHERE o.driver_id = asked.driver_id AND o.status IN ('accepted', 'rejected', 'expired', 'released')
          ORDER BY o.created_at DESC, o.id DESC
          LIMIT ${limitOf(window)}
        ) AS recent ON TRUE
        ORDER BY asked.driver_id, recent.created_at DESC, recent.id DESC`.pipe(
        Effect.map((rows) => {
          const found = new Map<string, Array<OfferAnswer>>()
          for (const row of rows) {
            const answers = found.get(row.driverId) ?? []
            answers.push({ status: row.status, delivered: row.delivered === true })
            found.set(row.driverId, answers)
          }
          return answersOf(found)
        }),
        orUnavailable
      )
    },

    appendTrail: (points) =>
      points.length === 0 ? Effect.void : sql`
        INSERT INTO deliveries.trail_points (delivery_id, driver_id, location, accuracy_m, recorded_at)
        SELECT point.delivery_id, point.driver_id, ST_SetSRID(ST_MakePoint(point.lng, point.lat), 4326)::geography, point.accuracy_m, point.recorded_at
        FROM jsonb_to_recordset(${JSON.stringify(points.map((point) => ({
          delivery_id: point.deliveryId,
          driver_id: point.driverId,
          lat: point.location.lat,
          lng: point.location.lng,
          accuracy_m: point.accuracyM,
          recorded_at: point.recordedAt.toISOString()
        })))}::jsonb) AS point(delivery_id uuid, driver_id uuid, lat float8, lng float8, accuracy_m real, recorded_at timestamptz)`.pipe(Effect.asVoid, orUnavailable),

    trailOf: (deliveryId) =>
      !isUuid(deliveryId) ? Effect.succeed([]) : sql<{ deliveryId: string; driverId: string; lat: number; lng: number; accuracyM: number; recordedAt: Date }>`
        SELECT delivery_id, driver_id, ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lng, accuracy_m, recorded_at
        FROM deliveries.trail_points WHERE delivery_id = ${deliveryId} ORDER BY recorded_at, id`.pipe(
        Effect.map((rows) => rows.map((row) => ({ deliveryId: row.deliveryId, driverId: row.driverId, location: { lat: Number(row.lat), lng: Number(row.lng) }, accuracyM: Number(row.accuracyM), recordedAt: new Date(row.recordedAt) }))),
        orUnavailable
      )
  })
}))
