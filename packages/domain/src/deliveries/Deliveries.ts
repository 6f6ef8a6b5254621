import { Clock, Context, Effect, Layer, Option } from "effect"
import { OutboxStore } from "../events/OutboxStore.ts"
import type { Notice } from "../notifications/noticeEvents.ts"
import { makeChangeOrder } from "../orders/changeOrder.ts"
import type { Actor, Order } from "../orders/Order.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { Transactional } from "../shared/Transactional.ts"
import { xof } from "../shared/Xof.ts"
import type { Role, UserId } from "../users/User.ts"
import { requireAdmin } from "../users/setUserRoles.ts"
import { KycRepository } from "../users/KycRepository.ts"
import { Ledger } from "../wallet/Ledger.ts"
import { type Delivery, type DeliveryStatus, dispatchingStatuses, type FailureReason } from "./Delivery.ts"
import { firstNameOf, makeDeliveryEvents } from "./deliveryChangeEvents.ts"
import { type DeliveryLoad, deliveryLoadOf } from "./DeliveryLoad.ts"
import * as messages from "./deliveryMessages.ts"
import { type DeliveryListQuery, DeliveryRepository } from "./DeliveryRepository.ts"
import { DispatchPolicy } from "./DispatchPolicy.ts"
import type { Driver } from "./Driver.ts"
import { driverEarningOf } from "./driverEarning.ts"
import { DriverPolicy } from "./DriverPolicy.ts"
import { DriverRepository } from "./DriverRepository.ts"
import { eligibility } from "./eligibility.ts"
import {
  CashCollectedMismatch,
  DeliveryCodeWrong,
  DeliveryCompletionLocked,
  DeliveryNotFound,
  DeliveryStepRefused,
  DriverBusy,
  DriverNotAssignable,
  DriverNotRegistered
} from "./errors.ts"
import type { Offer } from "./Offer.ts"
import { sameCode } from "./sameCode.ts"
import { recentOffersOf } from "./matchingFactors.ts"
import { averageStars } from "./Rating.ts"
import { arrivalEstimate, maskedPhone } from "./arrivalEstimate.ts"
import { activeDeliveryStatuses } from "./Delivery.ts"
import { LivePositions } from "./LivePositions.ts"
import type { TrailPoint } from "./LocationPoint.ts"
import { makeFollowDriver } from "./followDriver.ts"
import { makeTellDrivers } from "./tellDrivers.ts"

/** An open offer as the driver's app shows it: enough to decide in 30 s, the exact address only once accepted. */
export interface OfferDetails {
  readonly offer: Offer
  readonly reference: string
  readonly pickup: Order["pickup"]
  /** The customer's zone: the exact address comes with the delivery, once accepted. */
  readonly destinationZone: Order["destination"]["zone"]
  /** From the pickup to the customer, as the fee was computed. */
  readonly deliveryDistanceM: number
  readonly earningXof: number
  readonly load: DeliveryLoad
  /** Cash orders: what to collect at the door; null when paid in advance. */
  readonly cashToCollectXof: number | null
}

/** An administrator acting: the admin role is checked here (the middleware checks the token only). */
export interface AdminViewer {
  readonly userId: string
  readonly roles: ReadonlyArray<Role>
}

/** What an order's tracking shows of its delivery. */
export interface DeliveryTracking {
  readonly status: DeliveryStatus
  /** Who brings it, from acceptance on: first name, vehicle, rating, a masked phone. */
  readonly driver: { readonly firstName: string; readonly vehicle: Driver["vehicle"]; readonly rating: number | null; readonly maskedPhone: string } | null
  /** Where he is, only to the order's customer and only while he holds the delivery. */
  readonly position: { readonly location: { readonly lat: number; readonly lng: number }; readonly headingDeg: number | null; readonly recordedAt: Date } | null
  readonly etaAt: Date | null
}

/** A delivery as its driver (or an admin) sees it: with its order, the address and the customer to call. */
export interface DeliveryDetails {
  readonly delivery: Delivery
  readonly order: Order
  readonly earningXof: number
  /** Cash orders: what to collect at the door; null when paid in advance. */
  readonly cashToCollectXof: number | null
  readonly customer: { readonly firstName: string; readonly phone: string } | null
}

const unixDayStart = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()))

const failureWords: Readonly<Record<FailureReason, string>> = {
  customer_absent: "client absent",
  customer_unreachable: "client injoignable",
  address_not_found: "adresse introuvable",
  refused: "commande refusée par le client",
  order_damaged: "commande abîmée",
  vehicle_problem: "problème de véhicule",
  unsafe: "situation dangereuse",
  other: "autre raison"
}

/**
 * The drivers' steps once an offer is accepted: pickup at the provider, leaving it (the order
 * `delivering`), the handover with the customer's code (and the cash of a cash order), a failure at
 * the door, or handing the delivery back before pickup. Each locks the driver's row, then the
 * delivery's, then (through the orders' state machine) the order's, and writes the three with their
 * events in one transaction. A driver reaching another's delivery gets not found. Admins list the
 * deliveries and assign one by hand.
 */
const makeDeliveries = Effect.gen(function*() {
  const deliveries = yield* DeliveryRepository
  const drivers = yield* DriverRepository
  const kyc = yield* KycRepository
  const ledger = yield* Ledger
  const positions = yield* LivePositions
  const outbox = yield* OutboxStore
  const transactional = yield* Transactional
  const ids = yield* IdGenerator
  const policy = yield* DispatchPolicy
  const driverPolicy = yield* DriverPolicy
  const changeOrder = yield* makeChangeOrder
  const { adminNotices, assignedEvents, changeEvents, followTrail, orderOf, personOf } = yield* makeDeliveryEvents
  const tell = yield* makeTellDrivers

  const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))
  /** A cash order's total is collected at the door; an order paid in advance collects nothing. */
  const cashToCollectOf = (order: Order) => order.paymentMethod === "cash" ? order.totals.totalXof : null
  const earningOf = (order: Order) => driverEarningOf(order.totals.deliveryFeeXof, policy.driverCommissionBasisPoints)

  const detailsOf = (delivery: Delivery) =>
    Effect.gen(function*() {
      const order = yield* orderOf(delivery)
      const person = yield* personOf(delivery.customerId)
      return {
        delivery,
        order,
        earningXof: earningOf(order),
        cashToCollectXof: cashToCollectOf(order),
        customer: Option.match(person, { onNone: () => null, onSome: (found) => ({ firstName: firstNameOf(found.fullName), phone: found.phone }) })
      } satisfies DeliveryDetails
    })

  /** Runs a driver's step on his delivery, under his row's lock then the delivery's, if it stands in `from`. */
  const driverStep = <A, E, R>(driverId: string, deliveryId: string, action: string, from: ReadonlyArray<DeliveryStatus>, body: (delivery: Delivery, driver: Driver, at: Date) => Effect.Effect<A, E, R>) =>
    transactional.run(Effect.gen(function*() {
      const driver = yield* drivers.lock(driverId)
      if (Option.isNone(driver)) return yield* new DriverNotRegistered()
      const found = yield* deliveries.lock(deliveryId)
      if (Option.isNone(found) || found.value.driverId !== driverId) return yield* new DeliveryNotFound()
      if (!from.includes(found.value.status)) return yield* new DeliveryStepRefused({ action, status: found.value.status })
      // His own app has the answer; his stream (another phone, a reconnection) reads it too.
      yield* tell.deliveryChanged(driverId, deliveryId)
      return yield* body(found.value, driver.value, yield* now)
    }))

  const asDriver = (driverId: string): Actor => ({ kind: "driver", id: driverId })
  // The delivery was checked to be this driver's: the order is his to act on.
  const itsDriver = () => Effect.succeed(true)

  /** Writes a driver's step: the delivery changed and its event. */
  const record = (updated: Delivery, change: Parameters<typeof changeEvents>[2], reason: string | null, at: Date, notices: ReadonlyArray<Notice> = []) =>
    Effect.gen(function*() {
      yield* deliveries.update(updated)
      yield* outbox.append(yield* changeEvents(updated, yield* orderOf(updated), change, reason, at, notices))
      return updated
    })

  const wrongCode = (delivery: Delivery, at: Date) =>
    Effect.gen(function*() {
      const attempts = delivery.wrongCodeAttempts + 1
      const locked = attempts >= policy.wrongCodeAttemptsAllowed
      const updated: Delivery = { ...delivery, wrongCodeAttempts: attempts, completionLockedAt: locked ? at : null, updatedAt: at }
      if (!locked) {
        yield* deliveries.update(updated)
        return { _tag: "WrongCode" as const, attemptsLeft: policy.wrongCodeAttemptsAllowed - attempts }
      }
      const order = yield* orderOf(delivery)
      const driver = yield* personOf(delivery.driverId!)
      const notices = [
        ...adminNotices(messages.codeLockedToAdmins(order.reference, attempts)),
        ...Option.match(driver, { onNone: () => [], onSome: (person) => [{ person, via: "push-else-sms" as const, ...messages.codeLockedToDriver(order.reference) }] })
      ]
      yield* record(updated, "code_locked", `${attempts} codes faux`, at, notices)
      return { _tag: "Locked" as const }
    })

  /** The driver's open offers, newest batch first, with what he needs to decide. */
  const offersFor = Effect.fn("Deliveries.offersFor")(function*(driverId: string) {
    const at = yield* now
    const open = (yield* deliveries.openOffersOf(driverId)).filter((offer) => offer.expiresAt > at)
    return yield* Effect.forEach(open, (offer) =>
      Effect.gen(function*() {
        const delivery = yield* deliveries.findById(offer.deliveryId)
        if (Option.isNone(delivery)) return []
        const order = yield* orderOf(delivery.value)
        return [{
          offer,
          reference: order.reference,
          pickup: order.pickup,
          destinationZone: order.destination.zone,
          deliveryDistanceM: order.distanceM,
          earningXof: earningOf(order),
          load: deliveryLoadOf(order.lines),
          cashToCollectXof: cashToCollectOf(order)
        } satisfies OfferDetails]
      }), { concurrency: 4 }).pipe(Effect.map((found) => found.flat()))
  })

  /** The delivery the driver holds, if any. */
  const current = Effect.fn("Deliveries.current")(function*(driverId: string) {
    const active = yield* deliveries.activeOf(driverId)
    if (Option.isNone(active)) return Option.none<DeliveryDetails>()
    return Option.some(yield* detailsOf(active.value))
  })

  /**
   * The handover written, by the driver (with the code) or an admin (who called the customer): the
   * order delivered; a cash order's total, which must be what was collected, into the driver's
   * cash in hand (he owes it to NELO) and the escrow (it stands for the payment); the driver free.
   */
  const handOver = (delivery: Delivery, order: Order, actor: Actor, cashCollectedXof: number | null, reason: string | null, at: Date) =>
    Effect.gen(function*() {
      const driverId = delivery.driverId!
      const cash = order.paymentMethod === "cash"
      if (cash ? cashCollectedXof !== order.totals.totalXof : cashCollectedXof !== null && cashCollectedXof !== 0) {
        return yield* new CashCollectedMismatch({ expectedXof: cash ? order.totals.totalXof : 0, notCash: !cash })
      }
      yield* changeOrder(delivery.orderId, { _tag: "Deliver" }, actor, itsDriver)
      if (cash && order.totals.totalXof > 0) {
        const [cashInHand, escrow] = yield* Effect.all([ledger.cashInHandOf(driverId), ledger.escrowOf(order.providerId)])
        yield* ledger.post<never>({
          transaction: {
            id: yield* ids.uuid,
            type: "cash_collection",
            idempotencyKey: `order-cash:${order.id}`,
            postings: [{ accountId: cashInHand.id, amountXof: xof(-order.totals.totalXof) }, { accountId: escrow.id, amountXof: order.totals.totalXof }],
            cause: actor.kind === "admin" ? { kind: "admin", id: actor.id } : { kind: "user", id: driverId },
            reversesId: null,
            note: reason,
            reference: order.reference,
            createdAt: at
          }
        }).pipe(
          // Neither account has a floor that an incoming cash payment could cross.
          Effect.catchTags({ InsufficientFunds: Effect.die, BalanceOutOfRange: Effect.die })
        )
      }
      yield* drivers.markDelivered(driverId, at)
      yield* transactional.afterCommit(followTrail(driverId, null))
      return yield* record({ ...delivery, status: "delivered", deliveredAt: at, cashCollectedXof: cash ? order.totals.totalXof : null, updatedAt: at } as Delivery, "completed", reason, at)
    })

  return {
    detailsOf,
    offersFor,
    current,

    /** The driver's live stream: his offers and his delivery, then what changes of them (followDriver). */
    followDriver: yield* makeFollowDriver({ offersFor, current }),

    /** At the provider, the order in hand (it must be ready: the provider marks it so). */
    pickUp: Effect.fn("Deliveries.pickUp")(function*(driverId: string, deliveryId: string) {
      const updated = yield* driverStep(driverId, deliveryId, "pick_up", ["assigned"], (delivery, _driver, at) =>
        Effect.gen(function*() {
          yield* changeOrder(delivery.orderId, { _tag: "PickUp" }, asDriver(driverId), itsDriver)
          return yield* record({ ...delivery, status: "picked_up", pickedUpAt: at, updatedAt: at }, "picked_up", null, at)
        }))
      return yield* detailsOf(updated)
    }),

    /** Leaving the provider: the order is `delivering`, the customer told. */
    start: Effect.fn("Deliveries.start")(function*(driverId: string, deliveryId: string) {
      const updated = yield* driverStep(driverId, deliveryId, "start", ["picked_up"], (delivery, _driver, at) =>
        Effect.gen(function*() {
          yield* changeOrder(delivery.orderId, { _tag: "StartDelivering" }, asDriver(driverId), itsDriver)
          return yield* record({ ...delivery, status: "delivering", updatedAt: at }, "delivering", null, at)
        }))
      return yield* detailsOf(updated)
    }),

    /**
     * The handover: the customer's 4-digit code is the proof of delivery. A wrong code is counted
     * (kept, though the call fails); at `wrongCodeAttemptsAllowed` completion locks and admins are
     * alerted. A cash order needs the cash collected, equal to its total: the ledger records that the
     * driver holds it for NELO (his cash in hand) and that it stands for the order's payment in escrow.
     */
    complete: Effect.fn("Deliveries.complete")(function*(driverId: string, deliveryId: string, code: string, cashCollectedXof: number | null) {
      const outcome = yield* driverStep(driverId, deliveryId, "complete", ["delivering"], (delivery, _driver, at) =>
        Effect.gen(function*() {
          if (delivery.completionLockedAt !== null) return yield* new DeliveryCompletionLocked()
          const order = yield* orderOf(delivery)
          if (!sameCode(code, order.deliveryCode)) return yield* wrongCode(delivery, at)
          const updated = yield* handOver(delivery, order, asDriver(driverId), cashCollectedXof, null, at)
          return { _tag: "Delivered" as const, delivery: updated }
        }))
      if (outcome._tag === "WrongCode") return yield* new DeliveryCodeWrong({ attemptsLeft: outcome.attemptsLeft })
      if (outcome._tag === "Locked") return yield* new DeliveryCompletionLocked()
      return yield* detailsOf(outcome.delivery)
    }),

    /**
     * An admin marks a delivery handed over without the code, having called the customer (the code
     * lost, the handover locked after wrong tries): the same effects as the driver's completion,
     * the admin's note in the history. The driver's row, then the delivery's, are locked as always.
     */
    completeByAdmin: Effect.fn("Deliveries.completeByAdmin")(function*(admin: AdminViewer, deliveryId: string, cashCollectedXof: number | null, note: string) {
      yield* requireAdmin(admin)
      const found = yield* deliveries.findById(deliveryId)
      if (Option.isNone(found)) return yield* new DeliveryNotFound()
      const driverId = found.value.driverId
      if (driverId === null) return yield* new DeliveryStepRefused({ action: "complete", status: found.value.status })
      const updated = yield* driverStep(driverId, deliveryId, "complete", ["delivering"], (delivery, _driver, at) =>
        Effect.flatMap(orderOf(delivery), (order) => handOver(delivery, order, { kind: "admin", id: admin.userId }, cashCollectedXof, `remise confirmée par un agent : ${note}`, at))).pipe(
        // The delivery names him: a driver row is never deleted.
        Effect.catchTag("DriverNotRegistered", Effect.die)
      )
      return yield* detailsOf(updated)
    }),

    /**
     * The handover could not happen: the order ends `failed` with the reason; a paid order is
     * refunded to the wallet when the policy says the customer was not at fault. The driver brings
     * the order back to the provider (the earnings issue settles who bears the cost).
     */
    fail: Effect.fn("Deliveries.fail")(function*(driverId: string, deliveryId: string, reason: FailureReason, note: string | null) {
      const updated = yield* driverStep(driverId, deliveryId, "fail", ["delivering"], (delivery, _driver, at) =>
        Effect.gen(function*() {
          const words = note === null ? failureWords[reason] : `${failureWords[reason]} : ${note}`
          yield* changeOrder(delivery.orderId, { _tag: "Fail", reason: words, refund: policy.refundedFailures.includes(reason) }, asDriver(driverId), itsDriver)
          yield* transactional.afterCommit(followTrail(driverId, null))
          return yield* record({ ...delivery, status: "failed", failure: { reason, note }, updatedAt: at }, "failed", words, at)
        }))
      return yield* detailsOf(updated)
    }),

    /**
     * Before pickup, the driver hands the delivery back (a flat tyre, an emergency): it is offered
     * again at once, and the release counts against him (his acceptance without completion).
     */
    release: Effect.fn("Deliveries.release")(function*(driverId: string, deliveryId: string) {
      return yield* driverStep(driverId, deliveryId, "release", ["assigned"], (delivery, _driver, at) =>
        Effect.gen(function*() {
          const offers = yield* deliveries.offersOf(delivery.id)
          const held = offers.filter((offer) => offer.driverId === driverId && offer.status === "accepted").map((offer): Offer => ({ ...offer, status: "released", answeredAt: at }))
          if (held.length > 0) yield* deliveries.updateOffers(held)
          yield* transactional.afterCommit(followTrail(driverId, null))
          return yield* record({
            ...delivery,
            status: "searching",
            driverId: null,
            assignedAt: null,
            dispatchAt: at,
            progress: { ...delivery.progress, radiusIndex: 0, batchesInRadius: 0, roundStartedAt: at },
            updatedAt: at
          }, "released", null, at)
        }))
    }),

    /** One delivery as an admin sees it (the CLI and the admin endpoints), with its offers and its trail. */
    details: Effect.fn("Deliveries.details")(function*(admin: AdminViewer, deliveryId: string) {
      yield* requireAdmin(admin)
      const found = yield* deliveries.findById(deliveryId)
      if (Option.isNone(found)) return yield* new DeliveryNotFound()
      return { ...(yield* detailsOf(found.value)), offers: yield* deliveries.offersOf(deliveryId), trail: yield* deliveries.trailOf(deliveryId) }
    }),

    detailsOfOrder: Effect.fn("Deliveries.detailsOfOrder")(function*(admin: AdminViewer, orderId: string) {
      yield* requireAdmin(admin)
      const found = yield* deliveries.findByOrder(orderId)
      if (Option.isNone(found)) return Option.none<DeliveryDetails & { readonly offers: ReadonlyArray<Offer>; readonly trail: ReadonlyArray<TrailPoint> }>()
      return Option.some({ ...(yield* detailsOf(found.value)), offers: yield* deliveries.offersOf(found.value.id), trail: yield* deliveries.trailOf(found.value.id) })
    }),

    list: Effect.fn("Deliveries.list")(function*(admin: AdminViewer, query: DeliveryListQuery) {
      yield* requireAdmin(admin)
      return yield* deliveries.list(query)
    }),

    /**
     * An admin gives a delivery still looking for a driver to one he phoned: registered, KYC
     * approved, free, a vehicle fit for the load and room under the cash cap (online or not: the
     * admin reached him). Open offers are withdrawn; everyone is told as for an accepted offer.
     */
    assign: Effect.fn("Deliveries.assign")(function*(admin: AdminViewer, deliveryId: string, driverId: string) {
      yield* requireAdmin(admin)
      const updated = yield* transactional.run(Effect.gen(function*() {
        const driver = yield* drivers.lock(driverId)
        if (Option.isNone(driver)) return yield* new DriverNotAssignable({ reason: "not_registered" })
        const found = yield* deliveries.lock(deliveryId)
        if (Option.isNone(found)) return yield* new DeliveryNotFound()
        const delivery = found.value
        if (!dispatchingStatuses.includes(delivery.status)) return yield* new DeliveryStepRefused({ action: "assign", status: delivery.status })
        const order = yield* orderOf(delivery)
        const at = yield* now
        const active = yield* deliveries.activeOf(driverId)
        if (Option.isSome(active)) return yield* new DriverBusy({ deliveryId: active.value.id })
        const verdict = eligibility({
          // Reached by phone: his status and position are not the admin's concern.
          online: true,
          locationAtMs: at.getTime(),
          hasActiveDelivery: false,
          kycStatus: yield* kyc.statusOf(driverId as UserId),
          vehicle: driver.value.vehicle,
          cashInHandXof: (yield* ledger.cashHeldBy([driverId])).get(driverId) ?? xof(0)
        }, { load: deliveryLoadOf(order.lines), paymentMethod: order.paymentMethod, totalXof: order.totals.totalXof }, driverPolicy, at.getTime())
        if (verdict._tag === "Ineligible") return yield* new DriverNotAssignable({ reason: verdict.reason })
        const offers = yield* deliveries.offersOf(delivery.id)
        const open = offers.filter((offer) => offer.status === "open").map((offer): Offer => ({ ...offer, status: "withdrawn", answeredAt: at }))
        if (open.length > 0) yield* deliveries.updateOffers(open)
        const assigned: Delivery = { ...delivery, status: "assigned", driverId, assignedAt: at, nextRetryAt: null, unassignedSince: null, updatedAt: at }
        yield* deliveries.update(assigned)
        yield* outbox.append(yield* assignedEvents(assigned, driver.value.vehicle, at))
        yield* transactional.afterCommit(followTrail(driverId, assigned.id))
        yield* tell.deliveryChanged(driverId, assigned.id)
        yield* tell.offersChanged(open.map((offer) => offer.driverId))
        yield* Effect.logInfo("delivery assigned by an admin").pipe(Effect.annotateLogs({ deliveryId, driverId, admin: admin.userId }))
        return assigned
      }))
      return yield* detailsOf(updated)
    }),

    /**
     * What an order's tracking shows of its delivery (null before it has one): its driver once
     * assigned, and to the order's customer only, while the driver holds it, his live position and
     * the estimated arrival.
     */
    trackingOf: Effect.fn("Deliveries.trackingOf")(function*(order: Order, forCustomer: boolean) {
      const found = yield* deliveries.findByOrder(order.id)
      if (Option.isNone(found)) return null
      const delivery = found.value
      if (delivery.driverId === null) return { status: delivery.status, driver: null, position: null, etaAt: null } satisfies DeliveryTracking
      const [driver, person, position] = yield* Effect.all([
        drivers.findById(delivery.driverId),
        personOf(delivery.driverId),
        forCustomer && activeDeliveryStatuses.includes(delivery.status) ? positions.positionOf(delivery.driverId) : Effect.succeed(Option.none())
      ], { concurrency: "unbounded" })
      const shown = Option.getOrNull(position)
      return {
        status: delivery.status,
        driver: Option.match(driver, {
          onNone: () => null,
          onSome: (found) => ({
            firstName: Option.match(person, { onNone: () => "", onSome: (user) => firstNameOf(user.fullName) }),
            vehicle: found.vehicle,
            rating: averageStars(found.ratingSum, found.ratingCount),
            maskedPhone: Option.match(person, { onNone: () => "", onSome: (user) => maskedPhone(user.phone) })
          })
        }),
        position: shown === null ? null : { location: shown.location, headingDeg: shown.headingDeg, recordedAt: shown.recordedAt },
        etaAt: shown === null ? null : arrivalEstimate({
          driverAt: shown.location,
          pickup: order.pickup.location,
          destination: order.destination.location,
          pickedUp: delivery.status !== "assigned",
          nowMs: yield* Clock.currentTimeMillis
        }, policy)
      } satisfies DeliveryTracking
    }),

    /** The driver's day for his profile: cash held, acceptance over the recent offers, deliveries today. */
    statsOf: Effect.fn("Deliveries.statsOf")(function*(driverId: string) {
      const at = yield* now
      const [cashHeld, recent, deliveredToday] = yield* Effect.all([
        ledger.cashHeldBy([driverId]),
        deliveries.recentAnswers([driverId], policy.matching.recentOffersWindow),
        // Abidjan is on UTC all year: its day starts at midnight UTC.
        deliveries.deliveredCount(driverId, unixDayStart(at))
      ], { concurrency: "unbounded" })
      const offers = recentOffersOf(recent.get(driverId) ?? [])
      return {
        cashHeldXof: cashHeld.get(driverId) ?? 0,
        cashCapXof: driverPolicy.cashInHandCapXof,
        acceptanceRate: offers.offered > 0 ? offers.accepted / offers.offered : null,
        completionRate: offers.accepted > 0 ? offers.completed / offers.accepted : null,
        deliveredToday
      }
    })
  }
})

export class Deliveries extends Context.Service<Deliveries>()("nelo/deliveries/Deliveries", { make: makeDeliveries }) {
  static readonly layer = Layer.effect(Deliveries, Deliveries.make)
}
