import { assert, describe, it } from "@effect/vitest"
import type { Order, OrderChange } from "@nelo/domain/orders/Order"
import { orderNotices } from "@nelo/domain/orders/orderNotices"
import { xof } from "@nelo/domain/shared/Xof"

const order = (fields: Partial<Order> = {}): Order => ({
  id: "0192f3a4-5b6c-7d8e-9f00-112233445566",
  reference: "ORD-7K3M9QXA",
  customerId: "customer-1",
  providerId: "provider-1",
  status: "pending",
  lines: [
    { kind: "product", productId: "p", name: "Garba", unitPriceXof: xof(1_500), quantity: 2, options: [], lineTotalXof: xof(3_000) },
    { kind: "gas", gasProductId: "g", brand: "Petroci", bottleSizeKg: 6, sale: "refill", unitPriceXof: xof(2_000), quantity: 1, emptyBottlesToCollect: 1, lineTotalXof: xof(2_000) }
  ],
  totals: { subtotalXof: xof(5_000), deliveryFeeXof: xof(500), discountXof: xof(0), totalXof: xof(5_500) },
  promotion: null,
  paymentMethod: "wallet",
  paymentStatus: "paid",
  pickup: { name: "Maquis Chez Tanti", location: { lat: 5.898, lng: -4.822 }, landmark: "face au marché" },
  destination: { addressId: "a", label: "Maison", location: { lat: 5.905, lng: -4.83 }, landmark: "", zone: { id: "z", slug: "prof", name: "Prof" } },
  distanceM: 1_200,
  note: null,
  preparationMinutes: null,
  cancellation: null,
  idempotencyKey: "key-1",
  requestDigest: "digest",
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...fields
})

const change = (kind: OrderChange["change"], actor: OrderChange["actor"]["kind"], reason: string | null = null) => ({ change: kind, actor: { kind: actor, id: "x" }, reason })
const policy = { confirmWithinMs: 600_000 }

describe("order notices", () => {
  it("a payable new order tells its provider at once, with the items, the amount and the time to accept", () => {
    assert.deepStrictEqual(orderNotices(order(), change("created", "customer"), policy), [{
      to: "provider",
      body: "NELO : nouvelle commande ORD-7K3M9QXA, 3 article(s), 5 000 F CFA d'articles, déjà payée. Acceptez-la dans l'application dans les 10 minutes."
    }])
    assert.strictEqual(orderNotices(order({ paymentMethod: "cash", paymentStatus: "on_delivery" }), change("created", "customer"), policy)[0]!.body.includes("à encaisser à la livraison"), true)
    // A gateway order waiting for its payment: the provider hears of it once paid.
    assert.deepStrictEqual(orderNotices(order({ paymentStatus: "awaiting", paymentMethod: "wave" }), change("created", "customer"), policy), [])
    assert.strictEqual(orderNotices(order({ paymentMethod: "wave" }), change("paid", "system"), policy)[0]!.to, "provider")
  })

  it("the customer hears of the confirmation (with the minutes) and of the order ready", () => {
    assert.deepStrictEqual(orderNotices(order({ status: "confirmed", preparationMinutes: 20 }), change("confirmed", "provider"), policy), [
      { to: "customer", body: "NELO : Maquis Chez Tanti a accepté votre commande ORD-7K3M9QXA, prête dans environ 20 min." }
    ])
    assert.deepStrictEqual(orderNotices(order({ status: "ready" }), change("ready", "provider"), policy), [
      { to: "customer", body: "NELO : votre commande ORD-7K3M9QXA est prête chez Maquis Chez Tanti." }
    ])
    for (const kind of ["preparing", "picked_up", "delivering"] as const) assert.deepStrictEqual(orderNotices(order(), change(kind, "provider"), policy), [], kind)
  })

  it("a cancellation tells the other side: the customer with the refund, the provider unless it cancelled", () => {
    const refunded = order({ status: "cancelled", paymentStatus: "refunded" })
    assert.deepStrictEqual(orderNotices(refunded, change("cancelled", "provider", "Plus de poisson"), policy), [
      { to: "customer", body: "NELO : votre commande ORD-7K3M9QXA est annulée : Plus de poisson. 5 500 F CFA sont remboursés sur votre portefeuille NELO." }
    ])
    assert.deepStrictEqual(orderNotices(refunded, change("cancelled", "customer", "Trop long"), policy), [
      { to: "provider", body: "NELO : la commande ORD-7K3M9QXA est annulée par le client. Ne la préparez pas." }
    ])
    const bySystem = orderNotices(refunded, change("cancelled", "system", "Le commerce n'a pas confirmé la commande à temps."), policy)
    assert.deepStrictEqual(bySystem.map((notice) => notice.to), ["customer", "provider"])
    assert.strictEqual(bySystem[0]!.body, "NELO : votre commande ORD-7K3M9QXA est annulée : Le commerce n'a pas confirmé la commande à temps. 5 500 F CFA sont remboursés sur votre portefeuille NELO.")
    // An unpaid gateway order expiring: the provider never saw it.
    assert.deepStrictEqual(orderNotices(order({ status: "cancelled", paymentStatus: "unpaid" }), change("cancelled", "system", "Le paiement n'est pas arrivé à temps."), policy).map((notice) => notice.to), ["customer"])
  })
})
