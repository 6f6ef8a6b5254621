import { assert, layer } from "@effect/vitest"
import { recentOffersOf, trailingTimeoutsOf, type OfferAnswer } from "@nelo/domain/deliveries/matchingFactors"
import { Effect, type Layer, Option } from "effect"
import type { ProviderRepository } from "@nelo/domain/catalogue/ProviderRepository"
import type { Delivery, DeliveryStatus } from "@nelo/domain/deliveries/Delivery"
import { DeliveryRepository } from "@nelo/domain/deliveries/DeliveryRepository"
import type { DriverRepository } from "@nelo/domain/deliveries/DriverRepository"
import type { Offer } from "@nelo/domain/deliveries/Offer"
import type { ZoneRepository } from "@nelo/domain/geo/ZoneRepository"
import type { Order } from "@nelo/domain/orders/Order"
import type { OrderRepository } from "@nelo/domain/orders/OrderRepository"
import { Transactional } from "@nelo/domain/shared/Transactional"
import { xof } from "@nelo/domain/shared/Xof"
import type { UserRepository } from "@nelo/domain/users/UserRepository"
import { makeOrder, newParties, place } from "../../orders/contracts/orderRepositoryContract.ts"
import { nextId } from "../../wallet/contracts/ledgerContract.ts"
import { aRegisteredDriver, secondLockWaitsForFirst } from "./driverRepositoryContract.ts"

const now = () => new Date(Math.floor(Date.now() / 1_000) * 1_000)
const plus = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1_000)

/** A placed order: the Postgres store's foreign keys want it (and its customer and provider). */
const anOrder = Effect.gen(function*() {
  const { customerId, providerId } = yield* newParties
  const order = makeOrder(customerId, providerId)
  yield* place(order)
  return order
})

/** A new driver's user id (registered: offers and deliveries name him). */
const aDriverId = Effect.map(aRegisteredDriver, (driver) => driver.userId)

/** The delivery of an order as dispatch starts it: searching, no driver, nothing happened yet. */
const makeDelivery = (order: Order, overrides: Partial<Delivery> = {}): Delivery => {
  const at = now()
  return {
    id: nextId(),
    orderId: order.id,
    providerId: order.providerId,
    customerId: order.customerId,
    status: "searching",
    driverId: null,
    dispatchAt: plus(at, 600),
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
    updatedAt: at,
    ...overrides
  }
}

/** A new order's delivery, created. */
const aDelivery = (overrides: Partial<Delivery> = {}) =>
  Effect.gen(function*() {
    const delivery = makeDelivery(yield* anOrder, overrides)
    const outcome = yield* (yield* DeliveryRepository).create(delivery)
    assert.strictEqual(outcome._tag, "Created")
    return delivery
  })

/** An open offer of the delivery to the driver, sent now (or at `createdAt`). */
const makeOffer = (delivery: Delivery, driverId: string, overrides: Partial<Offer> = {}): Offer => {
  const createdAt = overrides.createdAt ?? now()
  return {
    id: nextId(),
    deliveryId: delivery.id,
    driverId,
    batch: 1,
    status: "open",
    rejectReason: null,
    distanceToPickupM: 850,
    score: 0.7315,
    factors: { proximity: 0.8, availability: 0.25, rating: 0.9, vehicle: 1, history: 0.5 },
    createdAt,
    expiresAt: plus(createdAt, 30),
    answeredAt: null,
    ...overrides
  }
}

const malformed = ["not-a-uuid", "", "'; DROP TABLE deliveries.deliveries; --"]

const ids = (found: ReadonlyArray<{ readonly id: string }>) => found.map((each) => each.id)

/** One suite, run against every DeliveryRepository adapter (with the orders, users, providers and drivers its rows name). */
export const deliveryRepositoryContract = (
  name: string,
  repositoryLayer: Layer.Layer<
    DeliveryRepository | DriverRepository | OrderRepository | UserRepository | ProviderRepository | ZoneRepository | Transactional,
    unknown
  >
) =>
  layer(repositoryLayer, { excludeTestServices: true })(`DeliveryRepository contract: ${name}`, (it) => {
    it.effect("create writes the delivery; a second create for its order is Exists with the first and writes nothing; found by id and order", () =>
      Effect.gen(function*() {
        const deliveries = yield* DeliveryRepository
        const order = yield* anOrder
        const delivery = makeDelivery(order)
        assert.deepStrictEqual(yield* deliveries.create(delivery), { _tag: "Created", delivery })
        const again = makeDelivery(order, { dispatchAt: plus(delivery.dispatchAt, 60) })
        assert.deepStrictEqual(yield* deliveries.create(again), { _tag: "Exists", delivery })
        assert.isTrue(Option.isNone(yield* deliveries.findById(again.id)))

        assert.deepStrictEqual(yield* deliveries.findById(delivery.id), Option.some(delivery))
        assert.deepStrictEqual(yield* deliveries.findById(delivery.id.toUpperCase()), Option.some(delivery))
        assert.deepStrictEqual(yield* deliveries.findByOrder(order.id), Option.some(delivery))
        assert.deepStrictEqual(yield* deliveries.lock(delivery.id), Option.some(delivery))
        assert.deepStrictEqual(yield* (yield* Transactional).run(deliveries.lock(delivery.id)), Option.some(delivery))
        for (const unknown of [nextId(), ...malformed]) {
          assert.isTrue(Option.isNone(yield* deliveries.findById(unknown)))
          assert.isTrue(Option.isNone(yield* deliveries.findByOrder(unknown)))
          assert.isTrue(Option.isNone(yield* deliveries.lock(unknown)))
        }
      }))

    it.effect("concurrent creates for one order, each in its own transaction, make one delivery; the others find it", () =>
      Effect.gen(function*() {
        const deliveries = yield* DeliveryRepository
        const transactional = yield* Transactional
        const order = yield* anOrder
        const attempts = Array.from({ length: 10 }, () => makeDelivery(order))
        const outcomes = yield* Effect.forEach(attempts, (delivery) => transactional.run(deliveries.create(delivery)), { concurrency: "unbounded" })
        const created = outcomes.filter((outcome) => outcome._tag === "Created")
        assert.lengthOf(created, 1)
        for (const outcome of outcomes) assert.deepStrictEqual(outcome.delivery, created[0]!.delivery)
        assert.deepStrictEqual(yield* deliveries.findByOrder(order.id), Option.some(created[0]!.delivery))
      }))

    it.effect("update writes every field a change may change (dates, nulls, cash, failure), never the order, its parties or the creation; taken back with its transaction", () =>
      Effect.gen(function*() {
        const deliveries = yield* DeliveryRepository
        const driverId = yield* aDriverId
        const delivery = yield* aDelivery()
        const at = delivery.createdAt
        const changed: Delivery = {
          ...delivery,
          status: "failed",
          driverId,
          dispatchAt: plus(at, 120),
          progress: { radiusIndex: 2, batchesInRadius: 1, batchCount: 5, roundStartedAt: plus(at, 130) },
          unassignedSince: plus(at, 140),
          nextRetryAt: plus(at, 150),
          wrongCodeAttempts: 3,
          completionLockedAt: plus(at, 160),
          cashCollectedXof: xof(Number.MAX_SAFE_INTEGER),
          failure: { reason: "customer_absent", note: "Personne au portail, téléphone éteint" },
          assignedAt: plus(at, 170),
          pickedUpAt: plus(at, 180),
          deliveredAt: plus(at, 190),
          updatedAt: plus(at, 200)
        }
        yield* deliveries.update({ ...changed, orderId: nextId(), providerId: nextId(), customerId: nextId(), createdAt: plus(at, 1_000) })
        assert.deepStrictEqual(yield* deliveries.findById(delivery.id), Option.some(changed))

        // A failure without a note, then every optional field back to null.
        const noNote: Delivery = { ...changed, failure: { reason: "other", note: null }, cashCollectedXof: xof(0) }
        yield* deliveries.update(noNote)
        assert.deepStrictEqual(yield* deliveries.findById(delivery.id), Option.some(noNote))
        const cleared: Delivery = {
          ...delivery,
          status: "unassigned",
          progress: { radiusIndex: 3, batchesInRadius: 2, batchCount: 7, roundStartedAt: null },
          updatedAt: plus(at, 300)
        }
        yield* deliveries.update(cleared)
        assert.deepStrictEqual(yield* deliveries.findById(delivery.id), Option.some(cleared))

        const failed = yield* Effect.flip((yield* Transactional).run(Effect.andThen(deliveries.update({ ...cleared, status: "cancelled" }), Effect.fail("rolled back" as const))))
        assert.strictEqual(failed, "rolled back")
        assert.deepStrictEqual(yield* deliveries.findById(delivery.id), Option.some(cleared))
      }))

    it.effect("lock: of two transactions locking one delivery, the second waits until the first commits and sees its write", () =>
      Effect.gen(function*() {
        const deliveries = yield* DeliveryRepository
        const driverId = yield* aDriverId
        const delivery = yield* aDelivery()
        const assigned: Delivery = { ...delivery, status: "assigned", driverId, assignedAt: plus(delivery.createdAt, 60), updatedAt: plus(delivery.createdAt, 60) }
        const seen = yield* secondLockWaitsForFirst({
          lock: deliveries.lock(delivery.id),
          write: deliveries.update(assigned),
          seenWritten: (found) => Option.getOrThrow(found)
        })
        assert.deepStrictEqual(seen, assigned)
      }))

    it.effect("activeOf and withActiveDelivery: the delivery a driver holds (assigned, picked up, delivering), not a finished or searching one", () =>
      Effect.gen(function*() {
        const deliveries = yield* DeliveryRepository
        const [assignedDriver, pickedUpDriver, deliveringDriver, finishedDriver, idleDriver] = yield* Effect.forEach(Array.from({ length: 5 }), () => aDriverId)
        const held = new Map<string, Delivery>()
        for (const [driverId, status] of [[assignedDriver, "assigned"], [pickedUpDriver, "picked_up"], [deliveringDriver, "delivering"]] as const) {
          held.set(driverId!, yield* aDelivery({ status, driverId: driverId! }))
        }
        for (const status of ["delivered", "failed", "cancelled"] as const) yield* aDelivery({ status, driverId: finishedDriver! })
        for (const [driverId, delivery] of held) assert.deepStrictEqual(yield* deliveries.activeOf(driverId), Option.some(delivery))
        for (const driverId of [finishedDriver!, idleDriver!, nextId(), ...malformed]) assert.isTrue(Option.isNone(yield* deliveries.activeOf(driverId)))

        const asked = [assignedDriver!, finishedDriver!, pickedUpDriver!.toUpperCase(), idleDriver!, deliveringDriver!, nextId(), "garbage"]
        assert.deepStrictEqual(yield* deliveries.withActiveDelivery(asked), new Set([assignedDriver!, pickedUpDriver!.toUpperCase(), deliveringDriver!]))
        assert.deepStrictEqual(yield* deliveries.withActiveDelivery([]), new Set())
        assert.deepStrictEqual(yield* deliveries.withActiveDelivery(["garbage"]), new Set())
      }))

    it.effect("the store refuses a second active delivery for one driver, by create or by update, and writes nothing", () =>
      Effect.gen(function*() {
        const deliveries = yield* DeliveryRepository
        const driverId = yield* aDriverId
        const first = yield* aDelivery({ status: "picked_up", driverId })
        const second = makeDelivery(yield* anOrder, { status: "assigned", driverId })
        assert.strictEqual((yield* Effect.flip(deliveries.create(second)))._tag, "DeliveriesUnavailable")
        assert.isTrue(Option.isNone(yield* deliveries.findById(second.id)))

        const searching = yield* aDelivery()
        assert.strictEqual((yield* Effect.flip(deliveries.update({ ...searching, status: "assigned", driverId })))._tag, "DeliveriesUnavailable")
        assert.deepStrictEqual(yield* deliveries.findById(searching.id), Option.some(searching))
        assert.deepStrictEqual(yield* deliveries.activeOf(driverId), Option.some(first))

        // Once the first is handed over, he may take another.
        yield* deliveries.update({ ...first, status: "delivered", deliveredAt: now() })
        const next: Delivery = { ...searching, status: "assigned", driverId }
        yield* deliveries.update(next)
        assert.deepStrictEqual(yield* deliveries.activeOf(driverId), Option.some(next))
      }))

    it.effect("list: newest first by id, the statuses asked, strictly before the cursor, at most the limit", () =>
      Effect.gen(function*() {
        const deliveries = yield* DeliveryRepository
        const driverId = yield* aDriverId
        const statuses: ReadonlyArray<DeliveryStatus> = ["searching", "unassigned", "searching", "delivered", "cancelled", "unassigned"]
        const created: Array<Delivery> = []
        for (const status of statuses) created.push(yield* aDelivery({ status, driverId: status === "delivered" ? driverId : null }))
        const newestFirst = ids(created).reverse()
        const mine = (found: ReadonlyArray<Delivery>) => ids(found).filter((id) => newestFirst.includes(id))
        const list = (statuses: ReadonlyArray<DeliveryStatus> | null, beforeId: string | null, limit = 10_000) => deliveries.list({ statuses, beforeId, limit })

        const all = yield* list(null, null)
        assert.deepStrictEqual(mine(all), newestFirst)
        assert.deepStrictEqual(ids(all), [...ids(all)].sort().reverse(), "ids descending")
        const dispatching = yield* list(["searching", "unassigned"], null)
        assert.isTrue(dispatching.every((delivery) => delivery.status === "searching" || delivery.status === "unassigned"))
        assert.deepStrictEqual(mine(dispatching), ids(created.filter((delivery) => delivery.status === "searching" || delivery.status === "unassigned")).reverse())
        assert.deepStrictEqual(mine(yield* list(["delivered"], null)), [created[3]!.id])
        assert.deepStrictEqual(mine(yield* list(null, created[3]!.id)), ids(created.slice(0, 3)).reverse())
        assert.deepStrictEqual(mine(yield* list(["unassigned"], created[5]!.id)), [created[1]!.id])
        const page = yield* list(null, created[5]!.id, 2)
        assert.lengthOf(page, 2)
        assert.isTrue(page.every((delivery) => delivery.id < created[5]!.id))
        assert.deepStrictEqual(yield* list(null, null, 0), [])
        assert.deepStrictEqual(yield* list([], null), [])
        assert.deepStrictEqual(yield* list(null, "garbage"), [])
        assert.deepStrictEqual((yield* list(null, null, 1)).length, 1)
      }))

    it.effect("deliveredCount: the driver's deliveries handed over since the time given (from it on), not failed ones nor others'", () =>
      Effect.gen(function*() {
        const deliveries = yield* DeliveryRepository
        const [driverId, otherId] = yield* Effect.forEach([1, 2], () => aDriverId)
        const at = now()
        yield* aDelivery({ status: "delivered", driverId: driverId!, deliveredAt: plus(at, -7_200) })
        yield* aDelivery({ status: "delivered", driverId: driverId!, deliveredAt: plus(at, -60) })
        yield* aDelivery({ status: "delivered", driverId: driverId!, deliveredAt: at })
        yield* aDelivery({ status: "failed", driverId: driverId!, deliveredAt: null, failure: { reason: "refused", note: null } })
        yield* aDelivery({ status: "delivered", driverId: otherId!, deliveredAt: at })
        assert.strictEqual(yield* deliveries.deliveredCount(driverId!, plus(at, -86_400)), 3)
        assert.strictEqual(yield* deliveries.deliveredCount(driverId!, plus(at, -60)), 2)
        assert.strictEqual(yield* deliveries.deliveredCount(driverId!, at), 1)
        assert.strictEqual(yield* deliveries.deliveredCount(driverId!, plus(at, 1)), 0)
        assert.strictEqual(yield* deliveries.deliveredCount(otherId!, plus(at, -86_400)), 1)
        assert.strictEqual(yield* deliveries.deliveredCount(nextId(), plus(at, -86_400)), 0)
        assert.strictEqual(yield* deliveries.deliveredCount("garbage", plus(at, -86_400)), 0)
      }))

    it.effect("insertOffers writes a batch; offersOf reads a delivery's oldest first; findOffer finds one by id", () =>
      Effect.gen(function*() {
        const deliveries = yield* DeliveryRepository
        const [first, second, third] = yield* Effect.forEach([1, 2, 3], () => aDriverId)
        const delivery = yield* aDelivery()
        const other = yield* aDelivery()
        const at = now()
        const batchOne = [makeOffer(delivery, second!, { createdAt: plus(at, 1), score: 0.5 }), makeOffer(delivery, first!, { createdAt: at, score: 1, distanceToPickupM: 0 })]
        const batchTwo = [makeOffer(delivery, third!, { batch: 2, createdAt: plus(at, 40), status: "rejected", rejectReason: "Trop loin", answeredAt: plus(at, 45) })]
        const elsewhere = makeOffer(other, first!, { createdAt: plus(at, 2) })
        yield* deliveries.insertOffers(batchOne)
        yield* deliveries.insertOffers([...batchTwo, elsewhere])
        yield* deliveries.insertOffers([])
        assert.deepStrictEqual(yield* deliveries.offersOf(delivery.id), [batchOne[1]!, batchOne[0]!, batchTwo[0]!])
        assert.deepStrictEqual(yield* deliveries.offersOf(other.id), [elsewhere])
        assert.deepStrictEqual(yield* deliveries.findOffer(batchTwo[0]!.id), Option.some(batchTwo[0]!))
        assert.deepStrictEqual(yield* deliveries.findOffer(batchOne[0]!.id.toUpperCase()), Option.some(batchOne[0]!))
        for (const unknown of [nextId(), ...malformed]) {
          assert.isTrue(Option.isNone(yield* deliveries.findOffer(unknown)))
          assert.deepStrictEqual(yield* deliveries.offersOf(unknown), [])
        }
        // Taken back with its transaction.
        const rolledBack = makeOffer(other, second!)
        assert.strictEqual(yield* Effect.flip((yield* Transactional).run(Effect.andThen(deliveries.insertOffers([rolledBack]), Effect.fail("rolled back" as const)))), "rolled back")
        assert.isTrue(Option.isNone(yield* deliveries.findOffer(rolledBack.id)))
      }))

    it.effect("updateOffers writes the answers (status, reason, when) and nothing else; unknown offers change nothing; taken back with its transaction", () =>
      Effect.gen(function*() {
        const deliveries = yield* DeliveryRepository
        const [first, second, third] = yield* Effect.forEach([1, 2, 3], () => aDriverId)
        const delivery = yield* aDelivery()
        const at = now()
        const offers = [makeOffer(delivery, first!, { createdAt: at }), makeOffer(delivery, second!, { createdAt: plus(at, 1) }), makeOffer(delivery, third!, { createdAt: plus(at, 2) })]
        yield* deliveries.insertOffers(offers)
        const rejected: Offer = { ...offers[0]!, status: "rejected", rejectReason: "Pneu crevé", answeredAt: plus(at, 10) }
        const expired: Offer = { ...offers[1]!, status: "expired", answeredAt: plus(at, 30) }
        yield* deliveries.updateOffers([
          { ...rejected, score: 0.1, distanceToPickupM: 1, batch: 9, expiresAt: plus(at, 999) },
          { ...expired, factors: { proximity: 0, availability: 0, rating: 0, vehicle: 0, history: 0 } },
          makeOffer(delivery, first!, { status: "rejected" })
        ])
        yield* deliveries.updateOffers([])
        assert.deepStrictEqual(yield* deliveries.offersOf(delivery.id), [rejected, expired, offers[2]!])

        // A rejected offer's reason back to null, and accepted, then withdrawn.
        const accepted: Offer = { ...offers[2]!, status: "accepted", answeredAt: plus(at, 20) }
        const withdrawn: Offer = { ...rejected, status: "withdrawn", rejectReason: null, answeredAt: plus(at, 20) }
        yield* deliveries.updateOffers([accepted, withdrawn])
        assert.deepStrictEqual(yield* deliveries.offersOf(delivery.id), [withdrawn, expired, accepted])

        const failed = yield* Effect.flip((yield* Transactional).run(Effect.andThen(deliveries.updateOffers([{ ...accepted, status: "released" }]), Effect.fail("rolled back" as const))))
        assert.strictEqual(failed, "rolled back")
        assert.deepStrictEqual(yield* deliveries.findOffer(accepted.id), Option.some(accepted))
      }))

    it.effect("the store refuses a second accepted offer of one delivery, and writes nothing", () =>
      Effect.gen(function*() {
        const deliveries = yield* DeliveryRepository
        const [first, second] = yield* Effect.forEach([1, 2], () => aDriverId)
        const delivery = yield* aDelivery()
        const offers = [makeOffer(delivery, first!), makeOffer(delivery, second!)]
        yield* deliveries.insertOffers(offers)
        const accepted: Offer = { ...offers[0]!, status: "accepted", answeredAt: now() }
        yield* deliveries.updateOffers([accepted])
        assert.strictEqual((yield* Effect.flip(deliveries.updateOffers([{ ...offers[1]!, status: "accepted", answeredAt: now() }])))._tag, "DeliveriesUnavailable")
        assert.deepStrictEqual(yield* deliveries.offersOf(delivery.id), [accepted, offers[1]!])
        const third = makeOffer(delivery, second!, { batch: 2, status: "accepted" })
        assert.strictEqual((yield* Effect.flip(deliveries.insertOffers([third])))._tag, "DeliveriesUnavailable")
        assert.isTrue(Option.isNone(yield* deliveries.findOffer(third.id)))
      }))

    it.effect("openOffersOf: the driver's offers still open, oldest first, past their time or not", () =>
      Effect.gen(function*() {
        const deliveries = yield* DeliveryRepository
        const [driverId, otherId] = yield* Effect.forEach([1, 2], () => aDriverId)
        const [one, two] = yield* Effect.forEach([1, 2], () => aDelivery())
        const at = now()
        const older = makeOffer(two!, driverId!, { createdAt: plus(at, -3_600), expiresAt: plus(at, -3_570) })
        const newer = makeOffer(one!, driverId!, { createdAt: at })
        const answered = makeOffer(one!, driverId!, { batch: 2, createdAt: plus(at, -60), status: "rejected", answeredAt: plus(at, -50) })
        const others = makeOffer(one!, otherId!, { createdAt: plus(at, -10) })
        yield* deliveries.insertOffers([newer, answered, older, others])
        assert.deepStrictEqual(yield* deliveries.openOffersOf(driverId!), [older, newer])
        assert.deepStrictEqual(yield* deliveries.openOffersOf(otherId!), [others])
        for (const unknown of [nextId(), ...malformed]) assert.deepStrictEqual(yield* deliveries.openOffersOf(unknown), [])
      }))

    it.effect("recentAnswers reads each driver's last offers he answered, newest first: withdrawn and open left out, released accepted but not completed, the window cutting older ones", () =>
      Effect.gen(function*() {
        const deliveries = yield* DeliveryRepository
        // The domain counts what the store reads back (recentOffersOf): the counts below are the store's answers, counted.
        const counted = (answers: ReadonlyMap<string, ReadonlyArray<OfferAnswer>>) => new Map([...answers].map(([id, found]) => [id, recentOffersOf(found)]))
        const recentOffers = (ids: ReadonlyArray<string>, window: number) => Effect.map(deliveries.recentAnswers(ids, window), counted)
        const [driverId, otherId, idleId] = yield* Effect.forEach([1, 2, 3], () => aDriverId)
        const at = now()
        const done = yield* aDelivery({ status: "delivered", driverId: driverId!, deliveredAt: plus(at, 60) })
        const searching = yield* aDelivery()
        const active = yield* aDelivery({ status: "assigned", driverId: driverId! })
        const offer = (delivery: Delivery, status: Offer["status"], second: number, driver = driverId!) =>
          makeOffer(delivery, driver, { status, createdAt: plus(at, second), answeredAt: status === "open" ? null : plus(at, second + 5) })
        yield* deliveries.insertOffers([
          offer(done, "accepted", 1), // completed
          offer(searching, "released", 2), // accepted, handed back
          offer(searching, "rejected", 3, otherId!),
          offer(searching, "rejected", 3),
          offer(searching, "expired", 4),
          offer(searching, "withdrawn", 5), // not counted
          offer(searching, "open", 6), // not counted
          offer(active, "accepted", 7) // accepted, not delivered yet
        ])
        const asked = [driverId!, otherId!, idleId!, nextId(), "garbage"]
        // Newest first: accepted (active, not delivered yet), expired, rejected, released, accepted (delivered).
        assert.deepStrictEqual((yield* deliveries.recentAnswers([driverId!], 10)).get(driverId!), [
          { status: "accepted", delivered: false },
          { status: "expired", delivered: false },
          { status: "rejected", delivered: false },
          { status: "released", delivered: false },
          { status: "accepted", delivered: true }
        ])
        const counts = yield* recentOffers(asked, 10)
        assert.deepStrictEqual(counts, new Map([
          [driverId!, { offered: 5, accepted: 3, completed: 1 }],
          [otherId!, { offered: 1, accepted: 0, completed: 0 }],
          [idleId!, { offered: 0, accepted: 0, completed: 0 }],
          [asked[3]!, { offered: 0, accepted: 0, completed: 0 }],
          ["garbage", { offered: 0, accepted: 0, completed: 0 }]
        ]))
        // The last 3: accepted (active), expired, rejected.
        assert.deepStrictEqual((yield* recentOffers([driverId!], 3)).get(driverId!), { offered: 3, accepted: 1, completed: 0 })
        // The last 4 add the released one.
        assert.deepStrictEqual((yield* recentOffers([driverId!], 4)).get(driverId!), { offered: 4, accepted: 2, completed: 0 })
        assert.deepStrictEqual((yield* recentOffers([driverId!.toUpperCase()], 5)).get(driverId!.toUpperCase()), { offered: 5, accepted: 3, completed: 1 })
        assert.deepStrictEqual(yield* recentOffers([driverId!], 0), new Map([[driverId!, { offered: 0, accepted: 0, completed: 0 }]]))
        assert.deepStrictEqual(yield* recentOffers([], 10), new Map())
      }))

    it.effect("trailing time-outs, counted from recentAnswers: how many of the driver's latest answered offers in a row expired, withdrawn and open ones skipped", () =>
      Effect.gen(function*() {
        const deliveries = yield* DeliveryRepository
        const trailingTimeouts = (driverId: string) => Effect.map(deliveries.recentAnswers([driverId], 1_000), (answers) => trailingTimeoutsOf(answers.get(driverId) ?? []))
        const [driverId, allExpiredId, answeredLastId, idleId] = yield* Effect.forEach([1, 2, 3, 4], () => aDriverId)
        const delivery = yield* aDelivery()
        const at = now()
        const offer = (driver: string, status: Offer["status"], second: number) =>
          makeOffer(delivery, driver, { status, createdAt: plus(at, second), answeredAt: status === "open" ? null : plus(at, second + 5) })
        yield* deliveries.insertOffers([
          offer(driverId!, "expired", 1), // before his last answer: not trailing
          offer(driverId!, "released", 2),
          offer(driverId!, "expired", 3),
          offer(driverId!, "withdrawn", 4), // skipped
          offer(driverId!, "expired", 5),
          offer(driverId!, "open", 6), // skipped
          offer(allExpiredId!, "expired", 1),
          offer(allExpiredId!, "expired", 2),
          offer(allExpiredId!, "expired", 3),
          offer(answeredLastId!, "expired", 1),
          offer(answeredLastId!, "rejected", 2)
        ])
        assert.strictEqual(yield* trailingTimeouts(driverId!), 2)
        assert.strictEqual(yield* trailingTimeouts(allExpiredId!), 3)
        assert.strictEqual(yield* trailingTimeouts(answeredLastId!), 0)
        assert.strictEqual(yield* trailingTimeouts(idleId!), 0)
        assert.strictEqual(yield* trailingTimeouts(nextId()), 0)
        assert.strictEqual(yield* trailingTimeouts("garbage"), 0)

        // An accepted offer older than the expired ones ends the run too.
        const other = yield* aDelivery()
        const acceptedId = yield* aDriverId
        yield* deliveries.insertOffers([
          makeOffer(other, acceptedId, { status: "accepted", createdAt: plus(at, 1), answeredAt: plus(at, 2) }),
          makeOffer(delivery, acceptedId, { status: "expired", createdAt: plus(at, 10), answeredAt: plus(at, 40) }),
          makeOffer(delivery, acceptedId, { status: "expired", createdAt: plus(at, 50), answeredAt: plus(at, 80) })
        ])
        assert.strictEqual(yield* trailingTimeouts(acceptedId), 2)
      }))

    it.effect("appendTrail and trailOf: a delivery's points back in time order, whatever the order written, with their place and accuracy; none for another", () =>
      Effect.gen(function*() {
        const deliveries = yield* DeliveryRepository
        const driverId = yield* aDriverId
        const delivery = yield* aDelivery({ status: "assigned", driverId, assignedAt: now() })
        const other = yield* aDelivery()
        const at = now()
        const point = (seconds: number, lat: number) => ({ deliveryId: delivery.id, driverId, location: { lat, lng: -4.822 }, accuracyM: 12.5, recordedAt: plus(at, seconds) })
        yield* deliveries.appendTrail([point(30, 5.9), point(0, 5.898)])
        yield* deliveries.appendTrail([point(60, 5.901)])
        yield* deliveries.appendTrail([])
        const trail = yield* deliveries.trailOf(delivery.id)
        assert.deepStrictEqual(trail.map((found) => found.recordedAt.getTime()), [0, 30, 60].map((seconds) => plus(at, seconds).getTime()))
        assert.closeTo(trail[0]!.location.lat, 5.898, 1e-6)
        assert.closeTo(trail[0]!.location.lng, -4.822, 1e-6)
        assert.strictEqual(trail[0]!.accuracyM, 12.5)
        assert.strictEqual(trail[0]!.driverId, driverId)
        assert.deepStrictEqual(yield* deliveries.trailOf(other.id), [])
        assert.deepStrictEqual(yield* deliveries.trailOf("garbage"), [])
      }))
  })
