import fc from "fast-check"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { applyDecision, orderChangedEvent } from "@nelo/domain/orders/applyDecision"
import type { Actor, NewOrderChange, Order, PaymentStatus } from "@nelo/domain/orders/Order"
import { defaultOrderPolicy } from "@nelo/domain/orders/OrderPolicy"
import { decide, type OrderCommand } from "@nelo/domain/orders/orderStateMachine"
import { xof } from "@nelo/domain/shared/Xof"

const created = new Date("2026-11-04T12:00:00Z")
const minute = 60_000

const order = (fields: Partial<Order> = {}): Order => ({
  id: "order-1",
  reference: "ORD-7K3M9P2Q",
  customerId: "customer-1",
  providerId: "maquis",
  status: "pending",
  lines: [{ kind: "product", productId: "garba", name: "Garba", unitPriceXof: xof(1_000), quantity: 2, options: [], lineTotalXof: xof(2_000) }],
  totals: { subtotalXof: xof(2_000), deliveryFeeXof: xof(500), discountXof: xof(0), totalXof: xof(2_500) },
  promotion: null,
  paymentMethod: "wave",
  paymentStatus: "awaiting",
  pickup: { name: "Maquis Chez Tanti", location: { lat: 5.898, lng: -4.822 }, landmark: "gare routière" },
  destination: {
    addressId: "address-1",
    label: "Maison",
    location: { lat: 5.905, lng: -4.822 },
    landmark: "portail bleu",
    zone: { id: "zone-1", slug: "commerce", name: "Commerce" }
  },
  distanceM: 778,
  note: null,
  preparationMinutes: null,
  cancellation: null,
  idempotencyKey: "key-1",
  requestDigest: "digest-1",
  deliveryCode: "4821",
  createdAt: created,
  updatedAt: created,
  ...fields
})

const system: Actor = { kind: "system", id: "wave_webhook" }
const provider: Actor = { kind: "provider", id: "owner-1" }
const driver: Actor = { kind: "driver", id: "driver-1" }
const customer: Actor = { kind: "customer", id: "customer-1" }

/** Decides and applies one command at a time, as changeOrder does. */
const run = (start: Order, steps: ReadonlyArray<readonly [OrderCommand, Actor]>) => {
  let current = start
  const changes: Array<NewOrderChange> = []
  steps.forEach(([command, actor], index) => {
    const decision = Result.getOrThrow(decide(current, command, actor, defaultOrderPolicy))
    const applied = applyDecision(current, decision, actor, new Date(created.getTime() + (index + 1) * minute))
    current = applied.order
    changes.push(applied.change)
  })
  return { order: current, changes }
}

describe("applyDecision", () => {
  it("marking paid sets the payment to paid and keeps the status; the history row says so", () => {
    const { changes, order: paid } = run(order(), [[{ _tag: "MarkPaid" }, system]])
    expect(paid.status).toBe("pending")
    expect(paid.paymentStatus).toBe("paid")
    expect(paid.updatedAt).toEqual(new Date(created.getTime() + minute))
    expect(paid.createdAt).toEqual(created)
    expect(changes).toEqual([{ orderId: "order-1", change: "paid", from: "pending", to: "pending", actor: system, reason: null, at: new Date(created.getTime() + minute) }])
  })

  it("the preparation time given when confirming is kept through the next steps; nothing else changes the payment", () => {
    const { changes, order: delivered } = run(order({ paymentStatus: "paid" }), [
      [{ _tag: "Confirm", preparationMinutes: 25 }, provider],
      [{ _tag: "StartPreparing" }, provider],
      [{ _tag: "MarkReady" }, provider],
      [{ _tag: "PickUp" }, driver],
      [{ _tag: "StartDelivering" }, driver],
      [{ _tag: "Deliver" }, driver]
    ])
    expect(delivered.status).toBe("delivered")
    expect(delivered.preparationMinutes).toBe(25)
    expect(delivered.paymentStatus).toBe("paid")
    expect(delivered.cancellation).toBeNull()
    expect(delivered.updatedAt).toEqual(new Date(created.getTime() + 6 * minute))
    expect(changes.map((change) => [change.change, change.from, change.to, change.actor.kind])).toEqual([
      ["confirmed", "pending", "confirmed", "provider"],
      ["preparing", "confirmed", "preparing", "provider"],
      ["ready", "preparing", "ready", "provider"],
      ["picked_up", "ready", "picked_up", "driver"],
      ["delivering", "picked_up", "delivering", "driver"],
      ["delivered", "delivering", "delivered", "driver"]
    ])
    // Everything but the status, the time, and what the decisions carry is the order as placed.
    const { preparationMinutes, status, updatedAt, ...rest } = delivered
    const { preparationMinutes: _p, status: _s, updatedAt: _u, ...placed } = order({ paymentStatus: "paid" })
    expect(rest).toEqual(placed)
  })

  it("a cancellation is recorded on the order with its reason; the payment status is left to the refund", () => {
    const { changes, order: cancelled } = run(order({ paymentStatus: "paid" }), [[{ _tag: "Cancel", reason: "trop long" }, customer]])
    expect(cancelled.status).toBe("cancelled")
    expect(cancelled.cancellation).toEqual({ by: customer, responsible: "customer", reason: "trop long" })
    expect(cancelled.paymentStatus).toBe("paid")
    expect(changes[0]).toMatchObject({ change: "cancelled", from: "pending", to: "cancelled", reason: "trop long", actor: customer })
  })

  it("a failed delivery keeps its reason in the history", () => {
    const { changes, order: failed } = run(order({ status: "delivering", paymentStatus: "on_delivery", preparationMinutes: 10 }), [[{ _tag: "Fail", reason: "client absent" }, driver]])
    expect(failed.status).toBe("failed")
    expect(failed.preparationMinutes).toBe(10)
    expect(failed.cancellation).toBeNull()
    expect(changes[0]).toMatchObject({ change: "failed", from: "delivering", to: "failed", reason: "client absent" })
  })

  it("property: the order takes the decision's status and time; paid only from MarkPaid; the event carries the change", () => {
    fc.assert(fc.property(
      fc.constantFrom<PaymentStatus>("awaiting", "paid", "on_delivery"),
      fc.option(fc.integer({ min: 1, max: 180 }), { nil: null }),
      fc.integer({ min: 0, max: 10_000 }),
      (paymentStatus, preparationMinutes, offsetMinutes) => {
        const start = order({ paymentStatus, preparationMinutes })
        const now = new Date(created.getTime() + offsetMinutes * minute)
        const commands: ReadonlyArray<readonly [OrderCommand, Actor]> = [
          [{ _tag: "MarkPaid" }, system],
          [{ _tag: "Confirm", preparationMinutes: 40 }, provider],
          [{ _tag: "Reject", reason: "fermé" }, provider],
          [{ _tag: "Cancel", reason: "erreur" }, customer]
        ]
        for (const [command, actor] of commands) {
          const decided = decide(start, command, actor, defaultOrderPolicy)
          if (Result.isFailure(decided)) continue
          const { change, order: next } = applyDecision(start, decided.success, actor, now)
          expect(next.status).toBe(decided.success.to)
          expect(next.updatedAt).toBe(now)
          expect(next.paymentStatus).toBe(command._tag === "MarkPaid" ? "paid" : paymentStatus)
          expect(next.preparationMinutes).toBe(command._tag === "Confirm" ? 40 : preparationMinutes)
          const event = orderChangedEvent("event-1", next, { ...change, id: 42, position: 7 })
          expect(event).toMatchObject({
            id: "event-1",
            type: `order.${decided.success.change}`,
            aggregateType: "order",
            aggregateId: "order-1",
            occurredAt: now.toISOString(),
            payload: { changeId: 42, change: decided.success.change, from: "pending", status: decided.success.to, paymentStatus: next.paymentStatus, totalXof: 2_500, actor }
          })
        }
      }
    ))
  })
})
