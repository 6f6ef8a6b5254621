import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { client } from "../../support/authClient.ts"
import { neloClient, problemOf } from "../../support/neloClient.ts"
import { customerOf, type Customer, garbaItem, ok, placed, places, type Restaurant, restaurantOf, walletOrder } from "../../support/orderClient.ts"
import { Bed, confirmAndDispatch, type Driver, driverAt, deliveryBedLayer, expectProblemOf, offline, rawCall, readyOver } from "./deliveryFixtures.ts"

// A customer rates a delivered order through the app: the driver and the provider, 1..5 each, once,
// within 7 days of the handover. Bad input is a 400 naming the field; another's order is not found;
// the provider's public page and the driver's profile show the new rating. The order goes the whole
// way over HTTP (provider, driver); dispatch is run by the test, as the worker would.

/** An order of the customer at the shop, placed and paid from the wallet (not delivered yet). */
const anOrder = (shop: Restaurant, buyer: Customer) => placed(buyer, walletOrder(shop, buyer, [garbaItem(shop, 1)]))

/** The order confirmed and dispatched; the driver accepts it, picks it up, rides and hands it over with the customer's code. */
const delivered = (shop: Restaurant, order: { readonly id: string; readonly deliveryCode?: string | undefined }, driver: Driver) =>
  Effect.gen(function*() {
    const { deliveryId, offers } = yield* confirmAndDispatch(shop, order.id)
    const offer = offers.find((candidate) => candidate.driverId === driver.userId)
    assert.isDefined(offer, "the order is offered to the driver")
    yield* ok(driver.api.drivers.acceptOffer({ params: { offerId: offer!.id } }))
    yield* readyOver(shop, order.id)
    yield* ok(driver.api.deliveries.pickUp({ params: { deliveryId } }))
    yield* ok(driver.api.deliveries.start({ params: { deliveryId } }))
    const done = yield* ok(driver.api.deliveries.complete({ params: { deliveryId }, payload: { code: order.deliveryCode! } }))
    assert.strictEqual(done.status, "delivered")
    return deliveryId
  })

const ratingPath = (orderId: string) => `/api/v1/orders/${orderId}/rating`

layer(deliveryBedLayer(), { excludeTestServices: true, timeout: "180 seconds" })("ratings over HTTP", (it) => {
  it.effect("rated once after the delivery: 201 with the rating, read back, a second time 409; the provider's public page and the driver's profile show it", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed, { funds: 10_000 })
      const driver = yield* driverAt(places.market)
      const order = yield* anOrder(shop, aya)

      // Not delivered yet: not open.
      const early = yield* problemOf(aya.api.ratings.rate({ params: { orderId: order.id }, payload: { driver: 5, provider: 5 } }))
      assert.strictEqual(early.status, 409)
      assert.strictEqual(early.body.code, "rating_not_open")
      assert.match(early.body.message, /livrée/u)

      yield* delivered(shop, order, driver)
      const publicPage = () => ok(neloClient(bed.api.url).providers.get({ params: { providerId: shop.providerId } }))
      assert.deepStrictEqual((yield* publicPage()).rating, { average: null, count: 0 })
      const none = yield* problemOf(aya.api.ratings.get({ params: { orderId: order.id } }))
      assert.strictEqual(none.status, 404)
      assert.strictEqual(none.body.code, "rating_not_found")

      // Members the API does not know are ignored: the rating is the caller's, of the stars sent.
      const rated = yield* aya.request("POST", ratingPath(order.id), {
        token: aya.token,
        body: { driver: 5, provider: 4, comment: "  Garba bien chaud, livreur poli.\n", customerId: driver.userId, driverStars: 1 }
      })
      assert.strictEqual(rated.status, 201, JSON.stringify(rated.body))
      assert.deepStrictEqual(Object.keys(rated.body).sort(), ["comment", "createdAt", "driver", "orderId", "provider"])
      assert.deepInclude(rated.body, { orderId: order.id, driver: 5, provider: 4, comment: "Garba bien chaud, livreur poli." })
      assert.deepStrictEqual(yield* ok(aya.api.ratings.get({ params: { orderId: order.id } })), rated.body)

      const twice = yield* problemOf(aya.api.ratings.rate({ params: { orderId: order.id }, payload: { driver: 1, provider: 1 } }))
      assert.strictEqual(twice.status, 409)
      assert.strictEqual(twice.body.code, "already_rated")
      assert.isNotEmpty(twice.body.message)
      assert.deepStrictEqual(yield* ok(aya.api.ratings.get({ params: { orderId: order.id } })), rated.body)

      // The provider's public page reads the store; its place in a list too.
      assert.deepStrictEqual((yield* publicPage()).rating, { average: 4, count: 1 })
      const listed = yield* ok(neloClient(bed.api.url).providers.list({ query: { q: shop.name, limit: 5 } }))
      assert.deepStrictEqual(listed.items.find((item) => item.id === shop.providerId)?.rating, { average: 4, count: 1 })
      assert.deepStrictEqual((yield* ok(driver.api.drivers.me())).rating, { average: 5, count: 1 })
      const stored = yield* (yield* SqlClient.SqlClient)<{ ratingSum: number; ratingCount: number }>`
        SELECT rating_sum, rating_count FROM catalogue.providers WHERE id = ${shop.providerId}`
      assert.deepStrictEqual(stored.map((row) => ({ ...row })), [{ ratingSum: 4, ratingCount: 1 }])
      yield* offline([driver])
    }))

  it.effect("bad input is a 400 naming the field, nothing rated; another's order is 404 and no token 401; a blank comment is none; past 7 days 409", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed, { funds: 10_000 })
      const driver = yield* driverAt(places.market)
      const order = yield* anOrder(shop, aya)
      yield* delivered(shop, order, driver)
      const path = ratingPath(order.id)

      const refusals: ReadonlyArray<{ readonly name: string; readonly body: unknown; readonly field: ReadonlyArray<string> }> = [
        { name: "no stars", body: { driver: 0, provider: 5 }, field: ["body", "driver"] },
        { name: "six stars", body: { driver: 5, provider: 6 }, field: ["body", "provider"] },
        { name: "half a star", body: { driver: 2.5, provider: 3 }, field: ["body", "driver"] },
        { name: "stars as text", body: { driver: "5", provider: 5 }, field: ["body", "driver"] },
        { name: "negative", body: { driver: 4, provider: -1 }, field: ["body", "provider"] },
        { name: "null stars", body: { driver: null, provider: 5 }, field: ["body", "driver"] },
        { name: "no driver", body: { provider: 5 }, field: ["body", "driver"] },
        { name: "no provider", body: { driver: 5 }, field: ["body", "provider"] },
        { name: "comment too long", body: { driver: 5, provider: 5, comment: "é".repeat(501) }, field: ["body", "comment"] },
        { name: "comment with a control character", body: { driver: 5, provider: 5, comment: "bon\u0000" }, field: ["body", "comment"] },
        { name: "comment not text", body: { driver: 5, provider: 5, comment: 5 }, field: ["body", "comment"] },
        { name: "comment null", body: { driver: 5, provider: 5, comment: null }, field: ["body", "comment"] }
      ]
      for (const refusal of refusals) {
        const response = yield* rawCall("POST", path, aya.token, refusal.body)
        expectProblemOf(response, 400, "invalid_request", refusal.name)
        const paths = (response.body.errors as ReadonlyArray<{ readonly path: ReadonlyArray<string> }>).map((error) => JSON.stringify(error.path))
        assert.include(paths, JSON.stringify(refusal.field), `${refusal.name}: ${JSON.stringify(response.body)}`)
      }
      expectProblemOf(yield* rawCall("POST", path, aya.token, []), 400, "invalid_request", "an array")
      expectProblemOf(yield* rawCall("POST", ratingPath("not-an-order"), aya.token, { driver: 5, provider: 5 }), 400, "invalid_request", "a malformed order id")
      expectProblemOf(yield* rawCall("GET", ratingPath("not-an-order"), aya.token), 400, "invalid_request", "a malformed order id, read")

      // Another customer: the order does not exist for them, rating or reading.
      const kofi = yield* customerOf(bed)
      expectProblemOf(yield* rawCall("POST", path, kofi.token, { driver: 1, provider: 1 }), 404, "order_not_found", "another's order")
      expectProblemOf(yield* rawCall("GET", path, kofi.token), 404, "order_not_found", "another's order, read")
      expectProblemOf(yield* rawCall("POST", ratingPath(crypto.randomUUID()), aya.token, { driver: 1, provider: 1 }), 404, "order_not_found", "no such order")
      // No token (or a forged one): 401.
      expectProblemOf(yield* rawCall("POST", path, undefined, { driver: 5, provider: 5 }), 401, "unauthenticated", "no token")
      expectProblemOf(yield* rawCall("GET", path, undefined), 401, "unauthenticated", "no token, read")
      expectProblemOf(yield* rawCall("POST", path, "forged.token.value", { driver: 5, provider: 5 }), 401, "unauthenticated", "a forged token")

      // Nothing was rated by any of it.
      expectProblemOf(yield* rawCall("GET", path, aya.token), 404, "rating_not_found", "nothing rated")
      assert.deepStrictEqual((yield* ok(client(bed.api).as().providers.get({ params: { providerId: shop.providerId } }))).rating, { average: null, count: 0 })

      // Spaces only: no comment.
      const blank = yield* ok(aya.api.ratings.rate({ params: { orderId: order.id }, payload: { driver: 3, provider: 2, comment: "   " } }), 201)
      assert.deepInclude(blank, { driver: 3, provider: 2, comment: null })

      // Another order, handed over 8 days ago: too late.
      const late = yield* anOrder(shop, aya)
      const lateDelivery = yield* delivered(shop, late, driver)
      const sql = yield* SqlClient.SqlClient
      yield* sql`UPDATE deliveries.deliveries SET delivered_at = now() - interval '8 days' WHERE id = ${lateDelivery}`
      const closed = yield* problemOf(aya.api.ratings.rate({ params: { orderId: late.id }, payload: { driver: 5, provider: 5 } }))
      assert.strictEqual(closed.status, 409)
      assert.deepInclude(closed.body, { code: "rating_window_closed", windowDays: 7 })
      assert.match(closed.body.message, /7 jours/u)
      assert.deepStrictEqual((yield* ok(client(bed.api).as().providers.get({ params: { providerId: shop.providerId } }))).rating, { average: 2, count: 1 })
      yield* offline([driver])
    }))
})
