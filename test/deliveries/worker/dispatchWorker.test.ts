import { randomBytes, randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { KycRepositoryPostgres } from "@nelo/adapters/postgres/KycRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import type { UserId } from "@nelo/domain/users/User"
import { KycRepository } from "@nelo/domain/users/KycRepository"
import { WorkerLayer } from "../../../apps/worker/src/WorkerLayer.ts"
import { client } from "../../support/authClient.ts"
import { captureLogs } from "../../support/captureLogs.ts"
import { deleteRedisKeys } from "../../support/globalSetup.ts"
import { isolatedDatabase } from "../../support/isolatedDatabase.ts"
import { type NeloClient, neloClient, problemOf } from "../../support/neloClient.ts"
import { customerOf, garbaItem, ok, type Place, placed, places, restaurantOf, walletOrder } from "../../support/orderClient.ts"
import { adminOf, type Testbed, walletTestbed } from "../../support/walletClient.ts"
import { withEnv } from "../../support/withEnv.ts"

// Once for real through the worker: the API (its real routes on a port) and the worker's layer
// (outbox relay, the dispatch queue's consumer, BullMQ's delayed wake-ups) run against a database
// and a Redis prefix of their own, with offers open 5 s and an unassigned delivery retried every
// 5 s (the smallest values the config accepts). Drivers, customer, provider and admin act over HTTP.
//
// The cascade: an order confirmed is offered to the two drivers around the provider; one declines,
// the other lets it time out: the worker's wake-up expires his offer, finds nobody else at any
// radius and leaves the delivery unassigned (the admins' list shows it). A third driver comes
// online: the worker's retry offers it to him (and again to the one who only let it time out, never
// to the one who declined); he accepts, the delivery is his, and the customer is told by the worker.
// The cancellation: the customer cancels while the offers are out; the worker withdraws them.

const offerTimeoutMs = 5_000
const retryIntervalMs = 5_000

interface DispatchBed extends Testbed {
  /** What the worker logged. */
  readonly workerLogs: ReturnType<typeof captureLogs>["lines"]
}

class Bed extends Context.Service<Bed, DispatchBed>()("test/dispatchWorker/Bed") {}

const BedLayer = Layer.unwrap(Effect.gen(function*() {
  const databaseUrl = yield* isolatedDatabase("dispatch_worker")
  const prefix = `nelo-test-dispatch-${randomBytes(4).toString("hex")}`
  yield* Effect.addFinalizer(() => Effect.promise(() => deleteRedisKeys(prefix)))
  const overrides = {
    DATABASE_URL: databaseUrl,
    REDIS_KEY_PREFIX: prefix,
    DISPATCH_OFFER_TIMEOUT_MS: String(offerTimeoutMs),
    DISPATCH_RETRY_INTERVAL_MS: String(retryIntervalMs),
    OUTBOX_POLL_INTERVAL_MS: "50",
    JOB_BACKOFF_MS: "100"
  }
  const env = withEnv(overrides)
  // fresh: the pool of this file's own database, never a memoized one of the run's.
  const postgres = Layer.fresh(PostgresLayer).pipe(Layer.provide(env))
  return Layer.effect(Bed, Effect.gen(function*() {
    yield* seedCity(tiassale).pipe(Effect.provide(ZoneRepositoryPostgres))
    const testbed = yield* walletTestbed(overrides)
    const logs = captureLogs()
    yield* Layer.build(WorkerLayer.pipe(Layer.provide(Layer.fresh(PostgresLayer)), Layer.provide(env), Layer.provide(logs.layer)))
    return { ...testbed, workerLogs: logs.lines }
  })).pipe(Layer.provideMerge(KycRepositoryPostgres), Layer.provideMerge(postgres))
}))

/**
 * Polls `read` every 200 ms until `check` holds, for at most `timeoutMs` (generous: two cores, maybe
 * busy); fails the test with `what` and the last value seen otherwise.
 */
const waitFor = <A, E, R>(read: Effect.Effect<A, E, R>, check: (value: A) => boolean, what: string, timeoutMs = 20_000) =>
  Effect.gen(function*() {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const value = yield* read
      if (check(value)) return value
      if (Date.now() > deadline) return assert.fail(`${what}: not within ${timeoutMs} ms; last seen ${JSON.stringify(value)}`)
      yield* Effect.sleep("200 millis")
    }
  })

/** A point `metersNorth` and `metersEast` of a place (a degree is about 110.6 km here, both ways). */
const near = (at: Place, metersNorth: number, metersEast: number): Place => ({ lat: at.lat + metersNorth / 110_600, lng: at.lng + metersEast / 110_600 })

/**
 * A driver through the app: signed up, renamed, registered on a motorbike, KYC approved (straight
 * in the store: the approval's path is the drivers' HTTP test's). Not online yet.
 */
const driverAt = (at: Place, fullName: string) =>
  Effect.gen(function*() {
    const bed = yield* Bed
    const { as, registered } = client(bed.api)
    const account = yield* registered()
    const api: NeloClient = as(account.accessToken)
    const userId = account.user.id
    yield* ok(api.users.updateMe({ payload: { fullName } }))
    const zone = yield* ok(as().zones.lookup({ payload: at }))
    yield* ok(api.drivers.register({ payload: { vehicle: "motorbike", plate: "1234 AB 01", zoneId: zone.zone!.id } }))
    const kyc = yield* KycRepository
    yield* kyc.addDocument({ id: randomUUID(), userId: userId as UserId, type: "driving_licence", storageKey: `kyc/${userId}/permis.pdf`, contentType: "application/pdf", sizeBytes: 1_000, uploadedAt: new Date() })
    assert.isTrue(yield* kyc.review(userId as UserId, { status: "approved" }, new Date()))
    /** The phone sends where it is now, and the driver goes online. */
    const goOnline = Effect.gen(function*() {
      yield* ok(api.drivers.location({ payload: { lat: at.lat, lng: at.lng, accuracyM: 8, recordedAt: new Date() } }))
      const profile = yield* ok(api.drivers.status({ payload: { status: "online" } }))
      assert.strictEqual(profile.status, "online")
    })
    const offers = Effect.map(ok(api.drivers.offers()), (view) => view.offers)
    return { userId, fullName, api, goOnline, offers }
  })

type Driver = Effect.Success<ReturnType<typeof driverAt>>

/** The driver's open offer of the order `reference`, waited for. */
const offerOf = (driver: Driver, reference: string, what: string, timeoutMs = 20_000) =>
  Effect.map(
    waitFor(driver.offers, (offers) => offers.some((offer) => offer.reference === reference), what, timeoutMs),
    (offers) => offers.find((offer) => offer.reference === reference)!
  )

/** The offers of a delivery as stored: whose, which batch, and what became of them. */
const storedOffers = (deliveryId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* sql<{ driverId: string; batch: number; status: string; rejectReason: string | null; createdAt: Date; expiresAt: Date; answeredAt: Date | null }>`
      SELECT driver_id, batch, status, reject_reason, created_at, expires_at, answered_at FROM deliveries.offers WHERE delivery_id = ${deliveryId} ORDER BY batch, driver_id`
  })

/** The outbox's events about a delivery: type, and for notices the channel, recipient and text. */
const deliveryEvents = (deliveryId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* sql<{ id: string; type: string; channel: string | null; userId: string | null; to: string | null; fallbackPhone: string | null; title: string | null; body: string | null }>`
      SELECT id, type, payload->>'channel' AS channel, payload->>'userId' AS user_id, payload->>'to' AS to,
        payload->>'fallbackPhone' AS fallback_phone, payload->>'title' AS title, payload->>'body' AS body
      FROM events.outbox WHERE aggregate_type = 'delivery' AND aggregate_id = ${deliveryId} ORDER BY sequence`
  })

const phoneOf = (userId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return (yield* sql<{ phone: string }>`SELECT phone FROM users.users WHERE id = ${userId}`)[0]!.phone
  })

layer(BedLayer, { excludeTestServices: true, timeout: "120 seconds" })("dispatch through the worker", (it) => {
  it.effect("declined by one driver, timed out by the other: unassigned; a third driver comes online, the retry offers it to him, he accepts and the customer is told", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const admin = neloClient(bed.api.url, { token: (yield* adminOf(bed.api)).token })
      const aya = yield* customerOf(bed, { funds: 10_000 })
      const awa = yield* driverAt(near(places.market, 150, 0), "Awa Koné")
      const koffi = yield* driverAt(near(places.market, 0, 200), "Koffi Yao")
      const yao = yield* driverAt(near(places.market, -180, 0), "Yao Kouadio")
      yield* awa.goOnline
      yield* koffi.goOnline

      // Ready in 5 minutes: within the 10-minute lead, the offers go out as soon as it is confirmed.
      const order = yield* placed(aya, walletOrder(shop, aya, [garbaItem(shop, 1)]))
      yield* ok(shop.owner.api.orders.confirm({ params: { orderId: order.id }, payload: { preparationMinutes: 5 } }))
      const toAwa = yield* offerOf(awa, order.reference, "the offer on Awa's phone")
      const toKoffi = yield* offerOf(koffi, order.reference, "the offer on Koffi's phone")
      const deliveryId = toAwa.deliveryId
      assert.strictEqual(toKoffi.deliveryId, deliveryId)
      assert.strictEqual(toAwa.pickup.name, shop.name)
      assert.strictEqual(toAwa.cashToCollectXof, null, "paid with the wallet: nothing to collect")
      assert.strictEqual(toAwa.itemCount, 1)
      const firstBatch = yield* storedOffers(deliveryId)
      assert.deepStrictEqual(firstBatch.map((offer) => [offer.driverId, offer.batch, offer.status]).sort(), [[awa.userId, 1, "open"], [koffi.userId, 1, "open"]].sort())
      for (const offer of firstBatch) assert.strictEqual(offer.expiresAt.getTime() - offer.createdAt.getTime(), offerTimeoutMs, "open for DISPATCH_OFFER_TIMEOUT_MS")
      assert.strictEqual(toKoffi.expiresAt, firstBatch.find((offer) => offer.driverId === koffi.userId)!.expiresAt.toISOString())
      assert.deepStrictEqual(yield* yao.offers, [], "offline: offered nothing")

      // Awa declines; Koffi's offer is still open, so dispatch waits for it.
      const declined = yield* ok(awa.api.drivers.rejectOffer({ params: { offerId: toAwa.id }, payload: { reason: "Je suis trop chargée" } }))
      assert.deepStrictEqual(declined, { id: toAwa.id, deliveryId, status: "rejected" })
      assert.deepStrictEqual(yield* awa.offers, [])

      // Koffi does nothing: at its expiry the worker's wake-up closes his offer, finds nobody else
      // at 3, 5 or 8 km, and leaves the delivery unassigned.
      const unassigned = yield* waitFor(
        Effect.map(ok(admin.deliveriesAdmin.list({ query: { status: "unassigned" } })), (page) => page.deliveries.find((delivery) => delivery.id === deliveryId)),
        (found) => found !== undefined,
        "the delivery in the admins' unassigned list",
        offerTimeoutMs + 20_000
      )
      const seenUnassignedAt = Date.now()
      assert.isAtLeast(seenUnassignedAt, Date.parse(toKoffi.expiresAt), "not before Koffi's offer expired")
      assert.deepInclude(unassigned, { orderId: order.id, status: "unassigned", driverId: null, batchesSent: 1 })
      assert.isNotNull(unassigned!.unassignedSince)
      assert.isFalse((yield* koffi.offers).some((offer) => offer.id === toKoffi.id), "Koffi's expired offer no longer listed")
      // (Batch 1 only: on a slow machine the next retry may already have sent another.)
      const afterFirstBatch = (yield* storedOffers(deliveryId)).filter((offer) => offer.batch === 1)
      assert.deepStrictEqual(afterFirstBatch.map((offer) => [offer.driverId, offer.batch, offer.status, offer.rejectReason]).sort(), [
        [awa.userId, 1, "rejected", "Je suis trop chargée"],
        [koffi.userId, 1, "expired", null]
      ].sort())
      const expired = afterFirstBatch.find((offer) => offer.driverId === koffi.userId)!
      assert.isAtLeast(expired.answeredAt!.getTime(), expired.expiresAt.getTime(), "expired at its time, not before")
      const wokeUp = bed.workerLogs.find((line) => line.message === "dispatch woke up" && line.annotations.deliveryId === deliveryId)
      assert.isDefined(wokeUp, "the worker's wake-up ran the step")
      assert.strictEqual(wokeUp!.annotations.outcome, "unassigned")
      // The provider's owner is told there is no driver yet (SMS and push), with the delivery's event.
      const whenUnassigned = yield* deliveryEvents(deliveryId)
      assert.include(whenUnassigned.map((event) => event.type), "delivery.unassigned")
      const toOwner = whenUnassigned.find((event) => event.channel === "push" && event.userId === shop.owner.userId)
      assert.strictEqual(toOwner?.title, "Livreur recherché", JSON.stringify(whenUnassigned))
      assert.isDefined(whenUnassigned.find((event) => event.channel === "sms" && event.body === toOwner!.body), "and by SMS")

      // Yao comes online. The worker's next retry (every 5 s) starts a new round: it offers the
      // delivery to him, and again to Koffi, who only let it time out; never again to Awa, who
      // declined it. (Should a slow machine bring Yao online after that retry, Koffi alone is offered
      // it first, then Yao once that offer expired: what is asserted holds either way.)
      yield* yao.goOnline
      const toYao = yield* offerOf(yao, order.reference, "the retry's offer on Yao's phone", retryIntervalMs + offerTimeoutMs + 20_000)
      assert.strictEqual(toYao.deliveryId, deliveryId)
      assert.deepStrictEqual(yield* awa.offers, [], "who declined is not offered it again")

      const taken = yield* ok(yao.api.drivers.acceptOffer({ params: { offerId: toYao.id } }))
      assert.deepInclude(taken, { id: deliveryId, orderId: order.id, reference: order.reference, status: "assigned", driverId: yao.userId })
      assert.strictEqual(taken.customer?.firstName, "Aya")
      assert.deepStrictEqual(yield* koffi.offers, [], "nothing left open for Koffi")
      assert.deepInclude(yield* ok(admin.deliveriesAdmin.get({ params: { deliveryId } })), { status: "assigned", driverId: yao.userId })
      const final = yield* storedOffers(deliveryId)
      const offersTo = (driver: Driver) => final.filter((offer) => offer.driverId === driver.userId)
      assert.deepStrictEqual(offersTo(awa).map((offer) => [offer.batch, offer.status]), [[1, "rejected"]], "Awa never offered it again")
      assert.deepStrictEqual(offersTo(yao).map((offer) => offer.status), ["accepted"])
      const toKoffiAgain = offersTo(koffi).filter((offer) => offer.batch > 1)
      assert.isAtLeast(toKoffiAgain.length, 1, `Koffi, who only let it time out, offered it again in the new round: ${JSON.stringify(final)}`)
      for (const offer of toKoffiAgain) {
        // In Yao's batch (the usual case), withdrawn when Yao accepted; in one before, expired.
        assert.strictEqual(offer.status, offer.batch === offersTo(yao)[0]!.batch ? "withdrawn" : "expired", JSON.stringify(final))
      }
      assert.isFalse(final.some((offer) => offer.status === "open"))
      assert.strictEqual((yield* ok(admin.deliveriesAdmin.list({ query: { status: "unassigned" } }))).deliveries.some((delivery) => delivery.id === deliveryId), false)

      // The customer's notice is written with the assignment, and the worker sends it: she has no
      // phone registered for pushes, so it goes by SMS to her number.
      const events = yield* deliveryEvents(deliveryId)
      assert.include(events.map((event) => event.type), "delivery.assigned")
      const toCustomer = events.find((event) => event.type === "notification.requested" && event.userId === aya.userId)
      assert.isDefined(toCustomer, `the customer's notice among ${JSON.stringify(events)}`)
      assert.strictEqual(toCustomer!.title, "Livreur trouvé")
      assert.include(toCustomer!.body, "Yao")
      assert.include(toCustomer!.body, order.reference)
      const ayaPhone = yield* phoneOf(aya.userId)
      assert.strictEqual(toCustomer!.fallbackPhone, ayaPhone)
      const sql = yield* SqlClient.SqlClient
      const sent = yield* waitFor(
        sql<{ channel: string; recipient: string; body: string }>`SELECT channel, recipient, body FROM notifications.deliveries WHERE event_id = ${toCustomer!.id}`,
        (rows) => rows.length === 1,
        "the customer's notice sent by the worker"
      )
      assert.deepStrictEqual(sent[0], { channel: "sms", recipient: ayaPhone, body: toCustomer!.body! })

      for (const driver of [awa, koffi]) yield* ok(driver.api.drivers.status({ payload: { status: "offline" } }))
    }))

  it.effect("the customer cancels while the offers are out: the worker withdraws them, the drivers' lists empty, the delivery is cancelled", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed, { funds: 10_000 })
      const moussa = yield* driverAt(near(places.market, 100, 100), "Moussa Traoré")
      const fatou = yield* driverAt(near(places.market, -100, -100), "Fatou Diallo")
      yield* moussa.goOnline
      yield* fatou.goOnline

      const order = yield* placed(aya, walletOrder(shop, aya, [garbaItem(shop, 2)]))
      yield* ok(shop.owner.api.orders.confirm({ params: { orderId: order.id }, payload: { preparationMinutes: 5 } }))
      const toMoussa = yield* offerOf(moussa, order.reference, "the offer on Moussa's phone")
      yield* offerOf(fatou, order.reference, "the offer on Fatou's phone")
      const deliveryId = toMoussa.deliveryId

      const cancelledAt = Date.now()
      const cancelled = yield* ok(aya.api.orders.cancel({ params: { orderId: order.id }, payload: { reason: "Je ne suis plus à la maison" } }))
      assert.deepInclude(cancelled, { status: "cancelled", paymentStatus: "refunded" })

      // Withdrawn by the worker (order.cancelled on the dispatch queue), not expired: the lists
      // empty before the offers' 5 s are up (the stored status says which it was).
      const offers = yield* waitFor(
        storedOffers(deliveryId),
        (rows) => rows.length > 0 && rows.every((offer) => offer.status !== "open"),
        "every offer of the delivery closed"
      )
      assert.deepStrictEqual(offers.map((offer) => offer.status), offers.map(() => "withdrawn"), `withdrawn, not expired (closed ${Date.now() - cancelledAt} ms after the cancellation)`)
      assert.includeMembers(offers.map((offer) => offer.driverId), [moussa.userId, fatou.userId])
      for (const offer of offers) assert.isBelow(offer.answeredAt!.getTime(), offer.expiresAt.getTime())
      assert.deepStrictEqual(yield* moussa.offers, [])
      assert.deepStrictEqual(yield* fatou.offers, [])
      const sql = yield* SqlClient.SqlClient
      const [delivery] = yield* sql<{ status: string }>`SELECT status FROM deliveries.deliveries WHERE id = ${deliveryId}`
      assert.strictEqual(delivery!.status, "cancelled")
      assert.include((yield* deliveryEvents(deliveryId)).map((event) => event.type), "delivery.cancelled")

      // An answer after the withdrawal is refused, and changes nothing.
      const late = yield* problemOf(moussa.api.drivers.acceptOffer({ params: { offerId: toMoussa.id } }))
      assert.strictEqual(late.status, 409)
      assert.deepInclude(late.body, { code: "offer_closed", offerStatus: "withdrawn" })

      for (const driver of [moussa, fatou]) yield* ok(driver.api.drivers.status({ payload: { status: "offline" } }))
    }))
})
