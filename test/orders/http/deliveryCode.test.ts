import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { call } from "../../support/apiClient.ts"
import {
  adminOf,
  cashOrder,
  customerOf,
  garbaItem,
  ok,
  ordersOf,
  orderTestbed,
  placed,
  restaurantOf,
  walletOrder
} from "../../support/orderClient.ts"
import { dataOf, openSse, type SseEvent } from "../../support/sseClient.ts"
import type { Testbed } from "../../support/walletClient.ts"

// The delivery code: 4 digits drawn when the order is placed, which the customer reads out to the
// driver at the door (the proof of delivery). Its customer alone is shown it; the provider's owner
// and admins see the order without it, on every route and stream. The refusals are read from the
// raw JSON: the typed client drops keys its schema does not expect, so it would hide a leak.

class Bed extends Context.Service<Bed, Testbed>()("test/deliveryCode/Bed") {}
const BedLayer = Layer.effect(Bed, orderTestbed()).pipe(Layer.provideMerge(PostgresLayer))

const fourDigits = /^[0-9]{4}$/u

/** The code as the store holds it. */
const storedCode = (orderId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ deliveryCode: string }>`SELECT delivery_code FROM orders.orders WHERE id = ${orderId}`
    return rows[0]!.deliveryCode
  })

/** A raw GET with `token`, expected 200: its JSON body. */
const rawGet = (url: string, path: string, token: string) =>
  Effect.map(call(url, "GET", path, { token }), (response) => {
    assert.strictEqual(response.status, 200, `GET ${path}: ${JSON.stringify(response.body)}`)
    return response.body as Record<string, unknown>
  })

const assertNoCode = (body: unknown, where: string) => {
  assert.isObject(body, where)
  assert.notProperty(body as object, "deliveryCode", `${where}: ${JSON.stringify(body)}`)
}

/** The next change's event of a stream (heartbeats and `ready` left out). */
const nextChange = (stream: Effect.Success<ReturnType<typeof openSse>>) =>
  Effect.gen(function*() {
    while (true) {
      const [event] = yield* stream.next(1)
      if (event!.event !== "heartbeat" && event!.event !== "ready") return event as SseEvent
    }
  })

layer(BedLayer, { excludeTestServices: true, timeout: "120 seconds" })("orders: the delivery code", (it) => {
  it.effect("the customer sees the same 4-digit code in the answer to POST, GET /orders/{id}, their list and the tracking; the store holds it; a retry gives it again", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed, { funds: 10_000 })
      const payload = walletOrder(shop, aya, [garbaItem(shop, 1)])
      const order = yield* placed(aya, payload)
      const code = order.deliveryCode
      assert.isString(code)
      assert.match(code!, fourDigits)
      assert.strictEqual(yield* storedCode(order.id), code)

      assert.strictEqual((yield* ok(aya.api.orders.get({ params: { orderId: order.id } }))).deliveryCode, code)
      assert.strictEqual((yield* ok(aya.api.orders.tracking({ params: { orderId: order.id } }))).deliveryCode, code)
      assert.deepStrictEqual((yield* ordersOf(aya)).items.map((item) => [item.id, item.deliveryCode]), [[order.id, code]])
      // The raw JSON says the same (not only what the typed client decodes).
      assert.strictEqual((yield* rawGet(bed.api.url, `/api/v1/orders/${order.id}`, aya.token)).deliveryCode, code)
      assert.strictEqual((yield* rawGet(bed.api.url, `/api/v1/orders/${order.id}/tracking`, aya.token)).deliveryCode, code)
      // The same key again (a retry after a lost answer): the same order, with its code, not a new draw.
      const again = yield* placed(aya, payload)
      assert.strictEqual(again.id, order.id)
      assert.strictEqual(again.deliveryCode, code)
    }))

  it.effect("the provider's owner and an admin see the order, its tracking and the provider's list without the code; nor is it in the provider's answers to its steps, or an admin's cancel", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed, { funds: 10_000 })
      const admin = yield* adminOf(bed.api)
      const order = yield* placed(aya, walletOrder(shop, aya, [garbaItem(shop, 1)]))
      assert.match(order.deliveryCode!, fourDigits)

      for (const [who, token] of [["owner", shop.owner.token], ["admin", admin.token]] as const) {
        const seen = yield* rawGet(bed.api.url, `/api/v1/orders/${order.id}`, token)
        assert.strictEqual(seen.id, order.id)
        assertNoCode(seen, `${who}: GET /orders/{id}`)
        const tracking = yield* rawGet(bed.api.url, `/api/v1/orders/${order.id}/tracking`, token)
        assert.strictEqual(tracking.orderId, order.id)
        assertNoCode(tracking, `${who}: tracking`)
        const list = yield* rawGet(bed.api.url, `/api/v1/providers/${shop.providerId}/orders`, token)
        const items = list.items as ReadonlyArray<Record<string, unknown>>
        assert.deepStrictEqual(items.map((item) => item.id), [order.id])
        items.forEach((item) => assertNoCode(item, `${who}: the provider's list`))
      }

      const confirmed = yield* call(bed.api.url, "POST", `/api/v1/orders/${order.id}/confirm`, { token: shop.owner.token, body: { preparationMinutes: 15 } })
      assert.strictEqual(confirmed.status, 200, JSON.stringify(confirmed.body))
      assertNoCode(confirmed.body, "owner: confirm")
      const cancelled = yield* call(bed.api.url, "PUT", `/api/v1/admin/orders/${order.id}/cancel`, { token: admin.token, body: { reason: "Commande en double", responsible: "platform" } })
      assert.strictEqual(cancelled.status, 200, JSON.stringify(cancelled.body))
      assert.strictEqual(cancelled.body.status, "cancelled")
      assertNoCode(cancelled.body, "admin: cancel")
      // Its customer still sees it, unchanged.
      assert.strictEqual((yield* ok(aya.api.orders.get({ params: { orderId: order.id } }))).deliveryCode, order.deliveryCode)
    }))

  it.effect("live streams: the customer's own stream carries the code; the provider's stream and its owner or an admin following the order do not", () =>
    Effect.scoped(Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed)
      const admin = yield* adminOf(bed.api)
      const tablet = yield* openSse(`${bed.api.url}/api/v1/providers/${shop.providerId}/orders/events`, { token: shop.owner.token })
      assert.strictEqual((yield* tablet.next(1))[0]!.event, "ready")

      const order = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 1)]))
      assert.match(order.deliveryCode!, fourDigits)
      const onTablet = yield* nextChange(tablet)
      assert.strictEqual(onTablet.event, "order.created")
      assert.strictEqual(dataOf(onTablet).order.id, order.id)
      assertNoCode(dataOf(onTablet).order, "the provider's stream")

      const orderUrl = `${bed.api.url}/api/v1/orders/${order.id}/events`
      const own = yield* openSse(orderUrl, { token: aya.token })
      const created = yield* nextChange(own)
      assert.strictEqual(created.event, "order.created")
      assert.strictEqual(dataOf(created).order.deliveryCode, order.deliveryCode)
      for (const [who, token] of [["owner", shop.owner.token], ["admin", admin.token]] as const) {
        const followed = yield* openSse(orderUrl, { token })
        const seen = yield* nextChange(followed)
        assert.strictEqual(dataOf(seen).order.id, order.id)
        assertNoCode(dataOf(seen).order, `${who} following the order`)
      }

      // A change while they all listen: the same split.
      yield* ok(shop.owner.api.orders.confirm({ params: { orderId: order.id }, payload: { preparationMinutes: 10 } }))
      const [ownConfirmed, tabletConfirmed] = [yield* nextChange(own), yield* nextChange(tablet)]
      assert.strictEqual(ownConfirmed.event, "order.confirmed")
      assert.strictEqual(dataOf(ownConfirmed).order.deliveryCode, order.deliveryCode)
      assert.strictEqual(tabletConfirmed.event, "order.confirmed")
      assertNoCode(dataOf(tabletConfirmed).order, "the provider's stream, confirmed")
    })))

  it.effect("each order draws its own code: two orders of one customer, each 4 digits, each shown on its own order", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed)
      const first = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 1)]))
      const second = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 2)]))
      assert.notStrictEqual(first.id, second.id)
      for (const order of [first, second]) {
        assert.match(order.deliveryCode!, fourDigits)
        assert.strictEqual(yield* storedCode(order.id), order.deliveryCode)
        assert.strictEqual((yield* ok(aya.api.orders.get({ params: { orderId: order.id } }))).deliveryCode, order.deliveryCode)
      }
      // Two draws may match (1 in 10,000): the codes are not compared, only each one's own.
    }))
})
