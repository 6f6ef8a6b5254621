import { assert, layer } from "@effect/vitest"
import { Effect, Option } from "effect"
import { GatewayControls } from "@nelo/adapters/memory/PaymentGatewaysMemory"
import { OutboxStore } from "@nelo/domain/events/OutboxStore"
import { OrderRepository } from "@nelo/domain/orders/OrderRepository"
import { Orders } from "@nelo/domain/orders/Orders"
import type { PlaceOrderInput } from "@nelo/domain/orders/placeOrder"
import { PaymentIntentRepository } from "@nelo/domain/payments/PaymentIntentRepository"
import { Payments } from "@nelo/domain/payments/Payments"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { balanceOf, customer, escrowOf, ordersContext, restaurant } from "../ordersFixtures.ts"

// A cancelled order paid through Wave, its payment asked back the way it came: the escrow holds it
// until Wave accepts the refund, then it leaves through Wave's clearing account (once, whatever the
// retries); refused by Wave, it goes to the wallet; CinetPay refunds nothing, so it is refused up
// front and nothing changes.

let keys = 0
const gatewayOrder = (who: { readonly addressId: string }, place: { readonly provider: { readonly id: string }; readonly garbaId: string }, paymentMethod: "wave" | "cinetpay"): PlaceOrderInput => ({
  providerId: place.provider.id,
  items: [{ productId: place.garbaId, quantity: 1, options: ["size-large"] }],
  addressId: who.addressId,
  promoCode: null,
  paymentMethod,
  note: null,
  pin: null,
  idempotencyKey: `gateway-refund-${++keys}`
})

/** A gateway order placed and paid (the gateway's API confirming it), at a restaurant of its own. */
const paidGatewayOrder = (paymentMethod: "wave" | "cinetpay") =>
  Effect.gen(function*() {
    const orders = yield* Orders
    const place = yield* restaurant()
    const aya = yield* customer(0)
    const order = yield* orders.place(aya.id, gatewayOrder(aya, place, paymentMethod))
    const intent = Option.getOrThrow(yield* (yield* PaymentIntentRepository).findByOrder(order.id))
    ;(yield* GatewayControls)[paymentMethod].pay(intent.id)
    assert.strictEqual(yield* (yield* Payments).confirmTopup(intent.id, { kind: "system", id: "test" }), "credited")
    return { orders, place, aya, order, intent }
  })

const clearingOf = (gateway: "wave" | "cinetpay") =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    return (yield* ledger.stateOf((yield* ledger.clearingOf(gateway)).id)).balanceXof
  })

const orderEventsOf = (orderId: string) =>
  OutboxStore.use((outbox) => Effect.map(outbox.withClaim(10_000, (batch) => Effect.succeed(batch.events.filter((event) => event.aggregateId === orderId))), (events) => events ?? []))

layer(ordersContext(), { timeout: "60 seconds" })("refunds to the gateway a cancelled order was paid by", (it) => {
  it.effect("Wave: refunding while Wave is asked, then refunded through Wave's clearing account, once; the history and the customer say so", () =>
    Effect.gen(function*() {
      const { orders, place, aya, order, intent } = yield* paidGatewayOrder("wave")
      const payments = yield* Payments
      const clearingBefore = yield* clearingOf("wave")
      const cancelled = yield* orders.cancelByCustomer(aya.id, order.id, "Je me suis trompée d'adresse", "original")
      assert.strictEqual(cancelled.status, "cancelled")
      assert.strictEqual(cancelled.paymentStatus, "refunding")
      assert.strictEqual(yield* escrowOf(place.provider.id), order.totals.totalXof, "the escrow holds it until Wave accepts")
      assert.strictEqual(yield* balanceOf(aya.id), 0)

      assert.strictEqual(yield* payments.refundToGateway(order.id), "refunded")
      assert.strictEqual(yield* payments.refundToGateway(order.id), "nothing_to_do", "asked again (a redelivered event): nothing more")
      assert.deepStrictEqual((yield* GatewayControls).wave.refunded(), [intent.id])
      const settled = yield* orders.get(place.owner, order.id)
      assert.strictEqual(settled.paymentStatus, "refunded")
      assert.strictEqual(yield* escrowOf(place.provider.id), 0)
      assert.strictEqual(yield* clearingOf("wave"), clearingBefore + order.totals.totalXof, "the money left through Wave")
      assert.strictEqual(yield* balanceOf(aya.id), 0, "not to the wallet as well")
      const history = yield* (yield* OrderRepository).history(order.id)
      assert.deepStrictEqual(history.map((change) => [change.change, change.to, change.actor.kind, change.reason]), [
        ["created", "pending", "customer", null],
        ["paid", "pending", "system", null],
        ["cancelled", "cancelled", "customer", "Je me suis trompée d'adresse"],
        ["refunded", "cancelled", "system", null]
      ])
      const events = yield* orderEventsOf(order.id)
      assert.includeMembers(events.map((event) => event.type), ["order.cancelled", "order.refunded"])
      const notice = events.find((event) => event.type === "notification.requested" && (event.payload as { readonly title?: string }).title === "Remboursement effectué")
      assert.match((notice?.payload as { readonly body: string }).body, /remboursés sur votre compte Wave\.$/u)
    }))

  it.effect("Wave down: the refund waits (the escrow holds it) and is made once Wave answers; Wave refusing: to the wallet, with the reason", () =>
    Effect.gen(function*() {
      const controls = yield* GatewayControls
      const payments = yield* Payments
      const first = yield* paidGatewayOrder("wave")
      yield* first.orders.cancelByCustomer(first.aya.id, first.order.id, "Trop long", "original")
      controls.wave.setUnavailable(true)
      assert.strictEqual((yield* Effect.flip(payments.refundToGateway(first.order.id)))._tag, "GatewayUnavailable")
      assert.strictEqual((yield* first.orders.get(first.place.owner, first.order.id)).paymentStatus, "refunding")
      assert.strictEqual(yield* escrowOf(first.place.provider.id), first.order.totals.totalXof)
      controls.wave.setUnavailable(false)
      assert.strictEqual(yield* payments.refundToGateway(first.order.id), "refunded")

      const second = yield* paidGatewayOrder("wave")
      yield* second.orders.cancelByCustomer(second.aya.id, second.order.id, "Trop long", "original")
      controls.wave.refuseRefund(second.intent.id)
      assert.strictEqual(yield* payments.refundToGateway(second.order.id), "to_wallet")
      assert.strictEqual(yield* balanceOf(second.aya.id), second.order.totals.totalXof)
      assert.strictEqual(yield* escrowOf(second.place.provider.id), 0)
      const last = (yield* (yield* OrderRepository).history(second.order.id)).at(-1)!
      assert.strictEqual(last.change, "refunded")
      assert.match(last.reason ?? "", /portefeuille NELO/u)
    }))

  it.effect("refused up front, nothing changed: CinetPay (its API refunds nothing), a wallet order; cancelled without asking, the wallet at once", () =>
    Effect.gen(function*() {
      const cinetpay = yield* paidGatewayOrder("cinetpay")
      const refused = yield* Effect.flip(cinetpay.orders.cancelByCustomer(cinetpay.aya.id, cinetpay.order.id, "Plus besoin", "original"))
      assert.strictEqual(refused._tag, "RefundToOriginalUnavailable")
      assert.deepInclude({ ...refused }, { gateway: "cinetpay" })
      const unchanged = yield* cinetpay.orders.get(cinetpay.place.owner, cinetpay.order.id)
      assert.deepStrictEqual([unchanged.status, unchanged.paymentStatus], ["pending", "paid"])
      assert.strictEqual(yield* escrowOf(cinetpay.place.provider.id), cinetpay.order.totals.totalXof)

      const orders = yield* Orders
      const place = yield* restaurant()
      const kofi = yield* customer(10_000)
      const walletOrder = yield* orders.place(kofi.id, { ...gatewayOrder(kofi, place, "wave"), paymentMethod: "wallet", pin: kofi.pin })
      const notFromGateway = yield* Effect.flip(orders.cancelByCustomer(kofi.id, walletOrder.id, "Plus besoin", "original"))
      assert.deepInclude({ ...notFromGateway }, { _tag: "RefundToOriginalUnavailable", gateway: null })

      // Asked nothing: the wallet, at once, as before.
      const toWallet = yield* cinetpay.orders.cancelByCustomer(cinetpay.aya.id, cinetpay.order.id, "Plus besoin")
      assert.strictEqual(toWallet.paymentStatus, "refunded")
      assert.strictEqual(yield* balanceOf(cinetpay.aya.id), cinetpay.order.totals.totalXof)
      assert.strictEqual(yield* (yield* Payments).refundToGateway(cinetpay.order.id), "nothing_to_do")
    }))
})
