import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { problemOf } from "../../support/neloClient.ts"
import { balance, cashOrder, customerOf, escrowOf, eventsOfOrder, garbaItem, ok, orderTestbed, placed, restaurantOf, smsOfOrder, storedStock } from "../../support/orderClient.ts"
import { cinetpayIpn, cinetpayPath, deliver, eventually, type Testbed, waveCompletedWebhook, wavePath } from "../../support/walletClient.ts"

// An order paid with Wave, over HTTP with a fake Wave following its documented API: the order
// waits with its stock held and the page to open, the provider hears of it only once Wave's own
// API confirms the payment, and the money goes from Wave's clearing into the provider's escrow.

class Bed extends Context.Service<Bed, Testbed>()("test/gatewayOrders/Bed") {}
const BedLayer = Layer.effect(Bed, orderTestbed()).pipe(Layer.provideMerge(PostgresLayer))

const intentOfOrder = (orderId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string; status: string }>`SELECT id, status FROM payments.intents WHERE order_id = ${orderId}`
    return rows[0]!
  })

layer(BedLayer, { excludeTestServices: true, timeout: "120 seconds" })("orders paid with Wave", (it) => {
  it.effect("placed: awaiting with Wave's page; paid at Wave: in escrow, the provider told, then confirmed; a replayed webhook changes nothing", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed)
      const order = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 2)], { paymentMethod: "wave" }))
      assert.strictEqual(order.paymentMethod, "wave")
      assert.strictEqual(order.paymentStatus, "awaiting")
      assert.strictEqual(order.status, "pending")
      const intent = yield* intentOfOrder(order.id)
      const session = bed.wave.sessionOf(intent.id)
      assert.deepStrictEqual(order.payment, { gateway: "wave", paymentUrl: session.wave_launch_url })
      assert.strictEqual(session.amount, String(order.totalXof), "Wave is asked for the order's total")
      assert.strictEqual(yield* storedStock("product", shop.garba.id), 18, "the stock is held while it is paid")
      assert.deepStrictEqual(yield* smsOfOrder(order.id), [], "the provider hears of it once paid")
      // Asked again, the order shows the same page.
      assert.deepStrictEqual((yield* ok(aya.api.orders.get({ params: { orderId: order.id } }))).payment, order.payment)
      // Not the provider's yet: not in its list, and it cannot accept it.
      const listed = (yield* ok(shop.owner.api.orders.providerOrders({ params: { providerId: shop.providerId }, query: {} }))).items.map((item) => item.id)
      assert.notInclude(listed, order.id)
      const early = yield* problemOf(shop.owner.api.orders.confirm({ params: { orderId: order.id }, payload: { preparationMinutes: 15 } }))
      assert.strictEqual(early.status, 409)
      assert.strictEqual(early.body.code, "order_awaiting_payment")

      bed.wave.pay(intent.id)
      const webhook = waveCompletedWebhook(bed, intent.id)
      assert.strictEqual((yield* deliver(bed, wavePath, webhook)).status, 200)
      const paid = yield* eventually(
        Effect.map(ok(aya.api.orders.get({ params: { orderId: order.id } })), (seen) => seen.paymentStatus === "paid" ? seen : undefined),
        (seen) => seen !== undefined,
        "the order paid"
      )
      assert.isNull(paid!.payment, "nothing left to pay")
      assert.strictEqual(yield* escrowOf(shop.providerId), order.totalXof)
      assert.strictEqual(yield* balance(aya), 0, "the wallet never saw it")
      assert.strictEqual((yield* intentOfOrder(order.id)).status, "succeeded")
      assert.deepStrictEqual(yield* eventsOfOrder(order.id), ["order.created pending/awaiting", "order.paid pending/paid"])
      const sms = yield* smsOfOrder(order.id)
      assert.lengthOf(sms, 1)
      assert.match(sms[0]!.body, new RegExp(`^NELO : nouvelle commande ${order.reference}, 2 article\\(s\\)`, "u"))

      // Wave sends the same event again: nothing more moves.
      assert.strictEqual((yield* deliver(bed, wavePath, webhook)).status, 200)
      yield* Effect.sleep("300 millis")
      assert.strictEqual(yield* escrowOf(shop.providerId), order.totalXof)
      assert.deepStrictEqual(yield* eventsOfOrder(order.id), ["order.created pending/awaiting", "order.paid pending/paid"])

      assert.include((yield* ok(shop.owner.api.orders.providerOrders({ params: { providerId: shop.providerId }, query: {} }))).items.map((item) => item.id), order.id)
      const confirmed = yield* ok(shop.owner.api.orders.confirm({ params: { orderId: order.id }, payload: { preparationMinutes: 15 } }))
      assert.strictEqual(confirmed.status, "confirmed")
    }))

  it.effect("cancelled with refundTo original: a Wave order is refunding (Wave is asked by the worker), its escrow held; a CinetPay order cannot, 409 and nothing changed; a wrong destination is refused", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed)
      const paidThrough = (gateway: "wave" | "cinetpay") =>
        Effect.gen(function*() {
          const order = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 1)], { paymentMethod: gateway }))
          const intent = yield* intentOfOrder(order.id)
          if (gateway === "wave") {
            bed.wave.pay(intent.id)
            assert.strictEqual((yield* deliver(bed, wavePath, waveCompletedWebhook(bed, intent.id))).status, 200)
          } else {
            bed.cinetpay.pay(intent.id)
            assert.strictEqual((yield* deliver(bed, cinetpayPath, cinetpayIpn(intent.id))).status, 200)
          }
          yield* eventually(
            Effect.map(ok(aya.api.orders.get({ params: { orderId: order.id } })), (seen) => seen.paymentStatus),
            (status) => status === "paid",
            `the ${gateway} order paid`
          )
          return order
        })
      const wave = yield* paidThrough("wave")
      const cinetpay = yield* paidThrough("cinetpay")
      const escrowBefore = yield* escrowOf(shop.providerId)

      const wrong = yield* aya.request("PUT", `/api/v1/orders/${wave.id}/cancel`, { body: { reason: "Erreur de commande", refundTo: "bank" }, token: aya.token })
      assert.strictEqual(wrong.status, 400)
      assert.include(JSON.stringify(wrong.body), "refundTo")
      const refused = yield* problemOf(aya.api.orders.cancel({ params: { orderId: cinetpay.id }, payload: { reason: "Erreur de commande", refundTo: "original" } }))
      assert.strictEqual(refused.status, 409)
      assert.strictEqual(refused.body.code, "refund_to_original_unavailable")
      assert.match(refused.body.message, /CinetPay/u)
      assert.strictEqual((yield* ok(aya.api.orders.get({ params: { orderId: cinetpay.id } }))).status, "pending", "nothing changed")
      assert.strictEqual(yield* escrowOf(shop.providerId), escrowBefore)

      const refunding = yield* ok(aya.api.orders.cancel({ params: { orderId: wave.id }, payload: { reason: "Erreur de commande", refundTo: "original" } }))
      assert.deepStrictEqual([refunding.status, refunding.paymentStatus], ["cancelled", "refunding"])
      assert.strictEqual(yield* escrowOf(shop.providerId), escrowBefore, "held until Wave accepts the refund")
      assert.strictEqual(yield* balance(aya), 0)
      assert.deepInclude(yield* eventsOfOrder(wave.id), "order.cancelled cancelled/refunding")
    }))
})
