import { Effect, Layer, Option } from "effect"
import { activeDeliveryStatuses, type Delivery } from "@nelo/domain/deliveries/Delivery"
import { type CreateDeliveryOutcome, DeliveryRepository } from "@nelo/domain/deliveries/DeliveryRepository"
import { DeliveriesUnavailable } from "@nelo/domain/deliveries/errors"
import type { OfferAnswer } from "@nelo/domain/deliveries/matchingFactors"
import type { TrailPoint } from "@nelo/domain/deliveries/LocationPoint"
import type { Offer, OfferStatus } from "@nelo/domain/deliveries/Offer"
import { isUuid } from "../postgres/isUuid.ts"
import { recordUndo } from "./memoryTransaction.ts"

/** What a uuid column holds for this text: lower case, or nothing for a malformed id. */
const uuidOf = (id: string) => isUuid(id) ? id.toLowerCase() : undefined

const refused = (reason: string) => new DeliveriesUnavailable({ cause: new Error(reason) })

const isActive = (delivery: Delivery) => activeDeliveryStatuses.includes(delivery.status)

/** Offers the driver could answer, and did: what his history counts. */
const answered: ReadonlyArray<OfferStatus> = ["accepted", "rejected", "expired", "released"]

const compare = (left: string, right: string) => left < right ? -1 : left > right ? 1 : 0
const oldestFirst = (left: Offer, right: Offer) => left.createdAt.getTime() - right.createdAt.getTime() || compare(left.id, right.id)
const newestFirst = (left: Offer, right: Offer) => -oldestFirst(left, right)

const limitOf = (limit: number) => Math.max(0, Math.floor(limit))

/**
 * Deliveries and their offers in memory, for unit tests, behaving as the Postgres adapter does:
 * ids in lower case, one delivery per order, one active delivery per driver and one accepted offer
 * per delivery (the unique indexes), an offer's delivery must exist. It knows neither the orders nor
 * the drivers: those foreign keys are not checked here. Every method is one synchronous step, and
 * memory transactions run one at a time, so `lock` is a read; each write records how to undo it.
 */
export const DeliveryRepositoryMemory = Layer.sync(DeliveryRepository, () => {
  const deliveries = new Map<string, Delivery>()
  const idByOrder = new Map<string, string>()
  const offers = new Map<string, Offer>()
  const trails: Array<TrailPoint> = []

  const find = (id: string) => Effect.sync(() => {
    const key = uuidOf(id)
    return Option.fromNullishOr(key === undefined ? undefined : deliveries.get(key))
  })

  /** The delivery as its row holds it (uuids in lower case), or nothing when a uuid column would refuse it. */
  const stored = (delivery: Delivery): Delivery | undefined => {
    const [id, orderId, providerId, customerId] = [delivery.id, delivery.orderId, delivery.providerId, delivery.customerId].map(uuidOf)
    const driverId = delivery.driverId === null ? null : uuidOf(delivery.driverId)
    if (id === undefined || orderId === undefined || providerId === undefined || customerId === undefined || driverId === undefined) return undefined
    return { ...delivery, id, orderId, providerId, customerId, driverId }
  }

  /** Another delivery this one's driver holds (what deliveries_one_active_per_driver refuses). */
  const otherActive = (delivery: Delivery) =>
    isActive(delivery) && [...deliveries.values()].some((other) => other.id !== delivery.id && other.driverId === delivery.driverId && isActive(other))

  /** Another accepted offer of this one's delivery (what offers_one_accepted_per_delivery refuses). */
  const otherAccepted = (offer: Offer, among: Iterable<Offer>) =>
    offer.status === "accepted" && [...among].some((other) => other.id !== offer.id && other.deliveryId === offer.deliveryId && other.status === "accepted")

  const answersOf = (driverId: string, window: number): ReadonlyArray<OfferAnswer> =>
    [...offers.values()]
      .filter((offer) => offer.driverId === driverId && answered.includes(offer.status))
      .sort(newestFirst)
      .slice(0, limitOf(window))
      .map((offer) => {
        const delivery = deliveries.get(offer.deliveryId)
        return { status: offer.status as OfferAnswer["status"], delivered: delivery?.status === "delivered" && delivery.driverId === offer.driverId }
      })

  return DeliveryRepository.of({
    create: (delivery) =>
      Effect.suspend((): Effect.Effect<CreateDeliveryOutcome, DeliveriesUnavailable> => {
        const row = stored(delivery)
        if (row === undefined) return Effect.fail(refused(`delivery ${delivery.id} refused by the store`))
        const existing = idByOrder.get(row.orderId)
        if (existing !== undefined) return Effect.succeed({ _tag: "Exists", delivery: deliveries.get(existing)! })
        if (deliveries.has(row.id)) return Effect.fail(refused(`delivery id ${row.id} is taken by another delivery`))
        if (otherActive(row)) return Effect.fail(refused(`driver ${row.driverId} holds a delivery already`))
        deliveries.set(row.id, row)
        idByOrder.set(row.orderId, row.id)
        return Effect.as(
          recordUndo(() => {
            deliveries.delete(row.id)
            idByOrder.delete(row.orderId)
          }),
          { _tag: "Created", delivery: row }
        )
      }),

    findById: find,

    findByOrder: (orderId) =>
      Effect.sync(() => {
        const key = uuidOf(orderId)
        const id = key === undefined ? undefined : idByOrder.get(key)
        return Option.fromNullishOr(id === undefined ? undefined : deliveries.get(id))
      }),

    lock: find,

    update: (delivery) =>
      Effect.suspend(() => {
        const row = stored(delivery)
        if (row === undefined) return Effect.fail(refused(`delivery ${delivery.id} refused by the store`))
        const existing = deliveries.get(row.id)
        if (existing === undefined) return Effect.void
        // Only what a change may change: the order, its parties and the creation are written once.
        const updated: Delivery = { ...row, orderId: existing.orderId, providerId: existing.providerId, customerId: existing.customerId, createdAt: existing.createdAt }
        if (otherActive(updated)) return Effect.fail(refused(`driver ${updated.driverId} holds a delivery already`))
        deliveries.set(updated.id, updated)
        return recordUndo(() => deliveries.set(existing.id, existing))
      }),

    activeOf: (driverId) =>
      Effect.sync(() => {
        const key = uuidOf(driverId)
        return Option.fromNullishOr([...deliveries.values()].find((delivery) => key !== undefined && delivery.driverId === key && isActive(delivery)))
      }),

    withActiveDelivery: (driverIds) =>
      Effect.sync(() => {
        const busy = new Set([...deliveries.values()].filter(isActive).flatMap((delivery) => delivery.driverId ?? []))
        return new Set(driverIds.filter((id) => busy.has(id.toLowerCase())))
      }),

    list: (query) =>
      Effect.sync(() => {
        const beforeId = query.beforeId === null ? null : uuidOf(query.beforeId)
        if (beforeId === undefined) return []
        return [...deliveries.values()]
          .filter((delivery) => (query.statuses === null || query.statuses.includes(delivery.status)) && (beforeId === null || delivery.id < beforeId))
          .sort((left, right) => compare(right.id, left.id))
          .slice(0, limitOf(query.limit))
      }),

    deliveredCount: (driverId, since) =>
      Effect.sync(() => {
        const key = uuidOf(driverId)
        return [...deliveries.values()].filter((delivery) =>
          delivery.driverId === key && delivery.status === "delivered" && delivery.deliveredAt !== null && delivery.deliveredAt.getTime() >= since.getTime()
        ).length
      }),

    insertOffers: (batch) =>
      Effect.suspend(() => {
        const rows: Array<Offer> = []
        for (const offer of batch) {
          const [id, deliveryId, driverId] = [offer.id, offer.deliveryId, offer.driverId].map(uuidOf)
          if (id === undefined || deliveryId === undefined || driverId === undefined) return Effect.fail(refused(`offer ${offer.id} refused by the store`))
          if (offers.has(id) || rows.some((row) => row.id === id)) return Effect.fail(refused(`offer id ${id} is taken by another offer`))
          if (!deliveries.has(deliveryId)) return Effect.fail(refused(`offer ${id} of an unknown delivery ${deliveryId}`))
          const row: Offer = { ...offer, id, deliveryId, driverId }
          if (otherAccepted(row, [...offers.values(), ...rows])) return Effect.fail(refused(`delivery ${deliveryId} has an accepted offer already`))
          rows.push(row)
        }
        for (const row of rows) offers.set(row.id, row)
        return recordUndo(() => {
          for (const row of rows) offers.delete(row.id)
        })
      }),

    offersOf: (deliveryId) =>
      Effect.sync(() => {
        const key = uuidOf(deliveryId)
        return [...offers.values()].filter((offer) => offer.deliveryId === key).sort(oldestFirst)
      }),

    findOffer: (id) =>
      Effect.sync(() => {
        const key = uuidOf(id)
        return Option.fromNullishOr(key === undefined ? undefined : offers.get(key))
      }),

    // Only the answers: status, reason, when. Unknown offers are left out, as an UPDATE would.
    updateOffers: (batch) =>
      Effect.suspend(() => {
        const next = new Map(offers)
        for (const offer of batch) {
          const id = uuidOf(offer.id)
          if (id === undefined) return Effect.fail(refused(`offer ${offer.id} is not a uuid`))
          const existing = next.get(id)
          if (existing !== undefined) next.set(id, { ...existing, status: offer.status, rejectReason: offer.rejectReason, answeredAt: offer.answeredAt })
        }
        const changed = [...next.values()].filter((offer) => offers.get(offer.id) !== offer)
        if (changed.some((offer) => otherAccepted(offer, next.values()))) return Effect.fail(refused("a delivery would have two accepted offers"))
        const previous = changed.map((offer) => offers.get(offer.id)!)
        for (const offer of changed) offers.set(offer.id, offer)
        return recordUndo(() => {
          for (const offer of previous) offers.set(offer.id, offer)
        })
      }),

    openOffersOf: (driverId) =>
      Effect.sync(() => {
        const key = uuidOf(driverId)
        return [...offers.values()].filter((offer) => offer.driverId === key && offer.status === "open").sort(oldestFirst)
      }),

    recentAnswers: (driverIds, window) =>
      Effect.sync(() => new Map(driverIds.map((id) => [id, answersOf(id.toLowerCase(), window)]))),

    appendTrail: (points) =>
      Effect.suspend(() => {
        const length = trails.length
        trails.push(...points.map((point) => ({ ...point, deliveryId: point.deliveryId.toLowerCase(), driverId: point.driverId.toLowerCase() })))
        return recordUndo(() => void trails.splice(length))
      }),

    trailOf: (deliveryId) =>
      Effect.sync(() =>
        trails.filter((point) => point.deliveryId === deliveryId.toLowerCase()).sort((left, right) => left.recordedAt.getTime() - right.recordedAt.getTime())
      )
  })
})
