import { Clock, Context, Effect, Layer, Option } from "effect"
import { ProviderRepository } from "../catalogue/ProviderRepository.ts"
import type { EventOf, NewDomainEvent } from "../events/DomainEvent.ts"
import { OutboxStore } from "../events/OutboxStore.ts"
import { makeNoticeEvents, type Notice } from "../notifications/noticeEvents.ts"
import { makeSystemChange } from "../orders/changeOrder.ts"
import type { Order } from "../orders/Order.ts"
import { OrderRepository } from "../orders/OrderRepository.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { Transactional } from "../shared/Transactional.ts"
import type { UserId } from "../users/User.ts"
import { KycRepository } from "../users/KycRepository.ts"
import { UserRepository } from "../users/UserRepository.ts"
import { Ledger } from "../wallet/Ledger.ts"
import { type Delivery, dispatchingStatuses } from "./Delivery.ts"
import type { DeliveryChangeKind } from "./deliveryEvents.ts"
import { makeDeliveryEvents } from "./deliveryChangeEvents.ts"
import { deliveryLoadOf } from "./DeliveryLoad.ts"
import * as messages from "./deliveryMessages.ts"
import { DeliveryRepository } from "./DeliveryRepository.ts"
import { DispatchPolicy } from "./DispatchPolicy.ts"
import { DispatchTimers, type DispatchWakeUp } from "./DispatchTimers.ts"
import { driverEarningOf } from "./driverEarning.ts"
import { DriverPolicy } from "./DriverPolicy.ts"
import { DriverRepository } from "./DriverRepository.ts"
import { DriverBusy, DriverNotRegistered, OfferClosed, OfferNotFound } from "./errors.ts"
import { LivePositions } from "./LivePositions.ts"
import type { Offer } from "./Offer.ts"
import { recentOffersOf, trailingTimeoutsOf } from "./matchingFactors.ts"
import { pickCandidates } from "./pickCandidates.ts"
import { makeTellDrivers } from "./tellDrivers.ts"

/** What a call of `advance` found and did (for the logs and the tests). */
export type DispatchOutcome =
  /** Nothing to dispatch: assigned, ended, or no such delivery. */
  | "settled"
  /** Too early: offers go out later (a wake-up is scheduled). */
  | "not_due"
  /** Offers of the last batch are still open. */
  | "waiting"
  /** A batch of offers went out. */
  | "offered"
  /** Nobody found at any radius: unassigned, tried again later. */
  | "unassigned"
  /** Unassigned for too long: the order was cancelled and refunded. */
  | "given_up"



/**
 * Dispatch: an order confirmed gets its delivery, and in time offers to the best few drivers around
 * its provider (pickCandidates); the first to accept takes it (atomically: his row, then the
 * delivery's, locked); declined or timed out, the next batch goes, the radius growing after
 * `batchesPerRadius` batches; with every radius tried the delivery is unassigned (the provider and
 * admins told) and tried again every `retryIntervalMs`, until `giveUpAfterMs`: then the order is
 * cancelled by the system, the platform responsible, and refunded.
 *
 * `advance` is the one step of the machine: it decides from what it finds under the delivery's
 * lock, so a wake-up that comes early, late or twice, or a decline and a time-out at once, do
 * nothing wrong. Wake-ups are scheduled after the commit: if scheduling fails the caller (a queue
 * job) fails and runs `advance` again, which schedules what is still needed.
 */
const makeDispatch = Effect.gen(function*() {
  const deliveries = yield* DeliveryRepository
  const drivers = yield* DriverRepository
  const positions = yield* LivePositions
  const orders = yield* OrderRepository
  const providers = yield* ProviderRepository
  const users = yield* UserRepository
  const kyc = yield* KycRepository
  const ledger = yield* Ledger
  const timers = yield* DispatchTimers
  const outbox = yield* OutboxStore
  const transactional = yield* Transactional
  const ids = yield* IdGenerator
  const policy = yield* DispatchPolicy
  const driverPolicy = yield* DriverPolicy
  const systemChange = yield* makeSystemChange
  const noticeEvents = yield* makeNoticeEvents
  const tell = yield* makeTellDrivers

  const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))

  const { adminNotices, changeEvents, orderOf, personOf, providerOwnerOf, assignedEvents, followTrail } = yield* makeDeliveryEvents

  /** Reads what dispatch needs of the drivers found within `radiusM`, and picks the best. */
  const search = (order: Order, radiusM: number, excluded: ReadonlySet<string>, nowMs: number) =>
    Effect.gen(function*() {
      const nearby = yield* positions.nearby(order.pickup.location, radiusM, policy.candidatesPerSearch)
      const driverIds = [...new Set(nearby.map((found) => found.driverId).filter((id) => !excluded.has(id)))]
      if (driverIds.length === 0) return { chosen: [], skipped: [] }
      const [found, kycStatuses, busy, cashHeld, recent] = yield* Effect.all([
        drivers.findMany(driverIds),
        kyc.statusesOf(driverIds.map((id) => id as UserId)),
        deliveries.withActiveDelivery(driverIds),
        order.paymentMethod === "cash" ? ledger.cashHeldBy(driverIds) : Effect.succeed(new Map()),
        deliveries.recentAnswers(driverIds, policy.matching.recentOffersWindow)
      ], { concurrency: "unbounded" })
      const byId = new Map(found.map((driver) => [driver.userId, driver]))
      const records = nearby.flatMap((position) => {
        const driver = byId.get(position.driverId)
        if (driver === undefined) return []
        return [{
          nearby: position,
          driver,
          kycStatus: kycStatuses.get(driver.userId as UserId) ?? "none",
          hasActiveDelivery: busy.has(driver.userId),
          cashHeldXof: cashHeld.get(driver.userId) ?? 0,
          recentOffers: recentOffersOf(recent.get(driver.userId) ?? [])
        }]
      })
      return pickCandidates(records, { load: deliveryLoadOf(order.lines), paymentMethod: order.paymentMethod, totalXof: order.totals.totalXof }, {
        excluded,
        radiusM,
        count: policy.offersPerBatch,
        nowMs,
        matching: policy.matching,
        driverPolicy
      })
    })

  /** Drivers not to offer the delivery again in this round: who declined or released it ever, who was offered it since the round began. */
  const excludedFrom = (delivery: Delivery, offers: ReadonlyArray<Offer>) => {
    const since = delivery.progress.roundStartedAt?.getTime() ?? 0
    return new Set(offers.filter((offer) => offer.status === "rejected" || offer.status === "released" || offer.createdAt.getTime() >= since).map((offer) => offer.driverId))
  }

  /** Sends a batch of offers, or finds nobody at any radius left: the delivery as it is after. */
  const offerOrUnassign = (delivery: Delivery, order: Order, offers: ReadonlyArray<Offer>, at: Date) =>
    Effect.gen(function*() {
      const excluded = excludedFrom(delivery, offers)
      let progress = delivery.progress
      while (progress.radiusIndex < policy.radiiM.length) {
        if (progress.batchesInRadius >= policy.batchesPerRadius) {
          progress = { ...progress, radiusIndex: progress.radiusIndex + 1, batchesInRadius: 0 }
          continue
        }
        const radiusM = policy.radiiM[progress.radiusIndex]!
        const picked = yield* search(order, radiusM, excluded, at.getTime())
        if (picked.chosen.length === 0) {
          progress = { ...progress, radiusIndex: progress.radiusIndex + 1, batchesInRadius: 0 }
          continue
        }
        const batch = progress.batchCount + 1
        const expiresAt = new Date(at.getTime() + policy.offerTimeoutMs)
        const sent: Array<Offer> = []
        for (const candidate of picked.chosen) {
          sent.push({
            id: yield* ids.uuid,
            deliveryId: delivery.id,
            driverId: candidate.driverId,
            batch,
            status: "open",
            rejectReason: null,
            distanceToPickupM: candidate.distanceToPickupM,
            score: candidate.score,
            factors: candidate.factors,
            createdAt: at,
            expiresAt,
            answeredAt: null
          })
        }
        const updated: Delivery = {
          ...delivery,
          status: "searching",
          progress: { ...progress, batchesInRadius: progress.batchesInRadius + 1, batchCount: batch },
          nextRetryAt: null,
          updatedAt: at
        }
        yield* deliveries.insertOffers(sent)
        yield* deliveries.update(updated)
        yield* tell.offersChanged(sent.map((offer) => offer.driverId))
        const notices: Array<Notice> = []
        // One read for the batch's drivers: this runs under the delivery's lock.
        const people = new Map((yield* users.findByIds(sent.map((offer) => offer.driverId as UserId))).map((user) => [user.id as string, user]))
        for (const offer of sent) {
          const person = people.get(offer.driverId)
          if (person === undefined) continue
          notices.push({
            person,
            via: "push",
            ...messages.offerNotice({
              reference: order.reference,
              providerName: order.pickup.name,
              distanceToPickupM: offer.distanceToPickupM,
              zoneName: order.destination.zone.name,
              earningXof: driverEarningOf(order.totals.deliveryFeeXof, policy.driverCommissionBasisPoints),
              timeoutSeconds: Math.round(policy.offerTimeoutMs / 1000)
            })
          })
        }
        yield* outbox.append(yield* noticeEvents({ aggregateType: "delivery", aggregateId: delivery.id, at, data: { deliveryId: delivery.id, kind: "offered" } }, notices))
        yield* Effect.logInfo("offers sent").pipe(Effect.annotateLogs({ deliveryId: delivery.id, batch, radiusM, drivers: sent.map((offer) => offer.driverId), skipped: picked.skipped.length }))
        return { outcome: "offered" as const, wakeUp: { deliveryId: delivery.id, key: `offers-${delivery.id}-${batch}`, at: expiresAt } }
      }
      // Every radius tried. The first time, the provider and admins are told; a retry that finds
      // nobody again (or whose offers were all declined) only waits for the next.
      const firstTime = delivery.unassignedSince === null
      const nextRetryAt = new Date(at.getTime() + policy.retryIntervalMs)
      const updated: Delivery = { ...delivery, status: "unassigned", progress, unassignedSince: delivery.unassignedSince ?? at, nextRetryAt, updatedAt: at }
      yield* deliveries.update(updated)
      if (firstTime) {
        const owner = yield* providerOwnerOf(order.providerId)
        const notices = [
          ...Option.match(owner, { onNone: () => [], onSome: (person) => [{ person, via: "sms-and-push" as const, ...messages.unassignedToProvider(order.reference) }] }),
          ...adminNotices(messages.unassignedToAdmins(order.reference, order.pickup.name))
        ]
        yield* outbox.append(yield* changeEvents(updated, order, "unassigned", null, at, notices))
      }
      return { outcome: "unassigned" as const, wakeUp: { deliveryId: delivery.id, key: `retry-${delivery.id}-${nextRetryAt.getTime()}`, at: nextRetryAt } }
    })

  /** One step of the machine under the delivery's lock; the wake-up to schedule and the drivers whose offers expired. */
  const step = (deliveryId: string) =>
    transactional.run(Effect.gen(function*() {
      const nothing = { expiredDrivers: [] as ReadonlyArray<string>, wakeUp: null as DispatchWakeUp | null }
      const found = yield* deliveries.lock(deliveryId)
      if (Option.isNone(found) || !dispatchingStatuses.includes(found.value.status)) return { ...nothing, outcome: "settled" as DispatchOutcome }
      let delivery = found.value
      const at = yield* now
      if (at < delivery.dispatchAt) return { ...nothing, outcome: "not_due" as DispatchOutcome, wakeUp: { deliveryId, key: `start-${deliveryId}`, at: delivery.dispatchAt } }
      const offers = yield* deliveries.offersOf(deliveryId)
      const due = offers.filter((offer) => offer.status === "open" && offer.expiresAt <= at)
      const expired = due.map((offer): Offer => ({ ...offer, status: "expired", answeredAt: at }))
      if (expired.length > 0) yield* deliveries.updateOffers(expired)
      const expiredDrivers = expired.map((offer) => offer.driverId)
      yield* tell.offersChanged(expiredDrivers)
      const stillOpen = offers.filter((offer) => offer.status === "open" && offer.expiresAt > at)
      if (stillOpen.length > 0) {
        const last = stillOpen.reduce((latest, offer) => offer.expiresAt > latest.expiresAt ? offer : latest)
        return { expiredDrivers, outcome: "waiting" as DispatchOutcome, wakeUp: { deliveryId, key: `offers-${deliveryId}-${last.batch}`, at: last.expiresAt } }
      }
      const order = yield* orderOf(delivery)
      if (order.status === "cancelled" || order.status === "failed" || order.status === "delivered") {
        // The order ended without this delivery (its cancellation's event will say the same).
        yield* deliveries.update({ ...delivery, status: "cancelled", updatedAt: at })
        return { ...nothing, expiredDrivers, outcome: "settled" as DispatchOutcome }
      }
      const refreshed = { ...delivery, progress: { ...delivery.progress, roundStartedAt: delivery.progress.roundStartedAt ?? at } }
      if (delivery.status === "unassigned") {
        if (delivery.unassignedSince !== null && at.getTime() - delivery.unassignedSince.getTime() >= policy.giveUpAfterMs) {
          const updated: Delivery = { ...delivery, status: "cancelled", nextRetryAt: null, updatedAt: at }
          yield* deliveries.update(updated)
          yield* systemChange(order.id, { _tag: "Cancel", reason: "Aucun livreur n'était disponible pour livrer la commande.", responsible: "platform" }, "no_driver_found").pipe(
            // Cancelled or picked up by someone else meanwhile: nothing left to give up.
            Effect.catchTags({ OrderNotCancellable: () => Effect.void, OrderTransitionRefused: () => Effect.void })
          )
          return { ...nothing, expiredDrivers, outcome: "given_up" as DispatchOutcome }
        }
        if (delivery.nextRetryAt !== null && at < delivery.nextRetryAt) {
          return { ...nothing, expiredDrivers, outcome: "not_due" as DispatchOutcome, wakeUp: { deliveryId, key: `retry-${deliveryId}-${delivery.nextRetryAt.getTime()}`, at: delivery.nextRetryAt } }
        }
        // A new round: every radius again, and drivers who only let it time out may be offered it again.
        delivery = { ...delivery, progress: { ...delivery.progress, radiusIndex: 0, batchesInRadius: 0, roundStartedAt: at } }
      } else {
        delivery = refreshed
      }
      const result = yield* offerOrUnassign(delivery, order, offers, at)
      return { expiredDrivers, ...result }
    }))

  /**
   * A driver who let `timeoutsBeforeOffline` offers in a row time out is set offline and told by SMS:
   * the next orders must not wait 30 s on a phone nobody looks at. Its own transaction, after the
   * delivery's: a driver's row is never locked after a delivery's.
   */
  const setOfflineAfterTimeouts = (driverId: string) =>
    Effect.gen(function*() {
      const answers = (yield* deliveries.recentAnswers([driverId], policy.timeoutsBeforeOffline)).get(driverId) ?? []
      if (trailingTimeoutsOf(answers) < policy.timeoutsBeforeOffline) return
      yield* transactional.run(Effect.gen(function*() {
        const driver = yield* drivers.lock(driverId)
        if (Option.isNone(driver) || driver.value.status !== "online") return
        const at = yield* now
        yield* drivers.setStatus(driverId, "offline", at)
        const person = yield* personOf(driverId)
        if (Option.isNone(person)) return
        yield* outbox.append([{
          id: yield* ids.uuid,
          type: "notification.requested",
          aggregateType: "driver",
          aggregateId: driverId,
          payload: { channel: "sms", to: person.value.phone, body: messages.timedOutOfflineMessage(policy.timeoutsBeforeOffline) },
          occurredAt: at.toISOString()
        }])
        yield* Effect.logInfo("driver set offline after offers timed out").pipe(Effect.annotateLogs({ driverId }))
      }))
    })

  const advance = Effect.fn("Dispatch.advance")(function*(deliveryId: string) {
    const result = yield* step(deliveryId)
    yield* Effect.forEach(result.expiredDrivers, setOfflineAfterTimeouts, { discard: true })
    if (result.wakeUp !== null) yield* timers.schedule(result.wakeUp)
    return result.outcome
  })

  /**
   * `order.confirmed`: the order gets its delivery, to be offered `dispatchLeadMs` before the food is
   * ready (confirmed + the preparation minutes announced): the driver arrives about when it is.
   */
  const open = Effect.fn("Dispatch.open")(function*(event: EventOf<"order.confirmed">) {
    const found = yield* orders.findById(event.payload.orderId)
    if (Option.isNone(found)) return "settled" as DispatchOutcome
    const order = found.value
    const confirmedAtMs = new Date(event.occurredAt).getTime()
    const readyAtMs = confirmedAtMs + (order.preparationMinutes ?? 0) * 60_000
    const at = yield* now
    const created = yield* deliveries.create({
      id: yield* ids.uuid,
      orderId: order.id,
      providerId: order.providerId,
      customerId: order.customerId,
      status: "searching",
      driverId: null,
      dispatchAt: new Date(Math.max(confirmedAtMs, readyAtMs - policy.dispatchLeadMs)),
      progress: { radiusIndex: 0, batchesInRadius: 0, batchCount: 0, roundStartedAt: null },
      unassignedSince: null,
      nextRetryAt: null,
      wrongCodeAttempts: 0,
      completionLockedAt: null,
      cashCollectedXof: null,
      failure: null,
      assignedAt: null,
      pickedUpAt: null,
      deliveredAt: null,
      createdAt: at,
      updatedAt: at
    })
    return yield* advance(created.delivery.id)
  })

  /** A delivery's order ended without it (cancelled): its open offers withdrawn, its driver told. */
  const cancelForOrder = Effect.fn("Dispatch.cancelForOrder")(function*(orderId: string) {
    const found = yield* deliveries.findByOrder(orderId)
    if (Option.isNone(found)) return false
    return yield* transactional.run(Effect.gen(function*() {
      const locked = yield* deliveries.lock(found.value.id)
      if (Option.isNone(locked) || locked.value.status === "delivered" || locked.value.status === "failed" || locked.value.status === "cancelled") return false
      const delivery = locked.value
      const at = yield* now
      const offers = yield* deliveries.offersOf(delivery.id)
      const open = offers.filter((offer) => offer.status === "open").map((offer): Offer => ({ ...offer, status: "withdrawn", answeredAt: at }))
      if (open.length > 0) yield* deliveries.updateOffers(open)
      const updated: Delivery = { ...delivery, status: "cancelled", nextRetryAt: null, updatedAt: at }
      yield* deliveries.update(updated)
      if (delivery.driverId !== null) yield* transactional.afterCommit(followTrail(delivery.driverId, null))
      yield* tell.offersChanged(open.map((offer) => offer.driverId))
      if (delivery.driverId !== null) yield* tell.deliveryChanged(delivery.driverId, delivery.id)
      const order = yield* orderOf(delivery)
      const driver = delivery.driverId === null ? Option.none() : yield* personOf(delivery.driverId)
      const notices = Option.match(driver, {
        onNone: () => [],
        onSome: (person) => [{ person, via: "push-else-sms" as const, ...messages.cancelledToDriver(order.reference, delivery.status !== "assigned") }]
      })
      yield* outbox.append(yield* changeEvents(updated, order, "cancelled", order.cancellation?.reason ?? null, at, notices))
      return true
    }))
  })

  /** The order is ready at the provider: the driver who holds its delivery is told (his live stream shows it). */
  const orderReady = Effect.fn("Dispatch.orderReady")(function*(orderId: string) {
    const found = yield* deliveries.findByOrder(orderId)
    if (Option.isSome(found) && found.value.driverId !== null) yield* tell.deliveryChanged(found.value.driverId, found.value.id)
  })

  /** The open offer of this driver, under its delivery's lock (the driver's own, taken first by the caller when needed). */
  const lockedOffer = (driverId: string, offerId: string) =>
    Effect.gen(function*() {
      const offer = yield* deliveries.findOffer(offerId)
      if (Option.isNone(offer) || offer.value.driverId !== driverId) return yield* new OfferNotFound()
      const delivery = yield* deliveries.lock(offer.value.deliveryId)
      if (Option.isNone(delivery)) return yield* new OfferNotFound()
      // Offers change only under their delivery's lock: read again now that it is held.
      const offers = yield* deliveries.offersOf(delivery.value.id)
      const current = offers.find((candidate) => candidate.id === offerId)
      if (current === undefined) return yield* new OfferNotFound()
      const at = yield* now
      if (current.status !== "open") return yield* new OfferClosed({ status: current.status })
      if (current.expiresAt <= at) return yield* new OfferClosed({ status: "expired" })
      // The delivery moved on (an admin assigned it, the order was cancelled) before the offer was withdrawn.
      if (!dispatchingStatuses.includes(delivery.value.status)) return yield* new OfferClosed({ status: "withdrawn" })
      return { offer: current, offers, delivery: delivery.value, at }
    })

  /**
   * The driver takes the delivery: first come, first served. His row is locked first (he cannot
   * take two at once), then the delivery's (two drivers cannot take one); the others' open offers
   * are withdrawn. The customer and the provider are told who comes.
   */
  const accept = Effect.fn("Dispatch.accept")(function*(driverId: string, offerId: string) {
    return yield* acceptOnce(driverId, offerId).pipe(
      // The same accept again (the answer was lost on a patchy network, the app retried): the
      // delivery he took, as the first answer said, rather than a refusal he would not understand.
      Effect.catchTag("OfferClosed", (closed) =>
        closed.status !== "accepted" ? Effect.fail(closed) : Effect.flatMap(deliveries.findOffer(offerId), (offer) =>
          Effect.flatMap(Option.isSome(offer) ? deliveries.findById(offer.value.deliveryId) : Effect.succeed(Option.none()), (delivery) =>
            Option.isSome(delivery) && delivery.value.driverId === driverId ? Effect.succeed(delivery.value) : Effect.fail(closed))))
    )
  })

  const acceptOnce = (driverId: string, offerId: string) =>
    transactional.run(Effect.gen(function*() {
      const driver = yield* drivers.lock(driverId)
      if (Option.isNone(driver)) return yield* new DriverNotRegistered()
      const { at, delivery, offer, offers } = yield* lockedOffer(driverId, offerId)
      const active = yield* deliveries.activeOf(driverId)
      if (Option.isSome(active)) return yield* new DriverBusy({ deliveryId: active.value.id })
      const answered: Array<Offer> = [{ ...offer, status: "accepted", answeredAt: at }]
      for (const other of offers) if (other.status === "open" && other.id !== offer.id) answered.push({ ...other, status: "withdrawn", answeredAt: at })
      yield* deliveries.updateOffers(answered)
      const updated: Delivery = { ...delivery, status: "assigned", driverId, assignedAt: at, nextRetryAt: null, unassignedSince: null, updatedAt: at }
      yield* deliveries.update(updated)
      yield* outbox.append(yield* assignedEvents(updated, driver.value.vehicle, at))
      yield* transactional.afterCommit(followTrail(driverId, updated.id))
      yield* tell.deliveryChanged(driverId, updated.id)
      yield* tell.offersChanged(answered.filter((other) => other.status === "withdrawn").map((other) => other.driverId))
      return updated
    }))

  /** The driver declines: when no offer of the delivery is left open, dispatch moves on at once (the event). */
  const reject = Effect.fn("Dispatch.reject")(function*(driverId: string, offerId: string, reason: string | null) {
    if (Option.isNone(yield* drivers.findById(driverId))) return yield* new DriverNotRegistered()
    return yield* transactional.run(Effect.gen(function*() {
      const { at, delivery, offer, offers } = yield* lockedOffer(driverId, offerId)
      const rejected: Offer = { ...offer, status: "rejected", rejectReason: reason, answeredAt: at }
      yield* deliveries.updateOffers([rejected])
      yield* tell.offersChanged([driverId])
      const othersOpen = offers.some((other) => other.id !== offer.id && other.status === "open" && other.expiresAt > at)
      if (!othersOpen) yield* outbox.append(yield* changeEvents(delivery, yield* orderOf(delivery), "offer_rejected", reason, at, []))
      return rejected
    }))
  })

  return { open, advance, accept, reject, cancelForOrder, orderReady }
})

/** Dispatch as the worker (which runs it) and the API (the drivers' answers) use it. */
export class Dispatch extends Context.Service<Dispatch>()("nelo/deliveries/Dispatch", { make: makeDispatch }) {
  static readonly layer = Layer.effect(Dispatch, Dispatch.make)
}
