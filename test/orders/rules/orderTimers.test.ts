import { assert, layer } from "@effect/vitest"
import { Effect, Option } from "effect"
import { TestClock } from "effect/testing"
import type { EventOf } from "@nelo/domain/events/DomainEvent"
import { OutboxStore } from "@nelo/domain/events/OutboxStore"
import { OrderDeadlines } from "@nelo/domain/orders/OrderDeadlines"
import { OrderRepository } from "@nelo/domain/orders/OrderRepository"
import { Orders } from "@nelo/domain/orders/Orders"
import { OrderTimers } from "@nelo/domain/orders/OrderTimers"
import { decodeDomainEvent } from "@nelo/domain/events/DomainEvent"
import { balanceOf, customer, escrowOf, ordersContext, restaurant } from "../ordersFixtures.ts"

// The orders' timers on the memory adapters, with the test clock: a provider that does not confirm
// in time loses the order (the customer refunded, the stock back); enforced early, late, twice, or
// after the order moved on, a deadline does nothing more.

const minute = 60_000
let keys = 0

/** The `order.created` event the outbox holds for this order, as the worker receives it. */
const createdEventOf = (orderId: string) =>
  OutboxStore.use((outbox) =>
    Effect.flatMap(outbox.withClaim(10_000, (batch) => Effect.succeed(batch.events.find((event) => event.aggregateId === orderId && event.type === "order.created"))), (stored) =>
      Effect.orDie(decodeDomainEvent(stored)))) as Effect.Effect<EventOf<"order.created">, never, OutboxStore>

layer(ordersContext(), { timeout: "30 seconds" })("order timers on the memory adapters", (it) => {
  const placeWalletOrder = Effect.gen(function*() {
    const place = yield* restaurant(10)
    const aya = yield* customer(10_000)
    const order = yield* (yield* Orders).place(aya.id, {
      providerId: place.provider.id,
      items: [{ productId: place.garbaId, quantity: 2, options: ["size-small"] }],
      addressId: aya.addressId,
      promoCode: null,
      paymentMethod: "wallet",
      note: null,
      pin: aya.pin,
      idempotencyKey: `timer-key-${++keys}`
    })
    return { place, aya, order }
  })

  it.effect("not confirmed within 10 minutes: cancelled by the system, the provider responsible, the customer refunded, the stock back; once", () =>
    Effect.gen(function*() {
      const timers = yield* OrderTimers
      const { place, aya, order } = yield* placeWalletOrder
      assert.strictEqual(yield* balanceOf(aya.id), 10_000 - order.totals.totalXof)

      yield* timers.scheduleFor(yield* createdEventOf(order.id))
      const pending = yield* (yield* OrderDeadlines).pendingFor(order.id)
      assert.deepStrictEqual(pending, [{ orderId: order.id, kind: "confirmation", at: new Date(order.createdAt.getTime() + 10 * minute) }])

      // Fired early: nothing happens, and it says when it is due.
      yield* TestClock.adjust(9 * minute)
      assert.deepStrictEqual(yield* timers.enforce(order.id, "confirmation"), { notDueUntil: new Date(order.createdAt.getTime() + 10 * minute) })
      assert.strictEqual(Option.getOrThrow(yield* (yield* OrderRepository).findById(order.id)).status, "pending")

      yield* TestClock.adjust(1 * minute)
      assert.strictEqual(yield* timers.enforce(order.id, "confirmation"), "cancelled")
      const cancelled = Option.getOrThrow(yield* (yield* OrderRepository).findById(order.id))
      assert.strictEqual(cancelled.status, "cancelled")
      assert.strictEqual(cancelled.paymentStatus, "refunded")
      assert.deepStrictEqual(cancelled.cancellation, { by: { kind: "system", id: "confirmation_deadline" }, responsible: "provider", reason: "Le commerce n'a pas confirmé la commande à temps." })
      assert.strictEqual(yield* balanceOf(aya.id), 10_000)
      assert.strictEqual(yield* escrowOf(place.provider.id), 0)

      // Enforced again (a redelivered job): nothing more.
      assert.strictEqual(yield* timers.enforce(order.id, "confirmation"), "moved_on")
      assert.strictEqual(yield* balanceOf(aya.id), 10_000)
      const history = yield* (yield* OrderRepository).history(order.id)
      assert.deepStrictEqual(history.map((change) => [change.change, change.actor.kind]), [["created", "customer"], ["cancelled", "system"]])
    }))

  it.effect("confirmed in time: the deadline does nothing", () =>
    Effect.gen(function*() {
      const timers = yield* OrderTimers
      const { place, order } = yield* placeWalletOrder
      yield* (yield* Orders).confirm(place.owner, order.id, 20)
      yield* TestClock.adjust(15 * minute)
      assert.strictEqual(yield* timers.enforce(order.id, "confirmation"), "moved_on")
      assert.strictEqual(Option.getOrThrow(yield* (yield* OrderRepository).findById(order.id)).status, "confirmed")
    }))

  it.effect("a gateway order still unpaid after 30 minutes expires, the customer responsible; paid in time, it does not", () =>
    Effect.gen(function*() {
      const timers = yield* OrderTimers
      const orders = yield* OrderRepository
      const { order } = yield* placeWalletOrder
      // Gateway orders are not placed yet through the use case: the same order, as awaiting its payment.
      const awaiting = { ...order, id: `${order.id.slice(0, -4)}aaaa`, reference: "ORD-AAAAAAAA", paymentMethod: "wave" as const, paymentStatus: "awaiting" as const, idempotencyKey: "awaiting-1" }
      yield* orders.create(awaiting, { orderId: awaiting.id, change: "created", from: null, to: "pending", actor: { kind: "customer", id: order.customerId }, reason: null, at: awaiting.createdAt })
      yield* TestClock.adjust(29 * minute)
      assert.strictEqual(typeof (yield* timers.enforce(awaiting.id, "payment")), "object")
      yield* TestClock.adjust(1 * minute)
      assert.strictEqual(yield* timers.enforce(awaiting.id, "payment"), "cancelled")
      const expired = Option.getOrThrow(yield* orders.findById(awaiting.id))
      assert.strictEqual(expired.status, "cancelled")
      assert.strictEqual(expired.cancellation?.responsible, "customer")
      assert.strictEqual(expired.paymentStatus, "unpaid", "nothing was paid: nothing refunded")
    }))
})
