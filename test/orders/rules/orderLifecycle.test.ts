import { assert, layer } from "@effect/vitest"
import fc from "fast-check"
import { Effect, Exit, Option } from "effect"
import { MenuRepository } from "@nelo/domain/catalogue/MenuRepository"
import { OutboxStore } from "@nelo/domain/events/OutboxStore"
import type { Actor, Order } from "@nelo/domain/orders/Order"
import { OrderPolicy } from "@nelo/domain/orders/OrderPolicy"
import { OrderRepository } from "@nelo/domain/orders/OrderRepository"
import { Orders } from "@nelo/domain/orders/Orders"
import { decide, type OrderCommand, replayStatus } from "@nelo/domain/orders/orderStateMachine"
import type { PlaceOrderInput } from "@nelo/domain/orders/placeOrder"
import { Wallet } from "@nelo/domain/wallet/Wallet"
import { Payments } from "@nelo/domain/payments/Payments"
import { PaymentIntentRepository } from "@nelo/domain/payments/PaymentIntentRepository"
import { GatewayControls } from "@nelo/adapters/memory/PaymentGatewaysMemory"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { balanceOf, customer, escrowOf, ordersContext, type OrdersContext, restaurant } from "../ordersFixtures.ts"

// The orders' use cases end to end on the memory adapters: an order, its money in the ledger, its
// stock, its history and its events move together, whatever commands come in whatever order.

let keys = 0
const key = () => `test-order-key-${++keys}`

const garbaOrder = (who: { readonly addressId: string; readonly pin: string }, place: { readonly provider: { readonly id: string }; readonly garbaId: string }, quantity = 2): PlaceOrderInput => ({
  providerId: place.provider.id,
  items: [{ productId: place.garbaId, quantity, options: ["size-large"] }],
  addressId: who.addressId,
  promoCode: null,
  paymentMethod: "wallet",
  note: null,
  pin: who.pin,
  idempotencyKey: key()
})

const stockOf = (providerId: string, productId: string) =>
  MenuRepository.use((menus) => Effect.map(menus.findProduct(providerId, productId), (found) => Option.getOrThrow(found).stock))

const eventsOf = (orderId: string) =>
  OutboxStore.use((outbox) => Effect.map(outbox.withClaim(10_000, (batch) => Effect.succeed(batch.events.filter((event) => event.aggregateId === orderId))), (events) => events ?? []))

/** The order's own events, without the notifications written with them. */
const orderEventsOf = (orderId: string) => Effect.map(eventsOf(orderId), (events) => events.filter((event) => event.type.startsWith("order.")))

layer(ordersContext(), { timeout: "60 seconds" })("orders on the memory adapters", (it) => {
  it.effect("a wallet order takes its total from the wallet into the provider's escrow, reserves its stock, and writes one change and one event", () =>
    Effect.gen(function*() {
      const orders = yield* Orders
      const place = yield* restaurant(10)
      const aya = yield* customer(10_000)
      const order = yield* orders.place(aya.id, garbaOrder(aya, place))
      // 2 × (1,500 + 500) = 4,000 F, 1.2 km: 500 F of delivery.
      assert.deepStrictEqual(order.totals, { subtotalXof: 4_000, deliveryFeeXof: 500, discountXof: 0, totalXof: 4_500 })
      assert.match(order.reference, /^ORD-[0-9A-HJKMNP-TV-Z]{8}$/u)
      assert.strictEqual(order.paymentStatus, "paid")
      assert.strictEqual(yield* balanceOf(aya.id), 5_500)
      assert.strictEqual(yield* escrowOf(place.provider.id), 4_500)
      assert.strictEqual(yield* stockOf(place.provider.id, place.garbaId), 8)
      const history = yield* (yield* OrderRepository).history(order.id)
      assert.deepStrictEqual(history.map((change) => [change.change, change.to, change.actor.kind]), [["created", "pending", "customer"]])
      const events = yield* eventsOf(order.id)
      assert.deepStrictEqual(events.map((event) => event.type), ["order.created", "notification.requested", "notification.requested"])
      const sms = events[1]!.payload as { readonly to: string; readonly body: string }
      const owner = Option.getOrThrow(yield* (yield* UserRepository).findById(place.owner.userId))
      assert.strictEqual(sms.to, owner.phone, "the provider's owner is told at once")
      assert.match(sms.body, new RegExp(`^NELO : nouvelle commande ${order.reference}, 2 article\\(s\\), 4 000 F CFA d'articles, déjà payée\\. Acceptez-la dans l'application dans les 10 minutes\\.$`, "u"))
      assert.deepInclude(events[2]!.payload, { channel: "push", userId: owner.id, body: sms.body }, "and on the provider app")
    }))

  it.effect("refused for want of money, an order writes nothing: no order, no stock taken, no event", () =>
    Effect.gen(function*() {
      const orders = yield* Orders
      const place = yield* restaurant(10)
      const aya = yield* customer(4_000)
      const input = garbaOrder(aya, place)
      const refused = yield* Effect.flip(orders.place(aya.id, input))
      assert.strictEqual(refused._tag, "InsufficientFunds")
      assert.isTrue(Option.isNone(yield* (yield* OrderRepository).findByKey(aya.id, input.idempotencyKey)))
      assert.strictEqual(yield* stockOf(place.provider.id, place.garbaId), 10)
      assert.strictEqual(yield* balanceOf(aya.id), 4_000)
      assert.strictEqual(yield* escrowOf(place.provider.id), 0)
    }))

  it.effect("a Wave order waits for its payment (stock held, the provider not told), then the gateway's confirmation moves it into escrow once and tells the provider", () =>
    Effect.gen(function*() {
      const orders = yield* Orders
      const payments = yield* Payments
      const place = yield* restaurant(10)
      const aya = yield* customer(0)
      const input = { ...garbaOrder(aya, place), paymentMethod: "wave" as const, pin: null }
      const order = yield* orders.place(aya.id, input)
      assert.strictEqual(order.paymentStatus, "awaiting")
      assert.strictEqual(yield* stockOf(place.provider.id, place.garbaId), 8, "the stock is held for it")
      const checkout = yield* orders.checkoutOf(order)
      assert.strictEqual(checkout?.gateway, "wave")
      assert.isString(checkout?.paymentUrl)
      assert.deepStrictEqual((yield* eventsOf(order.id)).map((event) => event.type), ["order.created"], "the provider hears of it once paid")
      // Confirming with the provider before the payment: refused.
      assert.strictEqual((yield* Effect.flip(orders.confirm(place.owner, order.id, 10)))._tag, "OrderAwaitingPayment")

      const intent = Option.getOrThrow(yield* (yield* PaymentIntentRepository).findByOrder(order.id))
      ;(yield* GatewayControls).wave.pay(intent.id)
      assert.strictEqual(yield* payments.confirmTopup(intent.id, { kind: "system", id: "test" }), "credited")
      assert.strictEqual(yield* payments.confirmTopup(intent.id, { kind: "system", id: "test" }), "already_settled")
      const paid = yield* orders.get(place.owner, order.id)
      assert.strictEqual(paid.paymentStatus, "paid")
      assert.strictEqual(yield* escrowOf(place.provider.id), order.totals.totalXof)
      assert.strictEqual(yield* balanceOf(aya.id), 0, "the wallet never saw it")
      assert.deepStrictEqual((yield* eventsOf(order.id)).map((event) => event.type), ["order.created", "order.paid", "notification.requested", "notification.requested"])
      assert.strictEqual((yield* orders.confirm(place.owner, order.id, 10)).status, "confirmed")

      // Cancelled by the provider: the customer's money comes back to the wallet.
      yield* orders.reject(place.owner, order.id, "fermeture").pipe(Effect.flip)
      yield* orders.cancelByAdmin({ userId: aya.id, roles: ["admin"] }, order.id, "test", "provider")
      assert.strictEqual(yield* balanceOf(aya.id), order.totals.totalXof)
      assert.strictEqual(yield* escrowOf(place.provider.id), 0)
    }))

  it.effect("a payment arriving after its order expired goes to the customer's wallet; no gateway able to open a checkout cancels the order at once", () =>
    Effect.gen(function*() {
      const orders = yield* Orders
      const payments = yield* Payments
      const place = yield* restaurant(10)
      const aya = yield* customer(0)
      const order = yield* orders.place(aya.id, { ...garbaOrder(aya, place), paymentMethod: "cinetpay", pin: null })
      yield* orders.change(order.id, { _tag: "Cancel", reason: "Le paiement n'est pas arrivé à temps.", responsible: "customer" }, { kind: "system", id: "payment_deadline" }, () => Effect.succeed(true))
      const intent = Option.getOrThrow(yield* (yield* PaymentIntentRepository).findByOrder(order.id))
      ;(yield* GatewayControls).cinetpay.pay(intent.id)
      assert.strictEqual(yield* payments.confirmTopup(intent.id, { kind: "system", id: "test" }), "credited")
      assert.strictEqual(yield* balanceOf(aya.id), order.totals.totalXof)
      assert.strictEqual((yield* orders.get(place.owner, order.id)).status, "cancelled")

      const controls = yield* GatewayControls
      controls.wave.setUnavailable(true)
      controls.cinetpay.setUnavailable(true)
      const input = { ...garbaOrder(aya, place), paymentMethod: "wave" as const, pin: null }
      assert.strictEqual((yield* Effect.flip(orders.place(aya.id, input)))._tag, "PaymentsUnavailable")
      controls.wave.setUnavailable(false)
      controls.cinetpay.setUnavailable(false)
      const given = Option.getOrThrow(yield* (yield* OrderRepository).findByKey(aya.id, input.idempotencyKey))
      assert.strictEqual(given.status, "cancelled")
      assert.strictEqual(given.cancellation?.responsible, "platform")
      assert.strictEqual(yield* stockOf(place.provider.id, place.garbaId), 10, "both orders' items back on the shelf")
    }))

  it.effect("the same key again is the same order; with another cart it is refused", () =>
    Effect.gen(function*() {
      const orders = yield* Orders
      const place = yield* restaurant(10)
      const aya = yield* customer(20_000)
      const input = garbaOrder(aya, place)
      const first = yield* orders.place(aya.id, input)
      const again = yield* orders.place(aya.id, input)
      assert.strictEqual(again.id, first.id)
      assert.strictEqual(yield* balanceOf(aya.id), 20_000 - 4_500)
      const other = yield* Effect.flip(orders.place(aya.id, { ...input, items: [{ productId: place.garbaId, quantity: 1, options: ["size-small"] }] }))
      assert.strictEqual(other._tag, "OrderKeyReused")
    }))

  it.effect("50 cash orders at once for 10 units: exactly 10 placed, the stock at 0, the others told it is out of stock", () =>
    Effect.gen(function*() {
      const orders = yield* Orders
      const place = yield* restaurant(10)
      const people = yield* Effect.forEach(Array.from({ length: 50 }), () => customer(0))
      const exits = yield* Effect.forEach(people, (person) =>
        Effect.exit(orders.place(person.id, { ...garbaOrder(person, place, 1), paymentMethod: "cash", pin: null })), { concurrency: "unbounded" })
      const placed = exits.filter(Exit.isSuccess)
      assert.strictEqual(placed.length, 10)
      assert.strictEqual(yield* stockOf(place.provider.id, place.garbaId), 0)
      for (const exit of exits.filter(Exit.isFailure)) {
        assert.include(JSON.stringify(Exit.isFailure(exit) ? exit.cause : null), "OutOfStock")
      }
    }))

  it.effect("property: random commands by random parties follow the state machine; history replays to the status; money and stock come back whole on cancellation", () =>
    Effect.gen(function*() {
      const context = yield* Effect.context<OrdersContext>()
      const policy = yield* OrderPolicy
      const commandArbitrary = fc.oneof(
        fc.constant<OrderCommand>({ _tag: "Confirm", preparationMinutes: 15 }),
        fc.constant<OrderCommand>({ _tag: "Reject", reason: "plus de poisson" }),
        fc.constant<OrderCommand>({ _tag: "StartPreparing" }),
        fc.constant<OrderCommand>({ _tag: "MarkReady" }),
        fc.constant<OrderCommand>({ _tag: "PickUp" }),
        fc.constant<OrderCommand>({ _tag: "StartDelivering" }),
        fc.constant<OrderCommand>({ _tag: "Deliver" }),
        fc.constant<OrderCommand>({ _tag: "Fail", reason: "absent" }),
        fc.constant<OrderCommand>({ _tag: "MarkPaid" }),
        fc.constantFrom<OrderCommand>({ _tag: "Cancel", reason: "changé d'avis" }, { _tag: "Cancel", reason: "fermeture", responsible: "provider" })
      )
      const actorKind = fc.constantFrom<Actor["kind"]>("customer", "provider", "driver", "admin", "system")
      const run = (steps: ReadonlyArray<readonly [OrderCommand, Actor["kind"]]>) =>
        Effect.gen(function*() {
          const orders = yield* Orders
          const place = yield* restaurant(10)
          const aya = yield* customer(10_000)
          const placed = yield* orders.place(aya.id, garbaOrder(aya, place))
          let expected: Order = placed
          for (const [command, kind] of steps as ReadonlyArray<readonly [OrderCommand, Actor["kind"]]>) {
            const actor: Actor = { kind, id: kind === "customer" ? aya.id : kind === "provider" ? place.owner.userId : `${kind}-1` }
            const verdict = decide(expected, command, actor, policy)
            const exit = yield* Effect.exit(orders.change(placed.id, command, actor, () => Effect.succeed(true)))
            assert.strictEqual(Exit.isSuccess(exit), verdict._tag === "Success", `${command._tag} by ${kind} from ${expected.status}`)
            if (Exit.isSuccess(exit)) expected = exit.value
          }
          const stored = Option.getOrThrow(yield* (yield* OrderRepository).findById(placed.id))
          const history = yield* (yield* OrderRepository).history(placed.id)
          assert.strictEqual(stored.status, expected.status)
          assert.strictEqual(replayStatus(history), stored.status)
          assert.deepStrictEqual((yield* orderEventsOf(placed.id)).map((event) => event.type), history.map((change) => `order.${change.change}`))
          if (stored.status === "cancelled") {
            assert.strictEqual(stored.paymentStatus, "refunded")
            assert.strictEqual(yield* balanceOf(aya.id), 10_000, "the payer is whole again")
            assert.strictEqual(yield* escrowOf(place.provider.id), 0)
            assert.strictEqual(yield* stockOf(place.provider.id, place.garbaId), 10)
          } else {
            assert.strictEqual(yield* balanceOf(aya.id), 10_000 - stored.totals.totalXof)
            assert.strictEqual(yield* escrowOf(place.provider.id), stored.totals.totalXof)
            assert.strictEqual(yield* stockOf(place.provider.id, place.garbaId), 8)
          }
          const audit = yield* (yield* Wallet).audit
          assert.deepStrictEqual(audit.differences, [])
        })
      yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(fc.array(fc.tuple(commandArbitrary, actorKind), { minLength: 1, maxLength: 12 }), (steps) => Effect.runPromiseWith(context)(run(steps))),
          { numRuns: 150 }
        )
      )
    }), 60_000)

  it.effect("a cancel racing a confirm: exactly one wins", () =>
    Effect.gen(function*() {
      const orders = yield* Orders
      for (let round = 0; round < 10; round++) {
        const place = yield* restaurant(10)
        const aya = yield* customer(10_000)
        const order = yield* orders.place(aya.id, garbaOrder(aya, place))
        const [cancel, confirm] = yield* Effect.all([
          Effect.exit(orders.cancelByCustomer(aya.id, order.id, "trop long")),
          Effect.exit(orders.confirm(place.owner, order.id, 20))
        ], { concurrency: "unbounded" })
        // The policy lets a customer cancel a confirmed order too: both may pass, one after the other,
        // but never a confirmation of a cancelled order.
        const final = yield* orders.get(place.owner, order.id)
        if (Exit.isSuccess(confirm) && Exit.isSuccess(cancel)) assert.strictEqual(final.status, "cancelled")
        else if (Exit.isSuccess(confirm)) assert.strictEqual(final.status, "confirmed")
        else assert.strictEqual(final.status, "cancelled")
        const history = yield* (yield* OrderRepository).history(order.id)
        assert.strictEqual(replayStatus(history), final.status)
      }
    }))
})
