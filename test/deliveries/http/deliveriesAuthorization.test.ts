import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { xof } from "@nelo/domain/shared/Xof"
import { problemOf } from "../../support/neloClient.ts"
import { adminOf, cashOrder, customerOf, garbaItem, ok, placed, restaurantOf } from "../../support/orderClient.ts"
import {
  assertNoCodeIn,
  Bed,
  cleanly,
  confirmAndDispatch,
  deliveryBedLayer,
  deliveryRow,
  type Driver,
  driversNearMarket,
  expectProblemOf,
  offerRows,
  offline,
  rawCall,
  readyOver
} from "./deliveryFixtures.ts"

// Who may see and touch an offer or a delivery (BOLA). A driver sees and answers only his own
// offers, and acts only on the delivery he holds: another driver's is not found (404), exactly as
// one that does not exist. Whoever is not a driver is told so (404 driver_not_registered); the
// admin routes are admins' (403); nothing without a token (401). Each refusal leaves the offers and
// deliveries as they were. The delivery code, the proof of the handover, is in none of the views a
// driver, a provider or an admin gets: read from the raw JSON, since the typed client would drop a
// member its schema does not know.

const BedLayer = deliveryBedLayer()

/** A restaurant, a customer, two drivers around it, and a cash order offered to both. */
const scene = Effect.gen(function*() {
  const bed = yield* Bed
  const shop = yield* restaurantOf(bed.api)
  const aya = yield* customerOf(bed)
  const drivers = yield* driversNearMarket(2)
  const order = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 1)]))
  const dispatched = yield* confirmAndDispatch(shop, order.id)
  assert.strictEqual(dispatched.outcome, "offered")
  assert.sameMembers(dispatched.offers.map((offer) => offer.driverId), drivers.map((driver) => driver.userId))
  const offerOf = (driver: Driver) => dispatched.offers.find((offer) => offer.driverId === driver.userId)!
  return { bed, shop, aya, drivers, order, deliveryId: dispatched.deliveryId, offerOf }
})

/** Everything a refused call must leave as it was: the delivery and its offers, as stored. */
const stateOf = (deliveryIds: ReadonlyArray<string>) =>
  Effect.forEach(deliveryIds, (deliveryId) => Effect.all({ delivery: deliveryRow(deliveryId), offers: offerRows(deliveryId) }))

/** Each driver holding a delivery of his own: Koffi the first order's, Awa a second's. */
const twoAssigned = Effect.gen(function*() {
  const first = yield* scene
  const [koffi, awa] = first.drivers as [Driver, Driver]
  yield* ok(koffi.api.drivers.acceptOffer({ params: { offerId: first.offerOf(koffi).id } }))
  const second = yield* placed(first.aya, cashOrder(first.shop, first.aya, [garbaItem(first.shop, 2)]))
  const dispatched = yield* confirmAndDispatch(first.shop, second.id)
  assert.deepStrictEqual(dispatched.offers.map((offer) => offer.driverId), [awa.userId], "Koffi is busy: only Awa is offered the second")
  yield* ok(awa.api.drivers.acceptOffer({ params: { offerId: dispatched.offers[0]!.id } }))
  return { ...first, koffi, awa, koffis: { order: first.order, deliveryId: first.deliveryId }, awas: { order: second, deliveryId: dispatched.deliveryId } }
})

layer(BedLayer, { excludeTestServices: true, timeout: "120 seconds" })("deliveries: who may see and touch what", (it) => {
  it.effect("offers: each driver sees only his own; another's offer cannot be accepted or declined by him (404 offer_not_found), and stays open", () =>
    cleanly(Effect.gen(function*() {
      const { deliveryId, drivers, offerOf, order } = yield* scene
      const [koffi, awa] = drivers as [Driver, Driver]
      for (const [driver, other] of [[koffi, awa], [awa, koffi]] as const) {
        const { offers } = yield* ok(driver.api.drivers.offers())
        assert.deepStrictEqual(offers.map((offer) => offer.id), [offerOf(driver).id])
        const raw = yield* rawCall("GET", "/api/v1/drivers/offers", driver.token)
        assert.notInclude(JSON.stringify(raw.body), offerOf(other).id, "the other's offer is nowhere in his list")
        assertNoCodeIn(raw.body, order.deliveryCode!, "GET /drivers/offers")
      }

      const before = yield* stateOf([deliveryId])
      const accept = yield* problemOf(koffi.api.drivers.acceptOffer({ params: { offerId: offerOf(awa).id } }))
      expectProblemOf(accept, 404, "offer_not_found", "Koffi accepting Awa's offer")
      const reject = yield* problemOf(koffi.api.drivers.rejectOffer({ params: { offerId: offerOf(awa).id }, payload: { reason: "Pas pour moi" } }))
      expectProblemOf(reject, 404, "offer_not_found", "Koffi declining Awa's offer")
      // An offer that does not exist: the same answer.
      const unknown = yield* problemOf(koffi.api.drivers.acceptOffer({ params: { offerId: randomUUID() } }))
      assert.deepStrictEqual([unknown.status, unknown.body.code, unknown.body.message], [accept.status, accept.body.code, accept.body.message])
      const unknownReject = yield* problemOf(koffi.api.drivers.rejectOffer({ params: { offerId: randomUUID() }, payload: {} }))
      assert.deepStrictEqual([unknownReject.status, unknownReject.body.code], [404, "offer_not_found"])
      assert.deepStrictEqual(yield* stateOf([deliveryId]), before, "both offers still open, nobody assigned")
      assert.deepStrictEqual((yield* ok(awa.api.drivers.offers())).offers.map((offer) => offer.id), [offerOf(awa).id])

      // A body naming another driver is not read: the caller's own offer is what he accepts.
      const taken = yield* rawCall("POST", `/api/v1/drivers/offers/${offerOf(awa).id}/accept`, awa.token, { driverId: koffi.userId })
      assert.strictEqual(taken.status, 200, JSON.stringify(taken.body))
      assert.strictEqual(taken.body.driverId, awa.userId)
      assertNoCodeIn(taken.body, order.deliveryCode!, "the accepted delivery")
      // Koffi's own offer was withdrawn: closed for him, not "not found".
      const late = yield* problemOf(koffi.api.drivers.acceptOffer({ params: { offerId: offerOf(koffi).id } }))
      expectProblemOf(late, 409, "offer_closed", "Koffi's withdrawn offer")
      assert.strictEqual(late.body.offerStatus, "withdrawn")
      assert.isNull((yield* ok(koffi.api.drivers.currentDelivery())).delivery)

      yield* offline(drivers)
    })))

  it.effect("deliveries: a driver cannot pick up, start, complete (even with the right code), fail or release another's delivery: 404 delivery_not_found, and it does not move", () =>
    cleanly(Effect.gen(function*() {
      const { awa, awas, koffi, koffis, shop, drivers } = yield* twoAssigned
      yield* readyOver(shop, awas.order.id)
      yield* readyOver(shop, koffis.order.id)
      const steps = (deliveryId: string, code: string) => [
        ["pickup", undefined],
        ["start", undefined],
        ["complete", { code, cashCollectedXof: awas.order.totalXof }],
        ["fail", { reason: "customer_absent", note: "Personne" }],
        ["release", undefined]
      ].map(([step, body]) => ({ path: `/api/v1/deliveries/${deliveryId}/${step}`, body, step: step as string }))

      // Awa's delivery at each of its steps: Koffi, holding his own, is refused every step on hers.
      const tryAll = (stage: string) =>
        Effect.gen(function*() {
          const before = yield* stateOf([awas.deliveryId, koffis.deliveryId])
          for (const { body, path, step } of steps(awas.deliveryId, awas.order.deliveryCode!)) {
            const refused = yield* rawCall("POST", path, koffi.token, body)
            expectProblemOf(refused, 404, "delivery_not_found", `${stage}: Koffi's ${step} on Awa's delivery`)
          }
          // One that does not exist: the same answer.
          expectProblemOf(yield* rawCall("POST", `/api/v1/deliveries/${randomUUID()}/pickup`, koffi.token), 404, "delivery_not_found", "an unknown delivery")
          assert.deepStrictEqual(yield* stateOf([awas.deliveryId, koffis.deliveryId]), before, `${stage}: nothing moved`)
        })
      yield* tryAll("assigned")
      yield* ok(awa.api.deliveries.pickUp({ params: { deliveryId: awas.deliveryId } }))
      yield* tryAll("picked up")
      yield* ok(awa.api.deliveries.start({ params: { deliveryId: awas.deliveryId } }))
      yield* tryAll("delivering")
      assert.strictEqual((yield* ok(awa.api.drivers.currentDelivery())).delivery?.id, awas.deliveryId)
      assert.strictEqual((yield* ok(koffi.api.drivers.currentDelivery())).delivery?.id, koffis.deliveryId)
      const done = yield* ok(awa.api.deliveries.complete({ params: { deliveryId: awas.deliveryId }, payload: { code: awas.order.deliveryCode!, cashCollectedXof: xof(awas.order.totalXof) } }))
      assert.strictEqual(done.status, "delivered")

      // Nor can the driver read the order itself: it is the customer's, the provider's and admins'.
      const asDriver = yield* rawCall("GET", `/api/v1/orders/${awas.order.id}`, awa.token)
      expectProblemOf(asDriver, 404, "order_not_found", "the driver reading the order")
      yield* offline(drivers)
    })))

  it.effect("the delivery code is in none of the views: not the offer, the accepted delivery, the current one, the steps, the release, the failure, the admin's reads, list and assignment, nor the order as its provider sees it", () =>
    cleanly(Effect.gen(function*() {
      const { awa, awas, bed, koffi, koffis, shop, drivers, aya } = yield* twoAssigned
      const admin = yield* adminOf(bed.api)
      const check = (where: string, method: string, path: string, token: string, code: string, body?: unknown) =>
        Effect.gen(function*() {
          const response = yield* rawCall(method, path, token, body)
          assert.strictEqual(response.status, 200, `${where}: ${JSON.stringify(response.body)}`)
          assertNoCodeIn(response.body, code, where)
          return response.body
        })
      const awaCode = awas.order.deliveryCode!
      const koffiCode = koffis.order.deliveryCode!
      yield* check("current", "GET", "/api/v1/drivers/me/deliveries/current", awa.token, awaCode)
      yield* check("admin get", "GET", `/api/v1/admin/deliveries/${awas.deliveryId}`, admin.token, awaCode)
      yield* check("admin list", "GET", "/api/v1/admin/deliveries?limit=50", admin.token, awaCode)
      yield* check("provider's GET /orders/{id}", "GET", `/api/v1/orders/${awas.order.id}`, shop.owner.token, awaCode)
      yield* check("provider's tracking", "GET", `/api/v1/orders/${awas.order.id}/tracking`, shop.owner.token, awaCode)
      yield* check("provider's list", "GET", `/api/v1/providers/${shop.providerId}/orders`, shop.owner.token, awaCode)
      yield* readyOver(shop, awas.order.id)
      yield* check("pickup", "POST", `/api/v1/deliveries/${awas.deliveryId}/pickup`, awa.token, awaCode)
      yield* check("start", "POST", `/api/v1/deliveries/${awas.deliveryId}/start`, awa.token, awaCode)
      yield* check("fail", "POST", `/api/v1/deliveries/${awas.deliveryId}/fail`, awa.token, awaCode, { reason: "address_not_found", note: "Portail introuvable" })
      // Koffi hands his back; an admin gives it to Awa, now free, who delivers it.
      yield* check("release", "POST", `/api/v1/deliveries/${koffis.deliveryId}/release`, koffi.token, koffiCode)
      const assigned = yield* check("admin assign", "POST", `/api/v1/admin/deliveries/${koffis.deliveryId}/assign`, admin.token, koffiCode, { driverId: awa.userId })
      assert.strictEqual(assigned.driverId, awa.userId)
      yield* readyOver(shop, koffis.order.id)
      yield* check("pickup of the assigned", "POST", `/api/v1/deliveries/${koffis.deliveryId}/pickup`, awa.token, koffiCode)
      yield* check("start of the assigned", "POST", `/api/v1/deliveries/${koffis.deliveryId}/start`, awa.token, koffiCode)
      const completed = yield* check("complete", "POST", `/api/v1/deliveries/${koffis.deliveryId}/complete`, awa.token, koffiCode, { code: koffiCode, cashCollectedXof: koffis.order.totalXof })
      assert.strictEqual(completed.status, "delivered")
      // Its customer, and only her, still reads it.
      assert.strictEqual((yield* ok(aya.api.orders.get({ params: { orderId: koffis.order.id } }))).deliveryCode, koffiCode)
      yield* offline(drivers)
    })))

  it.effect("not a driver: a customer and a provider's owner get 404 driver_not_registered on every driver endpoint and every step, and change nothing", () =>
    cleanly(Effect.gen(function*() {
      const { aya, deliveryId, drivers, offerOf, shop } = yield* scene
      const offerId = offerOf(drivers[0]!).id
      const before = yield* stateOf([deliveryId])
      const calls: ReadonlyArray<readonly [string, string, unknown?]> = [
        ["GET", "/api/v1/drivers/me"],
        ["PUT", "/api/v1/drivers/me/status", { status: "online" }],
        ["PUT", "/api/v1/drivers/me/location", { lat: 5.905, lng: -4.822, accuracyM: 8, recordedAt: new Date().toISOString() }],
        ["GET", "/api/v1/drivers/offers"],
        ["POST", `/api/v1/drivers/offers/${offerId}/accept`],
        ["GET", "/api/v1/drivers/me/deliveries/current"],
        ["POST", `/api/v1/deliveries/${deliveryId}/pickup`],
        ["POST", `/api/v1/deliveries/${deliveryId}/start`],
        ["POST", `/api/v1/deliveries/${deliveryId}/complete`, { code: "1234" }],
        ["POST", `/api/v1/deliveries/${deliveryId}/fail`, { reason: "customer_absent" }],
        ["POST", `/api/v1/deliveries/${deliveryId}/release`]
      ]
      for (const [who, token] of [["customer", aya.token], ["provider", shop.owner.token]] as const) {
        for (const [method, path, body] of calls) {
          expectProblemOf(yield* rawCall(method, path, token, body), 404, "driver_not_registered", `${who}: ${method} ${path}`)
        }
        // Declining is refused too, like every other driver endpoint.
        const reject = yield* rawCall("POST", `/api/v1/drivers/offers/${offerId}/reject`, token, { reason: "Non" })
        assert.strictEqual(reject.status, 404, `${who}: reject ${JSON.stringify(reject.body)}`)
        assert.strictEqual(reject.body.code, "driver_not_registered", `${who}: reject ${JSON.stringify(reject.body)}`)
      }
      assert.deepStrictEqual(yield* stateOf([deliveryId]), before)
      yield* offline(drivers)
    })))

  // The AdminAuthentication middleware verifies the token only: the admin role is the domain's
  // check (Deliveries.list, details, assign call requireAdmin), as for the orders' and users' routes.
  it.effect("the admin routes are admins': a customer, a provider's owner and a driver get 403 forbidden on each, nothing assigned", () =>
    cleanly(Effect.gen(function*() {
      const { aya, deliveryId, drivers, shop } = yield* scene
      const driver = drivers[0]!
      const before = yield* stateOf([deliveryId])
      const answers: Array<string> = []
      for (const [who, token] of [["customer", aya.token], ["provider", shop.owner.token], ["driver", driver.token]] as const) {
        for (const [method, path, body] of [
          ["GET", "/api/v1/admin/deliveries", undefined],
          ["GET", "/api/v1/admin/deliveries?status=searching", undefined],
          ["GET", `/api/v1/admin/deliveries/${deliveryId}`, undefined],
          // The driver assigning it to himself, through the admins' route.
          ["POST", `/api/v1/admin/deliveries/${deliveryId}/assign`, { driverId: driver.userId }],
          ["POST", `/api/v1/admin/deliveries/${deliveryId}/complete`, { note: "client appelé" }]
        ] as const) {
          const response = yield* rawCall(method, path, token, body)
          answers.push(`${who} ${method} ${path.replace(deliveryId, "{id}")} → ${response.status} ${response.body?.code ?? ""}`.trim())
        }
      }
      const after = yield* stateOf([deliveryId])
      assert.deepStrictEqual(answers, answers.map((answer) => `${answer.split(" → ")[0]} → 403 forbidden`), "every call refused")
      assert.deepStrictEqual(after, before, "nothing assigned")
    })))

  it.effect("no token, or a forged one: 401 on every driver, delivery and admin endpoint; nothing changes", () =>
    cleanly(Effect.gen(function*() {
      const { deliveryId, drivers, offerOf } = yield* scene
      const offerId = offerOf(drivers[0]!).id
      const before = yield* stateOf([deliveryId])
      const forged = `${drivers[0]!.token.slice(0, -4)}AAAA`
      const endpoints: ReadonlyArray<readonly [string, string, unknown?]> = [
        ["POST", "/api/v1/drivers/register", { vehicle: "motorbike", zoneId: randomUUID() }],
        ["GET", "/api/v1/drivers/me"],
        ["PUT", "/api/v1/drivers/me/status", { status: "offline" }],
        ["PUT", "/api/v1/drivers/me/location", { lat: 5.905, lng: -4.822, accuracyM: 8, recordedAt: new Date().toISOString() }],
        ["GET", "/api/v1/drivers/offers"],
        ["POST", `/api/v1/drivers/offers/${offerId}/accept`],
        ["POST", `/api/v1/drivers/offers/${offerId}/reject`, { reason: "Non" }],
        ["GET", "/api/v1/drivers/me/deliveries/current"],
        ["POST", `/api/v1/deliveries/${deliveryId}/pickup`],
        ["POST", `/api/v1/deliveries/${deliveryId}/start`],
        ["POST", `/api/v1/deliveries/${deliveryId}/complete`, { code: "1234" }],
        ["POST", `/api/v1/deliveries/${deliveryId}/fail`, { reason: "customer_absent" }],
        ["POST", `/api/v1/deliveries/${deliveryId}/release`],
        ["GET", "/api/v1/admin/deliveries"],
        ["GET", `/api/v1/admin/deliveries/${deliveryId}`],
        ["POST", `/api/v1/admin/deliveries/${deliveryId}/assign`, { driverId: drivers[1]!.userId }],
        ["POST", `/api/v1/admin/deliveries/${deliveryId}/complete`, { note: "client appelé" }]
      ]
      for (const token of [undefined, forged]) {
        for (const [method, path, body] of endpoints) {
          expectProblemOf(yield* rawCall(method, path, token, body), 401, "unauthenticated", `${token === undefined ? "no token" : "a forged token"}: ${method} ${path}`)
        }
      }
      assert.deepStrictEqual(yield* stateOf([deliveryId]), before)
      assert.strictEqual((yield* ok(drivers[0]!.api.drivers.me())).status, "online", "not set offline by the anonymous call")
      yield* offline(drivers)
    })))

  it.effect("tracking: the customer sees who comes, where he is and when; the provider's owner and an admin see who, never where; another customer gets 404", () =>
    cleanly(Effect.gen(function*() {
      const { aya, bed, drivers, order, offerOf, shop } = yield* scene
      const [koffi] = drivers as [Driver, Driver]
      const admin = yield* adminOf(bed.api)
      const stranger = yield* customerOf(bed)
      const trackingAs = (token: string) => rawCall("GET", `/api/v1/orders/${order.id}/tracking`, token)
      const before = yield* trackingAs(aya.token)
      assert.strictEqual(before.status, 200)
      assert.deepInclude(before.body.delivery, { status: "searching", driver: null, position: null, etaAt: null })
      yield* ok(koffi.api.drivers.acceptOffer({ params: { offerId: offerOf(koffi).id } }))
      const mine = (yield* trackingAs(aya.token)).body
      assert.strictEqual(mine.delivery.status, "assigned")
      assert.strictEqual(mine.delivery.driver.vehicle, "motorbike")
      // Only the operator prefix and the last two digits show: the six in between are hidden. (A
      // two-digit slice of the number, as checked before, could match the prefix by chance.)
      assert.match(mine.delivery.driver.maskedPhone, /^\+225\d{2}•{6}\d{2}$/u)
      assert.isTrue(mine.delivery.driver.maskedPhone.endsWith(koffi.phone.replace(/\D/gu, "").slice(-2)))
      assert.isNotNull(mine.delivery.position)
      assert.isString(mine.delivery.etaAt)
      for (const [who, token] of [["provider", shop.owner.token], ["admin", admin.token]] as const) {
        const theirs = (yield* trackingAs(token)).body
        assert.isNotNull(theirs.delivery.driver, who)
        assert.isNull(theirs.delivery.position, who)
        assert.isNull(theirs.delivery.etaAt, who)
      }
      expectProblemOf(yield* trackingAs(stranger.token), 404, "order_not_found", "another customer")
      yield* offline(drivers)
    })))
})
