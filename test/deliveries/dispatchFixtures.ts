import { assert } from "@effect/vitest"
import { Clock, Effect, Layer, Option } from "effect"
import { DeliveryRepositoryMemory } from "@nelo/adapters/memory/DeliveryRepositoryMemory"
import { DispatchTimersMemory } from "@nelo/adapters/memory/DispatchTimersMemory"
import { DriverFeedMemory } from "@nelo/adapters/memory/DriverFeedMemory"
import { DriverRepositoryMemory } from "@nelo/adapters/memory/DriverRepositoryMemory"
import { LivePositionsMemory } from "@nelo/adapters/memory/LivePositionsMemory"
import { RatingRepositoryMemory } from "@nelo/adapters/memory/RatingRepositoryMemory"
import { Deliveries } from "@nelo/domain/deliveries/Deliveries"
import { DeliveryRepository } from "@nelo/domain/deliveries/DeliveryRepository"
import { Dispatch } from "@nelo/domain/deliveries/Dispatch"
import { DispatchPolicy, type DispatchPolicyNumbers, defaultDispatchPolicy } from "@nelo/domain/deliveries/DispatchPolicy"
import { DriverPolicy } from "@nelo/domain/deliveries/DriverPolicy"
import { Drivers } from "@nelo/domain/deliveries/Drivers"
import { Ratings } from "@nelo/domain/deliveries/Ratings"
import type { Vehicle } from "@nelo/domain/deliveries/Vehicle"
import type { EventOf } from "@nelo/domain/events/DomainEvent"
import { OutboxStore } from "@nelo/domain/events/OutboxStore"
import type { GeoPoint } from "@nelo/domain/geo/GeoPoint"
import { ZoneRepository } from "@nelo/domain/geo/ZoneRepository"
import type { Order, PaymentMethod } from "@nelo/domain/orders/Order"
import { Orders } from "@nelo/domain/orders/Orders"
import { makeCreateUser } from "@nelo/domain/users/createUser"
import { KycRepository } from "@nelo/domain/users/KycRepository"
import type { Phone } from "@nelo/domain/shared/Phone"
import { customer, ordersContext, restaurant, townCentre } from "../orders/ordersFixtures.ts"

/**
 * Dispatch on the memory adapters: the orders context (orders, ledger, catalogue, users) and the
 * deliveries' own ports, the wake-ups kept and never fired (a test moves its clock and advances).
 */
export const dispatchContext = (policy: Partial<DispatchPolicyNumbers> = {}) =>
  Layer.mergeAll(Drivers.layer, Deliveries.layer, Dispatch.layer, Ratings.layer).pipe(
    Layer.provideMerge(Layer.mergeAll(
      DriverRepositoryMemory,
      DeliveryRepositoryMemory,
      RatingRepositoryMemory,
      LivePositionsMemory,
      DispatchTimersMemory,
      DriverFeedMemory,
      DriverPolicy.defaults,
      Layer.succeed(DispatchPolicy, { ...defaultDispatchPolicy, ...policy })
    )),
    Layer.provideMerge(ordersContext())
  )

let phones = 0
const nextPhone = () => `+22501${String(20_000_000 + phones++).padStart(8, "0")}` as Phone

/** A point `metersEast` of the town centre (a degree of longitude is about 110.6 km at Tiassalé). */
export const eastOfCentre = (metersEast: number): GeoPoint => ({ lat: townCentre.lat, lng: townCentre.lng + metersEast / 110_600 })

/** A driver registered, KYC approved, who sent a position `metersEast` of the town centre just now and went online. */
export const onlineDriver = (metersEast: number, options: { readonly vehicle?: Vehicle; readonly fullName?: string } = {}) =>
  Effect.gen(function*() {
    const user = yield* (yield* makeCreateUser)({ phone: nextPhone(), fullName: options.fullName ?? "Koffi Yao", language: "fr", roles: ["client"], referredBy: null, passwordHash: null, createdAt: new Date(0) })
    const zone = Option.getOrThrow(yield* (yield* ZoneRepository).zoneAt(townCentre))
    const viewer = { userId: user.id, roles: user.roles }
    const drivers = yield* Drivers
    yield* drivers.register(viewer, { vehicle: options.vehicle ?? "motorbike", plate: null, zoneId: zone.zoneId })
    const kyc = yield* KycRepository
    yield* kyc.addDocument({ id: crypto.randomUUID(), userId: user.id, type: "driving_licence", storageKey: `kyc/${user.id}/licence.pdf`, contentType: "application/pdf", sizeBytes: 1_000, uploadedAt: new Date(0) })
    yield* kyc.review(user.id, { status: "approved" }, new Date(0))
    yield* sendPosition(viewer, metersEast)
    yield* drivers.setStatus(viewer, "online")
    return { ...viewer, phone: user.phone }
  })

/** The driver's phone sends where it is now. */
export const sendPosition = (viewer: { readonly userId: string; readonly roles: ReadonlyArray<string> }, metersEast: number) =>
  Effect.gen(function*() {
    const location = eastOfCentre(metersEast)
    const now = new Date(yield* Clock.currentTimeMillis)
    yield* (yield* Drivers).updateLocation(viewer as never, [{ lat: location.lat, lng: location.lng, accuracyM: 10, headingDeg: null, speedMps: null, recordedAt: now }])
  })

/**
 * An order from the town-centre restaurant, placed by a new customer and confirmed with
 * `preparationMinutes`, and the `order.confirmed` event the outbox holds for it.
 */
export const confirmedOrder = (options: { readonly paymentMethod?: PaymentMethod; readonly preparationMinutes?: number; readonly gas?: boolean } = {}) =>
  Effect.gen(function*() {
    const paymentMethod = options.paymentMethod ?? "wallet"
    const buyer = yield* customer(paymentMethod === "wallet" ? 50_000 : 0)
    const place = yield* restaurant()
    const orders = yield* Orders
    const placed = yield* orders.place(buyer.id, {
      providerId: place.provider.id,
      items: options.gas === true ? [{ gasProductId: place.gasId, quantity: 1, sale: "refill" }] : [{ productId: place.garbaId, quantity: 2, options: ["size-large"] }],
      addressId: buyer.addressId,
      promoCode: null,
      paymentMethod,
      note: null,
      pin: paymentMethod === "wallet" ? buyer.pin : null,
      idempotencyKey: `dispatch-order-${crypto.randomUUID()}`
    } as never)
    const confirmed = yield* orders.confirm(place.owner, placed.id, options.preparationMinutes ?? 10)
    return { order: confirmed, event: yield* confirmedEventOf(confirmed), customer: buyer, place }
  })

/** The `order.confirmed` event written with the order's confirmation. */
export const confirmedEventOf = (order: Order) =>
  Effect.gen(function*() {
    const events = yield* (yield* OutboxStore).withClaim(10_000, (batch) => Effect.succeed(batch.events))
    const found = (events ?? []).find((event) => event.aggregateId === order.id && event.type === "order.confirmed")
    if (found === undefined) return yield* Effect.die(new Error(`no order.confirmed event for ${order.id}`))
    return { ...found, payload: found.payload } as unknown as EventOf<"order.confirmed">
  })

/** The events the outbox holds about one aggregate (a delivery, an order, a driver). */
export const eventsAbout = (aggregateId: string) =>
  Effect.gen(function*() {
    const events = yield* (yield* OutboxStore).withClaim(10_000, (batch) => Effect.succeed(batch.events))
    return (events ?? []).filter((event) => event.aggregateId === aggregateId)
  })

/**
 * A confirmed order (confirmedOrder's answer, or one like it) delivered by `driver`: dispatch offers
 * it (he must be among those offered), he accepts, the provider prepares it, he picks it up, rides
 * and hands it over with the customer's code (and, for a cash order, its total in cash). Answers the
 * placed order's fields with the order and the delivery as they ended.
 */
export const deliverOrder = <Placed extends { readonly order: Order; readonly event: EventOf<"order.confirmed">; readonly place: { readonly owner: { readonly userId: string; readonly roles: ReadonlyArray<string> } } }>(
  placed: Placed,
  driver: { readonly userId: string }
) =>
  Effect.gen(function*() {
    const dispatch = yield* Dispatch
    const deliveries = yield* Deliveries
    const repository = yield* DeliveryRepository
    yield* dispatch.open(placed.event)
    const delivery = Option.getOrThrow(yield* repository.findByOrder(placed.order.id))
    const offer = (yield* repository.offersOf(delivery.id)).find((candidate) => candidate.driverId === driver.userId)
    assert.isDefined(offer, "the driver is offered the order")
    yield* dispatch.accept(driver.userId, offer!.id)
    const orders = yield* Orders
    yield* orders.startPreparing(placed.place.owner as never, placed.order.id)
    yield* orders.markReady(placed.place.owner as never, placed.order.id)
    yield* deliveries.pickUp(driver.userId, delivery.id)
    yield* deliveries.start(driver.userId, delivery.id)
    const cash = placed.order.paymentMethod === "cash" ? placed.order.totals.totalXof : null
    const done = yield* deliveries.complete(driver.userId, delivery.id, placed.order.deliveryCode, cash)
    assert.strictEqual(done.order.status, "delivered")
    return { ...placed, order: done.order, delivery: done.delivery }
  })
