import { assert, describe, it } from "@effect/vitest"
import { defaultOrderPolicy } from "@nelo/domain/orders/OrderPolicy"
import { deadlineAfter, judgeDeadline } from "@nelo/domain/orders/orderDeadlineRules"
import type { Order } from "@nelo/domain/orders/Order"

const policy = { ...defaultOrderPolicy, confirmWithinMs: 600_000, unpaidExpireAfterMs: 1_800_000 }
const at = new Date("2026-12-07T12:00:00.000Z")
const minute = 60_000

const order = (fields: Partial<Pick<Order, "status" | "paymentStatus" | "createdAt" | "updatedAt">>) => ({
  status: "pending" as const,
  paymentStatus: "paid" as const,
  createdAt: at,
  updatedAt: at,
  ...fields
})

describe("order deadlines", () => {
  it("a payable new order starts the provider's clock; an unpaid one the customer's; the payment the provider's", () => {
    assert.deepStrictEqual(deadlineAfter({ orderId: "o", change: "created", paymentStatus: "paid" }, at, policy), { orderId: "o", kind: "confirmation", at: new Date(at.getTime() + 10 * minute) })
    assert.deepStrictEqual(deadlineAfter({ orderId: "o", change: "created", paymentStatus: "on_delivery" }, at, policy), { orderId: "o", kind: "confirmation", at: new Date(at.getTime() + 10 * minute) })
    assert.deepStrictEqual(deadlineAfter({ orderId: "o", change: "created", paymentStatus: "awaiting" }, at, policy), { orderId: "o", kind: "payment", at: new Date(at.getTime() + 30 * minute) })
    assert.deepStrictEqual(deadlineAfter({ orderId: "o", change: "paid", paymentStatus: "paid" }, at, policy), { orderId: "o", kind: "confirmation", at: new Date(at.getTime() + 10 * minute) })
    for (const change of ["confirmed", "preparing", "ready", "cancelled", "delivered"] as const) {
      assert.isNull(deadlineAfter({ orderId: "o", change, paymentStatus: "paid" }, at, policy), change)
    }
  })

  it("confirmation: due at the minute, counted from the order's last change while pending; the provider responsible", () => {
    assert.deepStrictEqual(judgeDeadline(order({}), "confirmation", at.getTime() + 10 * minute - 1, policy), { _tag: "NotDue", at: new Date(at.getTime() + 10 * minute) })
    assert.deepStrictEqual(judgeDeadline(order({}), "confirmation", at.getTime() + 10 * minute, policy), { _tag: "Due", reason: "Le commerce n'a pas confirmé la commande à temps.", responsible: "provider" })
    // Paid five minutes after it was created: the provider's ten minutes start then.
    const paidLater = order({ updatedAt: new Date(at.getTime() + 5 * minute) })
    assert.strictEqual(judgeDeadline(paidLater, "confirmation", at.getTime() + 12 * minute, policy)._tag, "NotDue")
    assert.strictEqual(judgeDeadline(paidLater, "confirmation", at.getTime() + 15 * minute, policy)._tag, "Due")
    for (const status of ["confirmed", "preparing", "cancelled", "delivered"] as const) {
      assert.deepStrictEqual(judgeDeadline(order({ status }), "confirmation", at.getTime() + 60 * minute, policy), { _tag: "MovedOn" }, status)
    }
    assert.deepStrictEqual(judgeDeadline(order({ paymentStatus: "awaiting" }), "confirmation", at.getTime() + 60 * minute, policy), { _tag: "MovedOn" })
  })

  it("payment: due thirty minutes after creation while still awaiting; the customer responsible; paid or cancelled, nothing", () => {
    const awaiting = order({ paymentStatus: "awaiting" })
    assert.strictEqual(judgeDeadline(awaiting, "payment", at.getTime() + 30 * minute - 1, policy)._tag, "NotDue")
    assert.deepStrictEqual(judgeDeadline(awaiting, "payment", at.getTime() + 30 * minute, policy), { _tag: "Due", reason: "Le paiement n'est pas arrivé à temps.", responsible: "customer" })
    assert.deepStrictEqual(judgeDeadline(order({ paymentStatus: "paid" }), "payment", at.getTime() + 60 * minute, policy), { _tag: "MovedOn" })
    assert.deepStrictEqual(judgeDeadline(order({ paymentStatus: "awaiting", status: "cancelled" }), "payment", at.getTime() + 60 * minute, policy), { _tag: "MovedOn" })
  })
})
