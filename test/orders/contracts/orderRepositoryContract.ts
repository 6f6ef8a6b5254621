import { randomInt } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import type { ProviderRepository } from "@nelo/domain/catalogue/ProviderRepository"
import type { NewOrderChange, Order, OrderChange, OrderStatus } from "@nelo/domain/orders/Order"
import { crockfordAlphabet } from "@nelo/domain/orders/orderReference"
import { type OrderListQuery, OrderRepository } from "@nelo/domain/orders/OrderRepository"
import { Transactional } from "@nelo/domain/shared/Transactional"
import { xof } from "@nelo/domain/shared/Xof"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { newProvider } from "../../catalogue/contracts/menuRepositoryContract.ts"
import { makeNewUser } from "../../users/contracts/userRepositoryContract.ts"
import { nextId } from "../../wallet/contracts/ledgerContract.ts"

// The run's database is shared with other test files: every order gets a reference of its own.
const randomReference = () => `ORD-${Array.from({ length: 8 }, () => crockfordAlphabet[randomInt(crockfordAlphabet.length)]).join("")}`

/** A customer and a provider of their own: the Postgres store's foreign keys want both. */
export const newParties = Effect.gen(function*() {
  const customer = yield* (yield* UserRepository).create(makeNewUser())
  return { customerId: customer.id as string, providerId: yield* newProvider("gas_depot") }
})

/** A pending order of a dish and a gas refill, its snapshots filled in and its totals adding up. */
export const makeOrder = (customerId: string, providerId: string, overrides: Partial<Order> = {}): Order => {
  const id = overrides.id ?? nextId()
  const at = new Date(Math.floor(Date.now() / 1_000) * 1_000)
  return {
    id,
    reference: randomReference(),
    customerId,
    providerId,
    status: "pending",
    lines: [
      {
        kind: "product",
        productId: nextId(),
        name: "Garba",
        unitPriceXof: xof(1_200),
        quantity: 2,
        options: [{ id: nextId(), groupName: "Piment", name: "Beaucoup", priceDeltaXof: xof(200) }],
        lineTotalXof: xof(2_400)
      },
      { kind: "gas", gasProductId: nextId(), brand: "Petroci", bottleSizeKg: 12.5, sale: "refill", unitPriceXof: xof(5_200), quantity: 1, emptyBottlesToCollect: 1, lineTotalXof: xof(5_200) }
    ],
    totals: { subtotalXof: xof(7_600), deliveryFeeXof: xof(800), discountXof: xof(500), totalXof: xof(7_900) },
    promotion: { promotionId: nextId(), code: "BIENVENUE", discountXof: xof(500), fundedBy: "platform" },
    paymentMethod: "wallet",
    paymentStatus: "paid",
    pickup: { name: "Dépôt Petroci du marché", location: { lat: 5.8989, lng: -4.8231 }, landmark: "face au marché" },
    destination: {
      addressId: nextId(),
      label: "Bureau",
      location: { lat: 5.9051, lng: -4.8302 },
      landmark: "immeuble jaune, 2e étage",
      zone: { id: nextId(), slug: "quartier-commerce", name: "Quartier Commerce" }
    },
    distanceM: 1_180,
    note: "Appeler en arrivant",
    preparationMinutes: null,
    cancellation: null,
    idempotencyKey: `order-${id}`,
    requestDigest: `digest-${id}`,
    deliveryCode: String(randomInt(10_000)).padStart(4, "0"),
    createdAt: at,
    updatedAt: at,
    ...overrides
  }
}

/** The first change of an order, as placing it writes it. */
export const createdChange = (order: Order): NewOrderChange => ({
  orderId: order.id,
  change: "created",
  from: null,
  to: "pending",
  actor: { kind: "customer", id: order.customerId },
  reason: null,
  at: order.createdAt
})

/** Creates the order, which must be new: its first change, numbered. */
export const place = (order: Order) =>
  OrderRepository.use((orders) =>
    Effect.flatMap(orders.create(order, createdChange(order)), (outcome) => outcome._tag === "Created" ? Effect.succeed(outcome.change) : Effect.die(new Error(`not created: ${outcome._tag}`))))

/** The order moved to a status at a time, and the change that records it (the store takes it as it is). */
const moved = (order: Order, to: Exclude<OrderStatus, "pending">, at: Date, fields: Partial<Order> = {}): { readonly order: Order; readonly change: NewOrderChange } => ({
  order: { ...order, ...fields, status: to, updatedAt: at },
  change: { orderId: order.id, change: to, from: order.status, to, actor: { kind: "provider", id: nextId() }, reason: null, at }
})

const update = (step: { readonly order: Order; readonly change: NewOrderChange }) => OrderRepository.use((orders) => orders.update(step.order, step.change))

const later = (order: Order, minutes: number) => new Date(order.createdAt.getTime() + minutes * 60_000)

const malformed = ["not-a-uuid", "", "'; DROP TABLE orders.orders; --"]

const ids = (orders: ReadonlyArray<Order>) => orders.map((order) => order.id)

/** The uuid right before this one (as a 128-bit number): a cursor that starts a page at it. */
const justBefore = (id: string) => {
  const hex = (BigInt(`0x${id.replaceAll("-", "")}`) - 1n).toString(16).padStart(32, "0")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** One suite, run against every OrderRepository adapter (with the users and providers its rows name). */
export const orderRepositoryContract = (
  name: string,
  repositoryLayer: Layer.Layer<OrderRepository | UserRepository | ProviderRepository | Transactional, unknown>
) =>
  layer(repositoryLayer, { excludeTestServices: true })(`OrderRepository contract: ${name}`, (it) => {
    it.effect("create writes the order and its first change, numbered; found by id, reference and the customer's key", () =>
      Effect.gen(function*() {
        const orders = yield* OrderRepository
        const { customerId, providerId } = yield* newParties
        const order = makeOrder(customerId, providerId)
        const outcome = yield* orders.create(order, createdChange(order))
        assert(outcome._tag === "Created")
        assert.deepStrictEqual(outcome.order, order)
        const { id, position, ...change } = outcome.change
        assert.isTrue(Number.isSafeInteger(id) && id > 0 && position === 1)
        assert.deepStrictEqual(change, createdChange(order))

        assert.deepStrictEqual(yield* orders.findById(order.id), Option.some(order))
        assert.deepStrictEqual(yield* orders.findById(order.id.toUpperCase()), Option.some(order))
        assert.deepStrictEqual(yield* orders.findByReference(order.reference), Option.some(order))
        assert.deepStrictEqual(yield* orders.findByKey(customerId, order.idempotencyKey), Option.some(order))
        assert.deepStrictEqual(yield* orders.history(order.id), [outcome.change])

        assert.isTrue(Option.isNone(yield* orders.findById(nextId())))
        assert.isTrue(Option.isNone(yield* orders.findByReference(randomReference())))
        assert.isTrue(Option.isNone(yield* orders.findByKey(customerId, `${order.idempotencyKey}-other`)))
        assert.isTrue(Option.isNone(yield* orders.findByKey((yield* newParties).customerId, order.idempotencyKey)))
        for (const id of malformed) {
          assert.isTrue(Option.isNone(yield* orders.findById(id)))
          assert.isTrue(Option.isNone(yield* orders.lock(id)))
          assert.isTrue(Option.isNone(yield* orders.findByKey(id, order.idempotencyKey)))
          assert.deepStrictEqual(yield* orders.history(id), [])
        }
      }))

    it.effect("money reads back exact up to the largest safe integer; snapshots without a promotion or a note read back null", () =>
      Effect.gen(function*() {
        const orders = yield* OrderRepository
        const { customerId, providerId } = yield* newParties
        const largest = makeOrder(customerId, providerId, {
          totals: { subtotalXof: xof(Number.MAX_SAFE_INTEGER - 1_000), deliveryFeeXof: xof(1_000), discountXof: xof(0), totalXof: xof(Number.MAX_SAFE_INTEGER) },
          promotion: null,
          note: null,
          paymentMethod: "cash",
          paymentStatus: "on_delivery"
        })
        yield* place(largest)
        assert.deepStrictEqual(yield* orders.findById(largest.id), Option.some(largest))
        // Totals that do not add up are refused by the store, and nothing is written.
        const wrong = makeOrder(customerId, providerId, { totals: { ...largest.totals, totalXof: xof(1) } })
        assert.strictEqual((yield* Effect.flip(orders.create(wrong, createdChange(wrong))))._tag, "OrdersUnavailable")
        assert.isTrue(Option.isNone(yield* orders.findById(wrong.id)))
      }))

    it.effect("a delivery code reads back as written, leading zeros kept; one that is not 4 digits is refused, and nothing is written", () =>
      Effect.gen(function*() {
        const orders = yield* OrderRepository
        const { customerId, providerId } = yield* newParties
        const leadingZeros = makeOrder(customerId, providerId, { deliveryCode: "0042" })
        yield* place(leadingZeros)
        assert.strictEqual(Option.getOrThrow(yield* orders.findById(leadingZeros.id)).deliveryCode, "0042")
        for (const deliveryCode of ["", "123", "12345", "12a4", " 123", "١٢٣٤"]) {
          const wrong = makeOrder(customerId, providerId, { deliveryCode })
          assert.strictEqual((yield* Effect.flip(orders.create(wrong, createdChange(wrong))))._tag, "OrdersUnavailable", JSON.stringify(deliveryCode))
          assert.isTrue(Option.isNone(yield* orders.findById(wrong.id)))
        }
      }))

    it.effect("the customer's key is claimed once: the same key is KeyTaken with the first order; a reference taken is ReferenceTaken; neither writes", () =>
      Effect.gen(function*() {
        const orders = yield* OrderRepository
        const { customerId, providerId } = yield* newParties
        const first = makeOrder(customerId, providerId)
        const created = yield* place(first)

        const sameKey = makeOrder(customerId, providerId, { idempotencyKey: first.idempotencyKey, requestDigest: "another cart" })
        assert.deepStrictEqual(yield* orders.create(sameKey, createdChange(sameKey)), { _tag: "KeyTaken", existing: first })
        const sameReference = makeOrder(customerId, providerId, { reference: first.reference })
        assert.deepStrictEqual(yield* orders.create(sameReference, createdChange(sameReference)), { _tag: "ReferenceTaken" })
        for (const refused of [sameKey, sameReference]) {
          assert.isTrue(Option.isNone(yield* orders.findById(refused.id)))
          assert.deepStrictEqual(yield* orders.history(refused.id), [])
        }
        assert.deepStrictEqual(yield* orders.history(first.id), [created])

        // The key is the customer's own: another customer's same key is another order.
        const other = yield* newParties
        yield* place(makeOrder(other.customerId, providerId, { idempotencyKey: first.idempotencyKey }))
        assert.strictEqual((yield* orders.list({ customerId: other.customerId, statuses: null, beforeId: null, limit: 10 })).length, 1)
      }))

    it.effect("20 concurrent creates with one key, each in its own transaction, make one order; the others find it", () =>
      Effect.gen(function*() {
        const orders = yield* OrderRepository
        const transactional = yield* Transactional
        const { customerId, providerId } = yield* newParties
        const key = `double-tap-${nextId()}`
        const attempts = Array.from({ length: 20 }, () => makeOrder(customerId, providerId, { idempotencyKey: key }))
        const outcomes = yield* Effect.forEach(attempts, (order) => transactional.run(orders.create(order, createdChange(order))), { concurrency: "unbounded" })
        const created = outcomes.flatMap((outcome) => outcome._tag === "Created" ? [outcome.order] : [])
        assert.strictEqual(created.length, 1)
        assert.deepStrictEqual(outcomes.filter((outcome) => outcome._tag !== "Created"), Array.from({ length: 19 }, () => ({ _tag: "KeyTaken" as const, existing: created[0]! })))
        assert.deepStrictEqual(ids(yield* orders.list({ customerId, statuses: null, beforeId: null, limit: 50 })), [created[0]!.id])
      }))

    it.effect("lock reads the order; update writes its status, payment, preparation, cancellation and time, never its snapshots; history reads back in order", () =>
      Effect.gen(function*() {
        const orders = yield* OrderRepository
        const transactional = yield* Transactional
        const { customerId, providerId } = yield* newParties
        const order = makeOrder(customerId, providerId, { paymentMethod: "wave", paymentStatus: "awaiting" })
        const created = yield* place(order)

        const confirmed = moved(order, "confirmed", later(order, 1), { preparationMinutes: 20 })
        const confirmedChange = yield* transactional.run(Effect.gen(function*() {
          assert.deepStrictEqual(yield* orders.lock(order.id), Option.some(order))
          return yield* update(confirmed)
        }))
        assert.deepStrictEqual(confirmedChange, { ...confirmed.change, id: confirmedChange.id, position: created.position + 1 })
        // Paid keeps the status: a change all the same.
        const paid = { order: { ...confirmed.order, paymentStatus: "paid" as const, updatedAt: later(order, 2) }, change: { ...moved(confirmed.order, "confirmed", later(order, 2)).change, change: "paid" as const } }
        const paidChange = yield* update(paid)
        const cancellation = { by: { kind: "admin" as const, id: nextId() }, responsible: "provider" as const, reason: "Rupture de gaz" }
        const cancelled = moved(paid.order, "cancelled", later(order, 3), { paymentStatus: "refunded", cancellation })
        // What an update may not change is not written, whatever the order passed says.
        const cancelledChange = yield* update({ order: { ...cancelled.order, note: "réécrit", distanceM: 1, totals: { ...order.totals, totalXof: xof(1) } }, change: { ...cancelled.change, reason: "client injoignable" } })

        assert.deepStrictEqual(yield* orders.findById(order.id), Option.some(cancelled.order))
        assert.deepStrictEqual(yield* orders.lock(order.id), Option.some(cancelled.order))
        const history = yield* orders.history(order.id)
        assert.deepStrictEqual(history, [created, confirmedChange, paidChange, cancelledChange])
        assert.deepStrictEqual(history.map((change) => [change.change, change.from, change.to]), [
          ["created", null, "pending"],
          ["confirmed", "pending", "confirmed"],
          ["paid", "confirmed", "confirmed"],
          ["cancelled", "confirmed", "cancelled"]
        ])
        assert.deepStrictEqual(history.map((change) => change.reason), [null, null, null, "client injoignable"])
        assert.isTrue(history.every((change, index) => index === 0 || change.id > history[index - 1]!.id))

        // An order that is not there cannot be updated, and no change is written for it.
        const ghost = makeOrder(customerId, providerId)
        assert.strictEqual((yield* Effect.flip(update(moved(ghost, "confirmed", later(ghost, 1)))))._tag, "OrdersUnavailable")
        assert.deepStrictEqual(yield* orders.history(ghost.id), [])
      }))

    it.effect("list: newest first, before a cursor, by status, a customer's or a provider's", () =>
      Effect.gen(function*() {
        const orders = yield* OrderRepository
        const { customerId, providerId } = yield* newParties
        const elsewhere = yield* newParties
        const [a, b, c] = Array.from({ length: 3 }, () => makeOrder(customerId, providerId))
        const d = makeOrder(customerId, elsewhere.providerId)
        const theirs = makeOrder(elsewhere.customerId, providerId)
        const unpaid = { ...makeOrder(elsewhere.customerId, providerId), paymentMethod: "wave" as const, paymentStatus: "awaiting" as const }
        for (const order of [a!, b!, c!, d, theirs]) yield* place(order)
        const confirmedB = moved(b!, "confirmed", later(b!, 1))
        yield* update(confirmedB)

        const list = (query: Partial<OrderListQuery>) => orders.list({ statuses: null, beforeId: null, limit: 10, ...query })
        assert.deepStrictEqual(yield* list({ customerId }), [d, c!, confirmedB.order, a!])
        assert.deepStrictEqual(ids(yield* list({ customerId, limit: 2 })), [d.id, c!.id])
        assert.deepStrictEqual(ids(yield* list({ customerId, beforeId: c!.id })), [b!.id, a!.id])
        assert.deepStrictEqual(ids(yield* list({ customerId, statuses: ["confirmed"] })), [b!.id])
        assert.deepStrictEqual(ids(yield* list({ customerId, statuses: ["pending", "confirmed"], beforeId: d.id })), [c!.id, b!.id, a!.id])
        assert.deepStrictEqual(yield* list({ customerId, statuses: [] }), [])
        assert.deepStrictEqual(ids(yield* list({ providerId })), [theirs.id, c!.id, b!.id, a!.id])
        assert.deepStrictEqual(ids(yield* list({ providerId, statuses: ["pending"], limit: 2 })), [theirs.id, c!.id])
        assert.deepStrictEqual(ids(yield* list({ providerId: elsewhere.providerId })), [d.id])
        // An order waiting for its gateway payment: in its customer's list, not (yet) in the provider's.
        yield* place(unpaid)
        assert.deepStrictEqual(ids(yield* list({ providerId, payableOnly: true })), [theirs.id, c!.id, b!.id, a!.id])
        assert.deepStrictEqual(ids(yield* list({ providerId })), [unpaid.id, theirs.id, c!.id, b!.id, a!.id])
        assert.deepStrictEqual(ids(yield* list({ customerId: elsewhere.customerId, payableOnly: false })), [unpaid.id, theirs.id])
        assert.deepStrictEqual(yield* list({ customerId, limit: 0 }), [])
        for (const id of malformed) {
          assert.deepStrictEqual(yield* list({ customerId: id }), [])
          assert.deepStrictEqual(yield* list({ providerId: id }), [])
          assert.deepStrictEqual(yield* list({ customerId, beforeId: id }), [])
        }
      }))

    it.effect("changesSince: an order's or a provider's changes after a feed position, oldest first, at most the limit; feedPosition is the latest", () =>
      Effect.gen(function*() {
        const orders = yield* OrderRepository
        const { customerId, providerId } = yield* newParties
        const elsewhere = yield* newParties
        assert.strictEqual(yield* orders.feedPosition(providerId), 0)
        const [a, b] = [makeOrder(customerId, providerId), makeOrder(customerId, providerId)]
        const other = makeOrder(customerId, elsewhere.providerId)
        const createdA = yield* place(a)
        const createdB = yield* place(b)
        const createdOther = yield* place(other)
        const confirmedA = yield* update(moved(a, "confirmed", later(a, 1)))

        // Each provider has its own feed: 1, 2, 3 for this one's three changes, 1 for the other's.
        assert.deepStrictEqual([createdA, createdB, confirmedA, createdOther].map((change) => change.position), [1, 2, 3, 1])
        assert.strictEqual(yield* orders.feedPosition(providerId), 3)
        assert.strictEqual(yield* orders.feedPosition(elsewhere.providerId), 1)
        assert.deepStrictEqual(yield* orders.changesSince({ orderId: a.id }, 0, 10), [createdA, confirmedA])
        assert.deepStrictEqual(yield* orders.changesSince({ orderId: a.id }, createdA.position, 10), [confirmedA])
        assert.deepStrictEqual(yield* orders.changesSince({ orderId: a.id }, confirmedA.position, 10), [])
        assert.deepStrictEqual(yield* orders.changesSince({ providerId }, 0, 10), [createdA, createdB, confirmedA])
        assert.deepStrictEqual(yield* orders.changesSince({ providerId }, 0, 2), [createdA, createdB])
        assert.deepStrictEqual(yield* orders.changesSince({ providerId }, createdB.position, 10), [confirmedA])
        assert.deepStrictEqual(yield* orders.changesSince({ providerId: elsewhere.providerId }, 0, 10), [createdOther])
        assert.deepStrictEqual(yield* orders.changesSince({ providerId }, 0, 0), [])
        for (const id of malformed) {
          assert.deepStrictEqual(yield* orders.changesSince({ orderId: id }, 0, 10), [])
          assert.deepStrictEqual(yield* orders.changesSince({ providerId: id }, 0, 10), [])
          assert.strictEqual(yield* orders.feedPosition(id), 0)
        }
      }))

    it.effect("feed positions: concurrent changes of one provider's orders get 1..n with no gap, and a change taken back gives its position back", () =>
      Effect.gen(function*() {
        const orders = yield* OrderRepository
        const transactional = yield* Transactional
        const { customerId, providerId } = yield* newParties
        const placed = Array.from({ length: 12 }, () => makeOrder(customerId, providerId))
        const changes = yield* Effect.forEach(placed, (order) => transactional.run(orders.create(order, createdChange(order))), { concurrency: "unbounded" })
        assert.deepStrictEqual(changes.map((outcome) => outcome._tag === "Created" ? outcome.change.position : 0).sort((left, right) => left - right), Array.from({ length: 12 }, (_, index) => index + 1))
        // A change whose transaction fails is not in the feed, and the next change takes its place.
        const refused = yield* Effect.flip(transactional.run(Effect.andThen(update(moved(placed[0]!, "confirmed", later(placed[0]!, 1))), Effect.fail("rolled back" as const))))
        assert.strictEqual(refused, "rolled back")
        assert.strictEqual(yield* orders.feedPosition(providerId), 12)
        const next = yield* update(moved(placed[1]!, "confirmed", later(placed[1]!, 1)))
        assert.strictEqual(next.position, 13)
        assert.deepStrictEqual((yield* orders.changesSince({ providerId }, 0, 100)).map((change) => change.position), Array.from({ length: 13 }, (_, index) => index + 1))
      }))

    it.effect("awaitingRefund: the orders whose gateway refund is awaited since before a time, oldest first, at most the limit", () =>
      Effect.gen(function*() {
        const { customerId, providerId } = yield* newParties
        const orders = yield* OrderRepository
        const [a, b, c] = Array.from({ length: 3 }, () => makeOrder(customerId, providerId, { paymentMethod: "wave" }))
        for (const order of [a!, b!, c!]) yield* place(order)
        const cancelled = (order: Order, minutes: number, paymentStatus: Order["paymentStatus"]) =>
          update(moved(order, "cancelled", later(order, minutes), { paymentStatus, cancellation: { by: { kind: "customer", id: customerId }, responsible: "customer", reason: "Erreur" } }))
        yield* cancelled(a!, 20, "refunding")
        yield* cancelled(b!, 10, "refunding")
        yield* cancelled(c!, 5, "refunded")
        const mine = (ids: ReadonlyArray<string>) => ids.filter((id) => [a!.id, b!.id, c!.id].includes(id))
        assert.deepStrictEqual(mine(yield* orders.awaitingRefund(later(a!, 30), 1_000)), [b!.id, a!.id])
        assert.deepStrictEqual(mine(yield* orders.awaitingRefund(later(a!, 15), 1_000)), [b!.id])
        assert.deepStrictEqual(yield* orders.awaitingRefund(later(a!, 30), 0), [])
      }))

    it.effect("deliveredAfter: delivered orders' ids after a cursor, in id order, at most the limit (the settlement back-fill's pages)", () =>
      Effect.gen(function*() {
        const { customerId, providerId } = yield* newParties
        const orders = yield* OrderRepository
        const all = Array.from({ length: 5 }, () => makeOrder(customerId, providerId))
        for (const order of all) yield* place(order)
        const [a, b, c, d, e] = all as [Order, Order, Order, Order, Order]
        for (const order of [a, c, d]) yield* update(moved(order, "delivered", later(order, 30)))
        yield* update(moved(b, "failed", later(b, 30)))
        const delivered = [a.id, c.id, d.id]
        // The store is shared: pages are read until past this test's orders, keeping only its own.
        const pages = (limit: number) =>
          Effect.gen(function*() {
            const seen: Array<ReadonlyArray<string>> = []
            let cursor = justBefore(a.id)
            for (;;) {
              const page: ReadonlyArray<string> = yield* orders.deliveredAfter(cursor, limit)
              if (page.length === 0) return seen
              seen.push(page.filter((id) => all.some((order) => order.id === id)))
              cursor = page.at(-1)!
              if (cursor >= e.id) return seen
            }
          })
        assert.deepStrictEqual((yield* pages(2)).flat(), delivered)
        assert.isTrue((yield* pages(2)).every((page) => page.length <= 2))
        assert.deepStrictEqual((yield* orders.deliveredAfter(c.id, 1_000)).filter((id) => delivered.includes(id)), [d.id])
        assert.deepStrictEqual(yield* orders.deliveredAfter(d.id, 0), [])
        for (const id of malformed) assert.deepStrictEqual(yield* orders.deliveredAfter(id, 10), [])
      }))

    it.effect("countNotCancelled counts the customer's orders but the cancelled ones (failed ones count)", () =>
      Effect.gen(function*() {
        const orders = yield* OrderRepository
        const { customerId, providerId } = yield* newParties
        assert.strictEqual(yield* orders.countNotCancelled(customerId), 0)
        const [a, b, c] = Array.from({ length: 3 }, () => makeOrder(customerId, providerId))
        for (const order of [a!, b!, c!]) yield* place(order)
        yield* place(makeOrder((yield* newParties).customerId, providerId))
        yield* update(moved(a!, "cancelled", later(a!, 1)))
        yield* update(moved(b!, "failed", later(b!, 1)))
        assert.strictEqual(yield* orders.countNotCancelled(customerId), 2)
        for (const id of malformed) assert.strictEqual(yield* orders.countNotCancelled(id), 0)
      }))

    it.effect("lastCashOutcomes: how the customer's cash orders ended, delivered or failed, the latest first", () =>
      Effect.gen(function*() {
        const orders = yield* OrderRepository
        const { customerId, providerId } = yield* newParties
        const cash = (minutes: number, to: OrderStatus, fields: Partial<Order> = {}) =>
          Effect.gen(function*() {
            const order = makeOrder(customerId, providerId, { paymentMethod: "cash", paymentStatus: "on_delivery", ...fields })
            yield* place(order)
            if (to !== "pending") yield* update(moved(order, to, later(order, minutes)))
          })
        assert.deepStrictEqual(yield* orders.lastCashOutcomes(customerId, 3), [])
        yield* cash(10, "delivered")
        yield* cash(30, "failed")
        yield* cash(20, "failed")
        // Not ended, cancelled, or not paid cash: not outcomes.
        yield* cash(40, "pending")
        yield* cash(50, "cancelled")
        yield* cash(60, "failed", { paymentMethod: "wallet", paymentStatus: "paid" })
        assert.deepStrictEqual(yield* orders.lastCashOutcomes(customerId, 5), ["failed", "failed", "delivered"])
        assert.deepStrictEqual(yield* orders.lastCashOutcomes(customerId, 2), ["failed", "failed"])
        assert.deepStrictEqual(yield* orders.lastCashOutcomes(customerId, 0), [])
        assert.deepStrictEqual(yield* orders.lastCashOutcomes((yield* newParties).customerId, 5), [])
        for (const id of malformed) assert.deepStrictEqual(yield* orders.lastCashOutcomes(id, 5), [])
      }))

    it.effect("a failed Transactional run takes back the order, its changes and its key; a failed update leaves the order as it was", () =>
      Effect.gen(function*() {
        const orders = yield* OrderRepository
        const transactional = yield* Transactional
        const { customerId, providerId } = yield* newParties
        const order = makeOrder(customerId, providerId)
        const refused = yield* Effect.flip(transactional.run(Effect.gen(function*() {
          yield* place(order)
          yield* update(moved(order, "confirmed", later(order, 1)))
          return yield* Effect.fail("payment refused" as const)
        })))
        assert.strictEqual(refused, "payment refused")
        assert.isTrue(Option.isNone(yield* orders.findById(order.id)))
        assert.isTrue(Option.isNone(yield* orders.findByReference(order.reference)))
        assert.isTrue(Option.isNone(yield* orders.findByKey(customerId, order.idempotencyKey)))
        assert.deepStrictEqual(yield* orders.history(order.id), [])
        assert.deepStrictEqual(yield* orders.changesSince({ providerId }, 0, 10), [])
        assert.deepStrictEqual(yield* orders.list({ customerId, statuses: null, beforeId: null, limit: 10 }), [])
        assert.strictEqual(yield* orders.countNotCancelled(customerId), 0)

        // The key and the reference are free again: the retry makes the order.
        const created: OrderChange = yield* place(order)
        yield* Effect.flip(transactional.run(Effect.andThen(update(moved(order, "cancelled", later(order, 2))), Effect.fail("refund refused" as const))))
        assert.deepStrictEqual(yield* orders.findById(order.id), Option.some(order))
        assert.deepStrictEqual(yield* orders.history(order.id), [created])
      }))
  })
