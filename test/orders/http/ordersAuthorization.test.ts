import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { call } from "../../support/apiClient.ts"
import { expectProblem } from "../../support/authClient.ts"
import { type NeloClient, neloClient, problemOf } from "../../support/neloClient.ts"
import {
  adminOf,
  balance,
  type Customer,
  customerOf,
  codePromotion,
  escrowOf,
  garbaItem,
  ok,
  ordersOf,
  orderTestbed,
  placed,
  restaurantOf,
  storedStock,
  walletOrder
} from "../../support/orderClient.ts"
import type { Testbed } from "../../support/walletClient.ts"

// Who may see and touch an order (BOLA). Its customer, its provider's owner and admins see it;
// anyone else gets 404 order_not_found, exactly as for an order that does not exist, so that an
// order's existence is never told. Each refusal is checked to have changed nothing: the order as
// its customer reads it (updatedAt included), its timeline, the money and the stock.

class Bed extends Context.Service<Bed, Testbed>()("test/ordersAuthorization/Bed") {}
const BedLayer = Layer.effect(Bed, orderTestbed()).pipe(Layer.provideMerge(PostgresLayer))

/** A paid wallet order of Aya's at a restaurant, Kofi another customer, a rival owner with their own restaurant, an admin. */
const scene = Effect.gen(function*() {
  const bed = yield* Bed
  const shop = yield* restaurantOf(bed.api)
  const rival = yield* restaurantOf(bed.api)
  const aya = yield* customerOf(bed, { funds: 10_000 })
  const kofi = yield* customerOf(bed)
  const admin = yield* adminOf(bed.api)
  const order = yield* placed(aya, walletOrder(shop, aya, [garbaItem(shop, 2)]))
  assert.strictEqual(order.totalXof, 2_500)
  return { bed, shop, rival, aya, kofi, admin, order }
})

/** Everything a refused call must leave as it was. */
const stateOf = (aya: Customer, orderId: string, providerId: string, garbaId: string) =>
  Effect.gen(function*() {
    return {
      order: yield* ok(aya.api.orders.get({ params: { orderId } })),
      timeline: (yield* ok(aya.api.orders.tracking({ params: { orderId } }))).timeline,
      balance: yield* balance(aya),
      escrow: yield* escrowOf(providerId),
      stock: yield* storedStock("product", garbaId)
    }
  })

/** The order as its customer reads it, less the delivery code: what its provider's owner and admins see. */
const withoutCode = ({ deliveryCode: _deliveryCode, ...order }: Effect.Success<ReturnType<typeof stateOf>>["order"]) => order

/** Every action on an order through the typed client of `who`: each must be refused alike. */
const orderCalls = (who: NeloClient, orderId: string) => ({
  get: who.orders.get({ params: { orderId } }),
  tracking: who.orders.tracking({ params: { orderId } }),
  cancel: who.orders.cancel({ params: { orderId }, payload: { reason: "Je veux l'annuler" } }),
  confirm: who.orders.confirm({ params: { orderId }, payload: { preparationMinutes: 20 } }),
  reject: who.orders.reject({ params: { orderId }, payload: { reason: "Je la refuse" } }),
  preparing: who.orders.preparing({ params: { orderId } }),
  ready: who.orders.ready({ params: { orderId } })
})

const expectAllNotFound = (calls: Record<string, Effect.Effect<unknown, unknown>>, only?: ReadonlyArray<string>) =>
  Effect.forEach(Object.entries(calls).filter(([name]) => only === undefined || only.includes(name)), ([name, effect]) =>
    Effect.map(problemOf(effect), (refused) => {
      assert.strictEqual(refused.status, 404, `${name}: ${JSON.stringify(refused.body)}`)
      expectProblem(refused, 404, "order_not_found")
    }), { discard: true })

layer(BedLayer, { excludeTestServices: true, timeout: "120 seconds" })("orders: who may see and touch an order", (it) => {
  it.effect("another customer: 404 on every action of the order, as for an order that does not exist; not in their list; nothing changes", () =>
    Effect.gen(function*() {
      const { aya, kofi, order, shop } = yield* scene
      const before = yield* stateOf(aya, order.id, shop.providerId, shop.garba.id)
      yield* expectAllNotFound(orderCalls(kofi.api, order.id))
      // The same answers as for an id nobody has.
      yield* expectAllNotFound(orderCalls(kofi.api, randomUUID()))
      assert.deepStrictEqual((yield* ordersOf(kofi)).items, [])
      expectProblem(yield* problemOf(kofi.api.orders.providerOrders({ params: { providerId: shop.providerId }, query: {} })), 404, "provider_not_found")
      assert.deepStrictEqual(yield* stateOf(aya, order.id, shop.providerId, shop.garba.id), before)
      assert.deepStrictEqual(before.timeline.map((entry) => entry.change), ["created"])
    }))

  it.effect("the owner of another provider: 404 on the order's steps, reads and cancel, 404 provider_not_found on the other provider's list; nothing changes", () =>
    Effect.gen(function*() {
      const { aya, order, rival, shop } = yield* scene
      const before = yield* stateOf(aya, order.id, shop.providerId, shop.garba.id)
      yield* expectAllNotFound(orderCalls(rival.owner.api, order.id))
      expectProblem(yield* problemOf(rival.owner.api.orders.providerOrders({ params: { providerId: shop.providerId }, query: {} })), 404, "provider_not_found")
      expectProblem(yield* problemOf(rival.owner.api.orders.providerOrders({ params: { providerId: shop.providerId }, query: { status: ["pending"] } })), 404, "provider_not_found")
      // An unknown provider is answered the same.
      expectProblem(yield* problemOf(rival.owner.api.orders.providerOrders({ params: { providerId: randomUUID() }, query: {} })), 404, "provider_not_found")
      // Their own provider's list is theirs, and empty.
      assert.deepStrictEqual((yield* ok(rival.owner.api.orders.providerOrders({ params: { providerId: rival.providerId }, query: {} }))).items, [])
      assert.deepStrictEqual(yield* stateOf(aya, order.id, shop.providerId, shop.garba.id), before)
    }))

  it.effect("the order's own customer on the provider's steps: 404 order_not_found, and the provider's owner on the customer's cancel: 404", () =>
    Effect.gen(function*() {
      const { aya, order, shop } = yield* scene
      const before = yield* stateOf(aya, order.id, shop.providerId, shop.garba.id)
      // The API answers 404, not 403 order_action_forbidden: the steps are the provider's, and whether
      // someone may take them is decided by who they are to the order (its provider's owner, or an
      // admin) before the state machine is asked. Anyone else is nobody to the order on that route,
      // and nobody gets one answer (404), which tells nothing: the customer learns no more than they
      // know, and the route answers every stranger the same, whatever the order.
      yield* expectAllNotFound(orderCalls(aya.api, order.id), ["confirm", "reject", "preparing", "ready"])
      // The owner sees the order and its tracking, but the customer's route to cancel is not theirs
      // (they reject): 404 too.
      assert.deepStrictEqual(yield* ok(shop.owner.api.orders.get({ params: { orderId: order.id } })), withoutCode(before.order))
      assert.deepStrictEqual((yield* ok(shop.owner.api.orders.tracking({ params: { orderId: order.id } }))).timeline, before.timeline)
      yield* expectAllNotFound(orderCalls(shop.owner.api, order.id), ["cancel"])
      // Nor is a provider's list a customer's.
      expectProblem(yield* problemOf(aya.api.orders.providerOrders({ params: { providerId: shop.providerId }, query: {} })), 404, "provider_not_found")
      assert.deepStrictEqual(yield* stateOf(aya, order.id, shop.providerId, shop.garba.id), before)
    }))

  it.effect("admins see every order and every provider's list", () =>
    Effect.gen(function*() {
      const { admin, aya, order, shop } = yield* scene
      const before = yield* stateOf(aya, order.id, shop.providerId, shop.garba.id)
      assert.deepStrictEqual(yield* ok(admin.api.orders.get({ params: { orderId: order.id } })), withoutCode(before.order))
      assert.strictEqual((yield* ok(admin.api.orders.tracking({ params: { orderId: order.id } }))).orderId, order.id)
      assert.deepStrictEqual((yield* ok(admin.api.orders.providerOrders({ params: { providerId: shop.providerId }, query: {} }))).items.map((item) => item.id), [order.id])
      // An admin's own list holds their own orders only.
      assert.deepStrictEqual((yield* ok(admin.api.orders.list({ query: {} }))).items, [])
      assert.deepStrictEqual(yield* stateOf(aya, order.id, shop.providerId, shop.garba.id), before)
    }))

  it.effect("no token, or a forged one: 401 on every orders endpoint, admin ones included; nothing changes", () =>
    Effect.gen(function*() {
      const { aya, bed, order, shop } = yield* scene
      const before = yield* stateOf(aya, order.id, shop.providerId, shop.garba.id)
      const promotionId = randomUUID()
      const cart = { providerId: shop.providerId, addressId: aya.addressId, items: [garbaItem(shop, 1)] }
      const endpoints: ReadonlyArray<readonly [string, string, unknown?]> = [
        ["POST", "/api/v1/orders/quote", cart],
        ["POST", "/api/v1/orders", { ...cart, paymentMethod: "cash", idempotencyKey: randomUUID() }],
        ["GET", "/api/v1/orders"],
        ["GET", `/api/v1/orders/${order.id}`],
        ["PUT", `/api/v1/orders/${order.id}/cancel`, { reason: "Annulée" }],
        ["GET", `/api/v1/orders/${order.id}/tracking`],
        ["GET", `/api/v1/providers/${shop.providerId}/orders`],
        ["POST", `/api/v1/orders/${order.id}/confirm`, { preparationMinutes: 20 }],
        ["POST", `/api/v1/orders/${order.id}/reject`, { reason: "Refusée" }],
        ["POST", `/api/v1/orders/${order.id}/preparing`],
        ["POST", `/api/v1/orders/${order.id}/ready`],
        ["PUT", `/api/v1/admin/orders/${order.id}/cancel`, { reason: "Annulée", responsible: "platform" }],
        ["POST", "/api/v1/admin/promotions", JSON.parse(JSON.stringify(codePromotion(shop.providerId)))],
        ["GET", "/api/v1/admin/promotions"],
        ["GET", `/api/v1/admin/promotions/${promotionId}`],
        ["PUT", `/api/v1/admin/promotions/${promotionId}`, { label: "Autre" }],
        ["POST", `/api/v1/admin/promotions/${promotionId}/deactivate`],
        ["GET", "/api/v1/admin/delivery-fees"],
        ["PUT", "/api/v1/admin/delivery-fees", { bands: [{ upToM: 1_000, feeXof: 100 }], beyondPerKmXof: 0 }]
      ]
      for (const token of [undefined, "forged.token.value", `${aya.token.slice(0, -4)}AAAA`]) {
        yield* Effect.forEach(endpoints, ([method, path, body]) =>
          Effect.map(call(bed.api.url, method, path, { ...(body === undefined ? {} : { body }), ...(token === undefined ? {} : { token }) }), (response) => {
            assert.strictEqual(response.status, 401, `${method} ${path} with ${token === undefined ? "no token" : "a bad token"}: ${JSON.stringify(response.body)}`)
            expectProblem(response, 401, "unauthenticated")
          }), { concurrency: 6, discard: true })
      }
      // The typed client without a token says the same.
      expectProblem(yield* problemOf(neloClient(bed.api.url).orders.list({ query: {} })), 401, "unauthenticated")
      assert.deepStrictEqual(yield* stateOf(aya, order.id, shop.providerId, shop.garba.id), before)
    }))

  it.effect("admin endpoints with a customer's or a provider owner's token: 403 forbidden on each, and nothing is created or changed", () =>
    Effect.gen(function*() {
      const { admin, aya, order, shop } = yield* scene
      const promotion = yield* ok(admin.api.ordersAdmin.createPromotion({ payload: codePromotion(shop.providerId) }), 201)
      const before = yield* stateOf(aya, order.id, shop.providerId, shop.garba.id)
      const attempted = codePromotion(shop.providerId)
      for (const who of [aya.api, shop.owner.api]) {
        const admin_ = who.ordersAdmin
        const calls = {
          cancel: admin_.cancel({ params: { orderId: order.id }, payload: { reason: "Je peux tout faire", responsible: "platform" } }),
          createPromotion: admin_.createPromotion({ payload: attempted }),
          listPromotions: admin_.listPromotions({ query: {} }),
          getPromotion: admin_.getPromotion({ params: { promotionId: promotion.id } }),
          updatePromotion: admin_.updatePromotion({ params: { promotionId: promotion.id }, payload: { maximumUses: 1_000 } }),
          deactivatePromotion: admin_.deactivatePromotion({ params: { promotionId: promotion.id } }),
          deliveryFees: admin_.deliveryFees(),
          setDeliveryFees: admin_.setDeliveryFees({ payload: { bands: [{ upToM: 100_000, feeXof: 0 }], beyondPerKmXof: 0 } })
        }
        for (const [name, effect] of Object.entries(calls)) {
          const refused = yield* problemOf(effect as Effect.Effect<unknown, unknown>)
          assert.strictEqual(refused.status, 403, `${name}: ${JSON.stringify(refused.body)}`)
          expectProblem(refused, 403, "forbidden")
        }
      }
      assert.deepStrictEqual(yield* stateOf(aya, order.id, shop.providerId, shop.garba.id), before)
      assert.deepStrictEqual(yield* ok(admin.api.ordersAdmin.getPromotion({ params: { promotionId: promotion.id } })), promotion)
      // The fee bands are global (other tests may be changing them right now): none set by these two.
      const sql = yield* SqlClient.SqlClient
      const set = yield* sql<{ count: number }>`SELECT count(*)::int AS count FROM orders.delivery_fee_schedules WHERE set_by IN (${aya.userId}, ${shop.owner.userId})`
      assert.strictEqual(set[0]!.count, 0)
      // The code tried by non-admins was never created: an admin can create it now.
      const created = yield* ok(admin.api.ordersAdmin.createPromotion({ payload: attempted }), 201)
      assert.strictEqual(created.code, attempted.code)
    }))
})
