import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { IdGeneratorUuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { ProviderRepositoryMemory } from "@nelo/adapters/memory/ProviderRepositoryMemory"
import { UserRepositoryMemory } from "@nelo/adapters/memory/UserRepositoryMemory"
import { ZoneRepositoryMemory } from "@nelo/adapters/memory/ZoneRepositoryMemory"
import { ProviderRepository } from "@nelo/domain/catalogue/ProviderRepository"
import { NotificationRequested } from "@nelo/domain/notifications/NotificationRequested"
import type { Order, OrderChange } from "@nelo/domain/orders/Order"
import { makeOrderNoticeEvents, orderNotices } from "@nelo/domain/orders/orderNotices"
import { OrderPolicy } from "@nelo/domain/orders/OrderPolicy"
import { xof } from "@nelo/domain/shared/Xof"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { makeNewUser } from "../../users/contracts/userRepositoryContract.ts"

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
  deliveryCode: "4821",
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...fields
})

const change = (kind: OrderChange["change"], actor: OrderChange["actor"]["kind"], reason: string | null = null) => ({ change: kind, actor: { kind: actor, id: "x" }, reason })
const policy = { confirmWithinMs: 600_000 }

describe("order notices", () => {
  it("a payable new order tells its provider at once, by SMS and push, with the items, the amount and the time to accept", () => {
    assert.deepStrictEqual(orderNotices(order(), change("created", "customer"), policy), [{
      to: "provider",
      via: "sms-and-push",
      title: "Nouvelle commande",
      body: "NELO : nouvelle commande ORD-7K3M9QXA, 3 article(s), 5 000 F CFA d'articles, déjà payée. Acceptez-la dans l'application dans les 10 minutes."
    }])
    assert.strictEqual(orderNotices(order({ paymentMethod: "cash", paymentStatus: "on_delivery" }), change("created", "customer"), policy)[0]!.body.includes("à encaisser à la livraison"), true)
    // A gateway order waiting for its payment: the provider hears of it once paid.
    assert.deepStrictEqual(orderNotices(order({ paymentStatus: "awaiting", paymentMethod: "wave" }), change("created", "customer"), policy), [])
    assert.deepInclude(orderNotices(order({ paymentMethod: "wave" }), change("paid", "system"), policy)[0]!, { to: "provider", via: "sms-and-push", title: "Nouvelle commande" })
  })

  it("the customer hears of the confirmation (with the minutes) and of the order ready, by push (SMS if no phone of theirs gets it)", () => {
    assert.deepStrictEqual(orderNotices(order({ status: "confirmed", preparationMinutes: 20 }), change("confirmed", "provider"), policy), [
      { to: "customer", via: "push-else-sms", title: "Commande acceptée", body: "NELO : Maquis Chez Tanti a accepté votre commande ORD-7K3M9QXA, prête dans environ 20 min." }
    ])
    assert.deepStrictEqual(orderNotices(order({ status: "ready" }), change("ready", "provider"), policy), [
      { to: "customer", via: "push-else-sms", title: "Commande prête", body: "NELO : votre commande ORD-7K3M9QXA est prête chez Maquis Chez Tanti." }
    ])
    for (const kind of ["preparing", "picked_up"] as const) assert.deepStrictEqual(orderNotices(order(), change(kind, "provider"), policy), [], kind)
  })

  it("on the way, the customer gets the delivery code to read out at the door; then delivered, or failed with the reason and the refund", () => {
    const onTheWay = order({ status: "delivering" })
    const [notice] = orderNotices(onTheWay, change("delivering", "driver"), policy)
    assert.strictEqual(notice?.to, "customer")
    assert.isTrue(notice?.body.includes(`Code de livraison à donner au livreur : ${onTheWay.deliveryCode}.`))
    assert.deepStrictEqual(orderNotices(order({ status: "delivered" }), change("delivered", "driver"), policy).map((found) => found.title), ["Commande livrée"])
    const failedRefunded = orderNotices(order({ status: "failed", paymentStatus: "refunded" }), { ...change("failed", "driver"), reason: "commande abîmée" }, policy)
    assert.isTrue(failedRefunded[0]!.body.includes("(commande abîmée)") && failedRefunded[0]!.body.includes("remboursés sur votre portefeuille"))
    const failedKept = orderNotices(order({ status: "failed" }), { ...change("failed", "driver"), reason: "client absent" }, policy)
    assert.isTrue(failedKept[0]!.body.includes("Contactez le support"))
  })

  it("a cancellation tells the other side: the customer with the refund (push, else SMS), the provider unless it cancelled (SMS and push: it may be cooking)", () => {
    const refunded = order({ status: "cancelled", paymentStatus: "refunded" })
    assert.deepStrictEqual(orderNotices(refunded, change("cancelled", "provider", "Plus de poisson"), policy), [
      { to: "customer", via: "push-else-sms", title: "Commande annulée", body: "NELO : votre commande ORD-7K3M9QXA est annulée : Plus de poisson. 5 500 F CFA sont remboursés sur votre portefeuille NELO." }
    ])
    assert.deepStrictEqual(orderNotices(refunded, change("cancelled", "customer", "Trop long"), policy), [
      { to: "provider", via: "sms-and-push", title: "Commande annulée", body: "NELO : la commande ORD-7K3M9QXA est annulée par le client. Ne la préparez pas." }
    ])
    const bySystem = orderNotices(refunded, change("cancelled", "system", "Le commerce n'a pas confirmé la commande à temps."), policy)
    assert.deepStrictEqual(bySystem.map((notice) => notice.to), ["customer", "provider"])
    assert.strictEqual(bySystem[0]!.body, "NELO : votre commande ORD-7K3M9QXA est annulée : Le commerce n'a pas confirmé la commande à temps. 5 500 F CFA sont remboursés sur votre portefeuille NELO.")
    // An unpaid gateway order expiring: the provider never saw it.
    assert.deepStrictEqual(orderNotices(order({ status: "cancelled", paymentStatus: "unpaid" }), change("cancelled", "system", "Le paiement n'est pas arrivé à temps."), policy).map((notice) => notice.to), ["customer"])
  })
})

/** The people and the provider the notices go to, in memory. */
const noticeWorld = Layer.mergeAll(UserRepositoryMemory, ProviderRepositoryMemory.pipe(Layer.provide(ZoneRepositoryMemory)), IdGeneratorUuidV7, OrderPolicy.defaults)

const allDay = { weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, intervals: [{ opens: "00:00", closes: "24:00" }] })), exceptions: [], paused: false, timeZone: "Africa/Abidjan" }

describe("order notice events", () => {
  it.effect("the owner gets a new order by SMS and by push; the customer gets pushes with the phone as fallback; each push names the order", () =>
    Effect.gen(function*() {
      const users = yield* UserRepository
      const customer = yield* users.create(makeNewUser())
      const owner = yield* users.create(makeNewUser({ roles: ["client", "provider"] }))
      const provider = yield* (yield* ProviderRepository).create({
        id: "0192f3a4-0000-7000-8000-0000000000aa",
        ownerId: owner.id,
        type: "restaurant",
        name: "Maquis Chez Tanti",
        description: "",
        location: { lat: 5.898, lng: -4.822 },
        landmark: "face au marché",
        schedule: allDay as never,
        now: new Date(0)
      })
      const noticeEvents = yield* makeOrderNoticeEvents
      const placed = order({ customerId: customer.id, providerId: provider.id })
      const at = new Date(Date.UTC(2026, 10, 25, 10))
      const written = (kind: OrderChange["change"], actor: OrderChange["actor"]["kind"], to: OrderChange["to"]): OrderChange =>
        ({ ...change(kind, actor), id: 1, position: 1, orderId: placed.id, from: "pending", to, at })
      const data = (kind: string) => ({ orderId: placed.id, reference: placed.reference, kind })

      const created = yield* noticeEvents(placed, written("created", "customer", "pending"))
      const newOrderBody = "NELO : nouvelle commande ORD-7K3M9QXA, 3 article(s), 5 000 F CFA d'articles, déjà payée. Acceptez-la dans l'application dans les 10 minutes."
      assert.deepStrictEqual(created.map((event) => event.payload), [
        { channel: "sms", to: owner.phone, body: newOrderBody },
        { channel: "push", userId: owner.id, title: "Nouvelle commande", body: newOrderBody, data: data("created") }
      ])

      const accepted = yield* noticeEvents({ ...placed, status: "confirmed", preparationMinutes: 20 }, written("confirmed", "provider", "confirmed"))
      assert.deepStrictEqual(accepted.map((event) => event.payload), [{
        channel: "push",
        userId: customer.id,
        title: "Commande acceptée",
        body: "NELO : Maquis Chez Tanti a accepté votre commande ORD-7K3M9QXA, prête dans environ 20 min.",
        data: data("confirmed"),
        fallbackPhone: customer.phone
      }])

      const cancelled = yield* noticeEvents({ ...placed, status: "cancelled", paymentStatus: "refunded" }, written("cancelled", "system", "cancelled"))
      assert.deepStrictEqual(cancelled.map((event) => [event.payload.channel, "userId" in event.payload ? event.payload.userId : event.payload.to]), [
        ["push", customer.id],
        ["sms", owner.phone],
        ["push", owner.id]
      ])

      const all = [...created, ...accepted, ...cancelled]
      assert.strictEqual(new Set(all.map((event) => event.id)).size, all.length, "one id per event: each is delivered once on its own")
      for (const event of all) {
        assert.deepInclude(event, { type: "notification.requested", aggregateType: "order", aggregateId: placed.id, occurredAt: at.toISOString() })
        assert.deepStrictEqual(Schema.decodeUnknownSync(NotificationRequested)(event.payload), event.payload, "what the worker will decode")
      }
    }).pipe(Effect.provide(noticeWorld)))

  it.effect("a person who no longer exists is skipped; an order nobody is told of makes no event", () =>
    Effect.gen(function*() {
      const noticeEvents = yield* makeOrderNoticeEvents
      const placed = order({ customerId: "0192f3a4-0000-7000-8000-0000000000cc", providerId: "0192f3a4-0000-7000-8000-0000000000dd" })
      const written = (kind: OrderChange["change"]): OrderChange =>
        ({ ...change(kind, "provider"), id: 1, position: 1, orderId: placed.id, from: "pending", to: "confirmed", at: new Date(0) })
      assert.deepStrictEqual(yield* noticeEvents(placed, written("confirmed")), [])
      assert.deepStrictEqual(yield* noticeEvents(placed, written("preparing")), [])
    }).pipe(Effect.provide(noticeWorld)))
})
