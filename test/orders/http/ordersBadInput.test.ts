import { randomBytes, randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import type { ApiResponse } from "../../support/apiClient.ts"
import {
  adminOf,
  balance,
  type Customer,
  customerOf,
  escrowOf,
  garbaItem,
  ok,
  ordersOf,
  orderTestbed,
  placed,
  type PromotionPayload,
  restaurantOf,
  storedOrdersOf,
  storedStock,
  walletOrder
} from "../../support/orderClient.ts"
import type { Testbed } from "../../support/walletClient.ts"

// Every orders endpoint fed what a buggy app or a hostile caller would send: each is refused with a
// problem+json 400 invalid_request naming the field (a few rules that need the data are 422s with
// their own code), and nothing is written: no order, no stock taken, no money moved, no promotion,
// no fee bands.

class Bed extends Context.Service<Bed, Testbed>()("test/ordersBadInput/Bed") {}
const BedLayer = Layer.effect(Bed, orderTestbed()).pipe(Layer.provideMerge(PostgresLayer))

interface Refusal {
  readonly name: string
  readonly method: "GET" | "POST" | "PUT"
  readonly path: string
  readonly body?: unknown
  readonly rawBody?: string
  readonly status?: number
  readonly code?: string
  /** The 400's field, as the problem's `errors` name it. */
  readonly field?: ReadonlyArray<string | number>
  /** Some field of the 400 starts with this path (a union's member is not pinned). */
  readonly fieldUnder?: ReadonlyArray<string | number>
}

const expectRefusal = (response: ApiResponse, refusal: Refusal) => {
  const status = refusal.status ?? 400
  const code = refusal.code ?? "invalid_request"
  const context = `${refusal.name} — ${refusal.method} ${refusal.path} → ${response.status} ${JSON.stringify(response.body)}`
  assert.strictEqual(response.status, status, context)
  assert.strictEqual(response.headers.get("content-type"), "application/problem+json", context)
  assert.strictEqual(response.body.code, code, context)
  assert.strictEqual(response.body.status, status, context)
  assert.isString(response.body.message, context)
  assert.isNotEmpty(response.body.message, context)
  if (status === 400) {
    assert.isArray(response.body.errors, context)
    assert.isNotEmpty(response.body.errors, context)
    for (const error of response.body.errors) {
      assert.isArray(error.path, context)
      assert.isString(error.message, context)
      assert.isNotEmpty(error.message, context)
    }
  }
  const paths: Array<Array<string | number>> = (response.body.errors ?? []).map((error: { path: Array<string | number> }) => error.path)
  if (refusal.field !== undefined) assert.include(paths.map((path) => JSON.stringify(path)), JSON.stringify(refusal.field), context)
  if (refusal.fieldUnder !== undefined) {
    const prefix = JSON.stringify(refusal.fieldUnder).slice(0, -1)
    assert.isTrue(paths.some((path) => JSON.stringify(path).startsWith(prefix)), context)
  }
}

/** Sends every refusal (a few at a time) as `who`, and checks each answer. */
const refuseAll = (who: Customer | { readonly request: Customer["request"]; readonly token: string }, refusals: ReadonlyArray<Refusal>) =>
  Effect.forEach(refusals, (refusal) =>
    who.request(refusal.method, refusal.path, {
      token: who.token,
      ...(refusal.body === undefined ? {} : { body: refusal.body }),
      ...(refusal.rawBody === undefined ? {} : { rawBody: refusal.rawBody })
    }).pipe(Effect.map((response) => expectRefusal(response, refusal))), { concurrency: 6, discard: true })

const invalid = (name: string, method: Refusal["method"], path: string, body: unknown, field: ReadonlyArray<string | number>): Refusal => ({
  name,
  method,
  path,
  ...(body === undefined ? {} : { body }),
  field
})

const without = (body: Record<string, unknown>, key: string) => {
  const { [key]: _removed, ...rest } = body
  return rest
}

const base64Url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")

/** A restaurant and a customer with money and a PIN, who has ordered nothing yet. */
const scene = Effect.gen(function*() {
  const bed = yield* Bed
  const shop = yield* restaurantOf(bed.api)
  const aya = yield* customerOf(bed, { funds: 10_000 })
  return { bed, shop, aya }
})

/** What a refused request must leave as it was: the customer's orders, money, the stock. */
const untouched = (aya: Customer, shop: { readonly providerId: string; readonly garba: { readonly id: string } }) =>
  Effect.gen(function*() {
    return {
      orders: (yield* ordersOf(aya)).items,
      stored: yield* storedOrdersOf(aya.userId),
      balance: yield* balance(aya),
      escrow: yield* escrowOf(shop.providerId),
      stock: yield* storedStock("product", shop.garba.id)
    }
  })

layer(BedLayer, { excludeTestServices: true, timeout: "120 seconds" })("orders: bad input", (it) => {
  it.effect("quote and place: missing fields, wrong types, quantities, too many items, bad ids, codes, keys, notes and PINs are 400 naming the field; nothing is ordered", () =>
    Effect.gen(function*() {
      const { aya, shop } = yield* scene
      const garba = garbaItem(shop, 1)
      const cart: Record<string, unknown> = { providerId: shop.providerId, addressId: aya.addressId, items: [garba] }
      const order: Record<string, unknown> = { ...cart, paymentMethod: "wallet", pin: aya.pin, idempotencyKey: randomUUID() }
      const withItem = (body: Record<string, unknown>, item: Record<string, unknown>) => ({ ...body, items: [item] })

      const both = (name: string, mutate: (body: Record<string, unknown>) => unknown, field: ReadonlyArray<string | number>): ReadonlyArray<Refusal> => [
        invalid(`quote: ${name}`, "POST", "/api/v1/orders/quote", mutate(cart), field),
        invalid(`place: ${name}`, "POST", "/api/v1/orders", mutate(order), field)
      ]
      const refusals: ReadonlyArray<Refusal> = [
        ...both("no providerId", (body) => without(body, "providerId"), ["body", "providerId"]),
        ...both("providerId not a UUID", (body) => ({ ...body, providerId: "maquis-1" }), ["body", "providerId"]),
        ...both("providerId a number", (body) => ({ ...body, providerId: 42 }), ["body", "providerId"]),
        ...both("providerId SQL", (body) => ({ ...body, providerId: "' OR 1=1 --" }), ["body", "providerId"]),
        ...both("no addressId", (body) => without(body, "addressId"), ["body", "addressId"]),
        ...both("addressId not a UUID", (body) => ({ ...body, addressId: "maison" }), ["body", "addressId"]),
        ...both("no items", (body) => without(body, "items"), ["body", "items"]),
        ...both("items not an array", (body) => ({ ...body, items: "garba" }), ["body", "items"]),
        ...both("no item at all", (body) => ({ ...body, items: [] }), ["body", "items"]),
        ...both("31 items", (body) => ({ ...body, items: Array.from({ length: 31 }, () => ({ productId: shop.bissap, quantity: 1 })) }), ["body", "items"]),
        ...both("quantity 0", (body) => withItem(body, { ...garba, quantity: 0 }), ["body", "items", 0, "quantity"]),
        ...both("quantity 51", (body) => withItem(body, { ...garba, quantity: 51 }), ["body", "items", 0, "quantity"]),
        ...both("quantity -1", (body) => withItem(body, { ...garba, quantity: -1 }), ["body", "items", 0, "quantity"]),
        ...both("quantity 1.5", (body) => withItem(body, { ...garba, quantity: 1.5 }), ["body", "items", 0, "quantity"]),
        ...both("quantity as text", (body) => withItem(body, { ...garba, quantity: "2" }), ["body", "items", 0, "quantity"]),
        ...both("no quantity", (body) => withItem(body, without(garba, "quantity")), ["body", "items", 0, "quantity"]),
        ...both("productId not a UUID", (body) => withItem(body, { ...garba, productId: "garba" }), ["body", "items", 0, "productId"]),
        ...both("options not an array", (body) => withItem(body, { ...garba, options: shop.garba.normal }), ["body", "items", 0, "options"]),
        ...both("an option not a UUID", (body) => withItem(body, { ...garba, options: [shop.garba.normal, "alloco"] }), ["body", "items", 0, "options", 1]),
        ...both("21 options", (body) => withItem(body, { ...garba, options: Array.from({ length: 21 }, () => shop.garba.normal) }), ["body", "items", 0, "options"]),
        ...both("a gas item sold as an exchange", (body) => withItem(body, { gasProductId: randomUUID(), quantity: 1, sale: "exchange" }), ["body", "items", 0, "sale"]),
        ...both("a gas item without its sale", (body) => withItem(body, { gasProductId: randomUUID(), quantity: 1 }), ["body", "items", 0, "sale"]),
        ...both("an item naming nothing", (body) => withItem(body, { quantity: 1 }), ["body", "items", 0, "productId"]),
        ...both("an item not an object", (body) => ({ ...body, items: ["garba"] }), ["body", "items", 0]),
        ...both("a promo code with a space", (body) => ({ ...body, promoCode: "PROMO 20" }), ["body", "promoCode"]),
        ...both("a promo code with a dash", (body) => ({ ...body, promoCode: "PROMO-20" }), ["body", "promoCode"]),
        ...both("a promo code of 2 characters", (body) => ({ ...body, promoCode: "AB" }), ["body", "promoCode"]),
        ...both("a promo code of 21 characters", (body) => ({ ...body, promoCode: "A".repeat(21) }), ["body", "promoCode"]),
        ...both("a promo code not a string", (body) => ({ ...body, promoCode: 2024 }), ["body", "promoCode"]),
        ...both("an unknown payment method", (body) => ({ ...body, paymentMethod: "bitcoin" }), ["body", "paymentMethod"]),
        ...both("a body that is an array", () => [cart], ["body"]),
        invalid("place: no payment method", "POST", "/api/v1/orders", without(order, "paymentMethod"), ["body", "paymentMethod"]),
        invalid("place: no idempotency key", "POST", "/api/v1/orders", without(order, "idempotencyKey"), ["body", "idempotencyKey"]),
        invalid("place: an idempotency key of 7 characters", "POST", "/api/v1/orders", { ...order, idempotencyKey: "abcdefg" }, ["body", "idempotencyKey"]),
        invalid("place: an idempotency key of 101 characters", "POST", "/api/v1/orders", { ...order, idempotencyKey: "k".repeat(101) }, ["body", "idempotencyKey"]),
        invalid("place: an idempotency key with spaces", "POST", "/api/v1/orders", { ...order, idempotencyKey: "ma commande 1" }, ["body", "idempotencyKey"]),
        invalid("place: an idempotency key with a slash", "POST", "/api/v1/orders", { ...order, idempotencyKey: "order/../../1234" }, ["body", "idempotencyKey"]),
        invalid("place: an idempotency key as a number", "POST", "/api/v1/orders", { ...order, idempotencyKey: 12345678 }, ["body", "idempotencyKey"]),
        invalid("place: a note of 501 characters", "POST", "/api/v1/orders", { ...order, note: "n".repeat(501) }, ["body", "note"]),
        invalid("place: a note with a control character", "POST", "/api/v1/orders", { ...order, note: "Sonnez\u0007 deux fois" }, ["body", "note"]),
        invalid("place: a note with NUL", "POST", "/api/v1/orders", { ...order, note: "Porte\u0000bleue" }, ["body", "note"]),
        invalid("place: a note not a string", "POST", "/api/v1/orders", { ...order, note: { text: "Sonnez" } }, ["body", "note"]),
        invalid("place: a PIN with a letter", "POST", "/api/v1/orders", { ...order, pin: "12a4" }, ["body", "pin"]),
        invalid("place: a PIN of 5 digits", "POST", "/api/v1/orders", { ...order, pin: "12345" }, ["body", "pin"]),
        invalid("place: a PIN as a number", "POST", "/api/v1/orders", { ...order, pin: 4826 }, ["body", "pin"]),
        { name: "quote: malformed JSON", method: "POST", path: "/api/v1/orders/quote", rawBody: `{"providerId": "${shop.providerId}",`, code: "malformed_json" },
        { name: "place: malformed JSON", method: "POST", path: "/api/v1/orders", rawBody: `{"providerId": "${shop.providerId}", "items": [`, code: "malformed_json" }
      ]
      const before = yield* untouched(aya, shop)
      assert.deepStrictEqual(before.orders, [])
      yield* refuseAll(aya, refusals)
      assert.deepStrictEqual(yield* untouched(aya, shop), before)
      // The same order, well formed, goes through: the refusals were about the input alone.
      yield* placed(aya, walletOrder(shop, aya, [garbaItem(shop, 1)]))
      assert.strictEqual(yield* storedOrdersOf(aya.userId), 1)
    }))

  it.effect("lists and reads: bad status filters, limits, cursors and ids are 400 naming the parameter", () =>
    Effect.gen(function*() {
      const { aya, shop } = yield* scene
      // Two orders: a second page exists at limit=1.
      yield* placed(aya, walletOrder(shop, aya, [garbaItem(shop, 1)]))
      yield* placed(aya, walletOrder(shop, aya, [garbaItem(shop, 1)]))
      const page = yield* ok(aya.api.orders.list({ query: { limit: 1 } }))
      assert.isString(page.nextCursor)
      const owner = { request: aya.request, token: shop.owner.token }
      const lists = ["/api/v1/orders", `/api/v1/providers/${shop.providerId}/orders`]
      const cursorRefused = (name: string, path: string): Refusal => ({ name, method: "GET", path, field: ["query", "cursor"] })
      // A status filter's problem names the parameter, and the piece at fault when it is one of a list.
      const statusRefused = (name: string, path: string): Refusal => ({ name, method: "GET", path, fieldUnder: ["query", "status"] })
      const refusals = (list: string): ReadonlyArray<Refusal> => [
        statusRefused(`${list}: an unknown status`, `${list}?status=lost`),
        statusRefused(`${list}: a status in capitals`, `${list}?status=PENDING`),
        statusRefused(`${list}: a trailing comma`, `${list}?status=pending,`),
        statusRefused(`${list}: one good status and one unknown`, `${list}?status=pending,lost`),
        statusRefused(`${list}: statuses with a space`, `${list}?status=pending,%20ready`),
        statusRefused(`${list}: an empty status`, `${list}?status=`),
        statusRefused(`${list}: a status of 201 characters`, `${list}?status=${"pending,".repeat(25)}ready`),
        invalid(`${list}: limit 0`, "GET", `${list}?limit=0`, undefined, ["query", "limit"]),
        invalid(`${list}: limit 51`, "GET", `${list}?limit=51`, undefined, ["query", "limit"]),
        invalid(`${list}: limit -1`, "GET", `${list}?limit=-1`, undefined, ["query", "limit"]),
        invalid(`${list}: limit 1.5`, "GET", `${list}?limit=1.5`, undefined, ["query", "limit"]),
        invalid(`${list}: limit abc`, "GET", `${list}?limit=abc`, undefined, ["query", "limit"]),
        invalid(`${list}: a cursor of 513 characters`, "GET", `${list}?cursor=${"a".repeat(513)}`, undefined, ["query", "cursor"]),
        cursorRefused(`${list}: a garbage cursor`, `${list}?cursor=garbage`),
        cursorRefused(`${list}: a cursor that is not base64url JSON`, `${list}?cursor=${Buffer.from("not json").toString("base64url")}`),
        cursorRefused(`${list}: a cursor of another kind`, `${list}?cursor=${base64Url({ kind: "name", searchName: "a", id: randomUUID() })}`),
        cursorRefused(`${list}: a cursor without its position`, `${list}?cursor=${base64Url({ kind: "orders" })}`)
      ]
      yield* refuseAll(aya, refusals(lists[0]!))
      yield* refuseAll(owner, refusals(lists[1]!))
      yield* refuseAll(aya, [
        invalid("get: id not a UUID", "GET", "/api/v1/orders/ORD-AB12CD34", undefined, ["path", "orderId"]),
        invalid("get: id with a path traversal", "GET", "/api/v1/orders/..%2F..%2Fetc%2Fpasswd", undefined, ["path", "orderId"]),
        invalid("get: id SQL", "GET", `/api/v1/orders/${encodeURIComponent("' OR 1=1 --")}`, undefined, ["path", "orderId"]),
        invalid("tracking: id not a UUID", "GET", "/api/v1/orders/123/tracking", undefined, ["path", "orderId"]),
        invalid("cancel: id not a UUID", "PUT", "/api/v1/orders/123/cancel", { reason: "Plus besoin" }, ["path", "orderId"]),
        invalid("provider orders: id not a UUID", "GET", "/api/v1/providers/maquis/orders", undefined, ["path", "providerId"])
      ])
      // Each list still reads fine with its own cursor.
      assert.strictEqual((yield* ok(aya.api.orders.list({ query: { limit: 1, cursor: page.nextCursor! } }))).items.length, 1)
      assert.strictEqual(yield* storedOrdersOf(aya.userId), 2)
    }))

  it.effect("a forged cursor (our kind, but its position not an order id) is refused like any cursor this API did not give out", () =>
    Effect.gen(function*() {
      const { aya, shop } = yield* scene
      yield* placed(aya, walletOrder(shop, aya, [garbaItem(shop, 1)]))
      const owner = { request: aya.request, token: shop.owner.token }
      // Today these decode (beforeId is any string) and answer an empty page, 200: the app shows
      // "no more orders" instead of starting again from the top as a 400 tells it to.
      for (const beforeId of ["' OR 1=1 --", "not-an-id", ""]) {
        const cursor = base64Url({ kind: "orders", beforeId })
        yield* refuseAll(aya, [{ name: `my orders: beforeId ${JSON.stringify(beforeId)}`, method: "GET", path: `/api/v1/orders?cursor=${cursor}`, field: ["query", "cursor"] }])
        yield* refuseAll(owner, [{ name: `provider orders: beforeId ${JSON.stringify(beforeId)}`, method: "GET", path: `/api/v1/providers/${shop.providerId}/orders?cursor=${cursor}`, field: ["query", "cursor"] }])
      }
    }))

  it.effect("order changes: bad reasons, preparation minutes, responsible parties and ids are refused; the order does not move", () =>
    Effect.gen(function*() {
      const { aya, bed, shop } = yield* scene
      const admin = yield* adminOf(bed.api)
      const order = yield* placed(aya, walletOrder(shop, aya, [garbaItem(shop, 2)]))
      const owner = { request: aya.request, token: shop.owner.token }
      const asAdmin = { request: aya.request, token: admin.token }
      const path = (action: string) => `/api/v1/orders/${order.id}/${action}`
      const reasons = (name: string, method: Refusal["method"], url: string, extra: Record<string, unknown> = {}): ReadonlyArray<Refusal> => [
        invalid(`${name}: no reason`, method, url, { ...extra }, ["body", "reason"]),
        invalid(`${name}: an empty reason`, method, url, { ...extra, reason: "" }, ["body", "reason"]),
        invalid(`${name}: a reason of 2 characters`, method, url, { ...extra, reason: "ok" }, ["body", "reason"]),
        invalid(`${name}: a reason with a leading space`, method, url, { ...extra, reason: " Trop long" }, ["body", "reason"]),
        invalid(`${name}: a reason of 501 characters`, method, url, { ...extra, reason: "r".repeat(501) }, ["body", "reason"]),
        invalid(`${name}: a reason with a control character`, method, url, { ...extra, reason: "Trop\u001b[31m long" }, ["body", "reason"]),
        invalid(`${name}: a reason not a string`, method, url, { ...extra, reason: 42 }, ["body", "reason"])
      ]
      const before = { order: yield* ok(aya.api.orders.get({ params: { orderId: order.id } })), ...(yield* untouched(aya, shop)) }
      yield* refuseAll(aya, reasons("cancel", "PUT", path("cancel")))
      yield* refuseAll(owner, [
        ...reasons("reject", "POST", path("reject")),
        invalid("confirm: no preparation minutes", "POST", path("confirm"), {}, ["body", "preparationMinutes"]),
        invalid("confirm: 0 minutes", "POST", path("confirm"), { preparationMinutes: 0 }, ["body", "preparationMinutes"]),
        invalid("confirm: -5 minutes", "POST", path("confirm"), { preparationMinutes: -5 }, ["body", "preparationMinutes"]),
        invalid("confirm: 1441 minutes", "POST", path("confirm"), { preparationMinutes: 1_441 }, ["body", "preparationMinutes"]),
        invalid("confirm: 12.5 minutes", "POST", path("confirm"), { preparationMinutes: 12.5 }, ["body", "preparationMinutes"]),
        invalid("confirm: minutes as text", "POST", path("confirm"), { preparationMinutes: "20" }, ["body", "preparationMinutes"]),
        invalid("confirm: minutes null", "POST", path("confirm"), { preparationMinutes: null }, ["body", "preparationMinutes"]),
        // Within the wire's bounds but beyond the policy's 180 minutes: the policy's own refusal.
        { name: "confirm: 181 minutes", method: "POST", path: path("confirm"), body: { preparationMinutes: 181 }, status: 422, code: "preparation_minutes_invalid" },
        invalid("confirm: id not a UUID", "POST", "/api/v1/orders/not-an-id/confirm", { preparationMinutes: 20 }, ["path", "orderId"]),
        invalid("reject: id not a UUID", "POST", "/api/v1/orders/not-an-id/reject", { reason: "Fermé ce soir" }, ["path", "orderId"]),
        invalid("preparing: id not a UUID", "POST", "/api/v1/orders/not-an-id/preparing", undefined, ["path", "orderId"]),
        invalid("ready: id not a UUID", "POST", "/api/v1/orders/not-an-id/ready", undefined, ["path", "orderId"])
      ])
      const overLimit = yield* owner.request("POST", path("confirm"), { token: shop.owner.token, body: { preparationMinutes: 181 } })
      assert.strictEqual(overLimit.body.maximum, 180)
      yield* refuseAll(asAdmin, [
        ...reasons("admin cancel", "PUT", `/api/v1/admin/orders/${order.id}/cancel`, { responsible: "provider" }),
        invalid("admin cancel: an unknown responsible party", "PUT", `/api/v1/admin/orders/${order.id}/cancel`, { reason: "Fraude", responsible: "nobody" }, ["body", "responsible"]),
        invalid("admin cancel: the admin as responsible party", "PUT", `/api/v1/admin/orders/${order.id}/cancel`, { reason: "Fraude", responsible: "admin" }, ["body", "responsible"]),
        invalid("admin cancel: id not a UUID", "PUT", "/api/v1/admin/orders/ORD-AB12CD34/cancel", { reason: "Fraude" }, ["path", "orderId"])
      ])
      assert.deepStrictEqual({ order: yield* ok(aya.api.orders.get({ params: { orderId: order.id } })), ...(yield* untouched(aya, shop)) }, before)
      assert.deepStrictEqual((yield* ok(aya.api.orders.tracking({ params: { orderId: order.id } }))).timeline.map((entry) => entry.change), ["created"])
    }))

  it.effect("admin promotions and delivery fees: bad terms, queries, ids and bands are refused; nothing is created or changed", () =>
    Effect.gen(function*() {
      const { aya, bed, shop } = yield* scene
      const admin = yield* adminOf(bed.api)
      const asAdmin = { request: aya.request, token: admin.token }
      const label = `Promo ${randomBytes(4).toString("hex")}`
      const terms: Record<string, unknown> = {
        code: `BAD${randomBytes(4).toString("hex").toUpperCase()}`,
        label,
        benefit: { kind: "percent_off", basisPoints: 1_000 },
        minimumSubtotalXof: 0,
        maximumDiscountXof: null,
        startsAt: "2026-01-01T00:00:00Z",
        endsAt: null,
        maximumUses: null,
        budgetXof: null,
        perCustomerLimit: null,
        firstOrderOnly: false,
        providerId: shop.providerId,
        fundedBy: "platform"
      }
      const existing = yield* ok(admin.api.ordersAdmin.createPromotion({ payload: { ...(terms as PromotionPayload), code: `OK${randomBytes(4).toString("hex").toUpperCase()}`, startsAt: new Date("2026-01-01T00:00:00Z") } }), 201)
      const create = (name: string, body: unknown, field: ReadonlyArray<string | number>) => invalid(`create: ${name}`, "POST", "/api/v1/admin/promotions", body, field)
      const update = (name: string, body: unknown, field: ReadonlyArray<string | number>) => invalid(`update: ${name}`, "PUT", `/api/v1/admin/promotions/${existing.id}`, body, field)
      const fees = (name: string, body: unknown, field: ReadonlyArray<string | number>) => invalid(`fees: ${name}`, "PUT", "/api/v1/admin/delivery-fees", body, field)
      yield* refuseAll(asAdmin, [
        create("a code with a space", { ...terms, code: "BON PLAN" }, ["body", "code"]),
        create("a code of 2 characters", { ...terms, code: "AB" }, ["body", "code"]),
        create("no label", without(terms, "label"), ["body", "label"]),
        create("a label of 1 character", { ...terms, label: "A" }, ["body", "label"]),
        create("a label of 121 characters", { ...terms, label: "L".repeat(121) }, ["body", "label"]),
        create("an unknown benefit", { ...terms, benefit: { kind: "buy_one_get_one" } }, ["body", "benefit"]),
        create("10,001 basis points", { ...terms, benefit: { kind: "percent_off", basisPoints: 10_001 } }, ["body", "benefit", "basisPoints"]),
        create("negative basis points", { ...terms, benefit: { kind: "delivery_off", basisPoints: -1 } }, ["body", "benefit", "basisPoints"]),
        create("an amount off of 0", { ...terms, benefit: { kind: "amount_off", amountXof: 0 } }, ["body", "benefit", "amountXof"]),
        create("a negative minimum", { ...terms, minimumSubtotalXof: -1 }, ["body", "minimumSubtotalXof"]),
        create("a fractional minimum", { ...terms, minimumSubtotalXof: 99.5 }, ["body", "minimumSubtotalXof"]),
        create("a start without its offset", { ...terms, startsAt: "2026-12-24T18:00:00" }, ["body", "startsAt"]),
        create("a start as a date only", { ...terms, startsAt: "2026-12-24" }, ["body", "startsAt"]),
        create("a start that is not a date", { ...terms, startsAt: "Noël" }, ["body", "startsAt"]),
        create("maximum uses 0", { ...terms, maximumUses: 0 }, ["body", "maximumUses"]),
        create("a per-customer limit of 1001", { ...terms, perCustomerLimit: 1_001 }, ["body", "perCustomerLimit"]),
        create("first order only as text", { ...terms, firstOrderOnly: "yes" }, ["body", "firstOrderOnly"]),
        create("a provider id not a UUID", { ...terms, providerId: "maquis" }, ["body", "providerId"]),
        create("funded by the driver", { ...terms, fundedBy: "driver" }, ["body", "fundedBy"]),
        { name: "create: an end before the start", method: "POST", path: "/api/v1/admin/promotions", body: { ...terms, endsAt: "2025-12-31T23:59:59Z" }, status: 422, code: "promotion_ends_before_start" },
        { name: "create: an unknown provider", method: "POST", path: "/api/v1/admin/promotions", body: { ...terms, providerId: randomUUID() }, status: 422, code: "promotion_provider_not_found" },
        update("10,001 basis points", { benefit: { kind: "percent_off", basisPoints: 10_001 } }, ["body", "benefit", "basisPoints"]),
        update("a code with a space", { code: "BON PLAN" }, ["body", "code"]),
        update("maximum uses -1", { maximumUses: -1 }, ["body", "maximumUses"]),
        { name: "update: an end before the start", method: "PUT", path: `/api/v1/admin/promotions/${existing.id}`, body: { endsAt: "2025-06-01T00:00:00Z" }, status: 422, code: "promotion_ends_before_start" },
        invalid("update: id not a UUID", "PUT", "/api/v1/admin/promotions/promo-1", { label: "Autre" }, ["path", "promotionId"]),
        invalid("get: id not a UUID", "GET", "/api/v1/admin/promotions/promo-1", undefined, ["path", "promotionId"]),
        invalid("deactivate: id not a UUID", "POST", "/api/v1/admin/promotions/promo-1/deactivate", undefined, ["path", "promotionId"]),
        { name: "get: an unknown id", method: "GET", path: `/api/v1/admin/promotions/${randomUUID()}`, status: 404, code: "promotion_not_found" },
        invalid("list: active=maybe", "GET", "/api/v1/admin/promotions?active=maybe", undefined, ["query", "active"]),
        invalid("list: limit 0", "GET", "/api/v1/admin/promotions?limit=0", undefined, ["query", "limit"]),
        { name: "list: a garbage cursor", method: "GET", path: "/api/v1/admin/promotions?cursor=garbage", field: ["query", "cursor"] },
        fees("bands not ascending", { bands: [{ upToM: 5_000, feeXof: 800 }, { upToM: 2_000, feeXof: 500 }], beyondPerKmXof: 200 }, ["body", "bands"]),
        fees("two bands ending at the same distance", { bands: [{ upToM: 2_000, feeXof: 500 }, { upToM: 2_000, feeXof: 800 }], beyondPerKmXof: 200 }, ["body", "bands"]),
        fees("no band", { bands: [], beyondPerKmXof: 200 }, ["body", "bands"]),
        fees("21 bands", { bands: Array.from({ length: 21 }, (_, index) => ({ upToM: (index + 1) * 1_000, feeXof: 500 })), beyondPerKmXof: 200 }, ["body", "bands"]),
        fees("a negative fee", { bands: [{ upToM: 2_000, feeXof: -500 }], beyondPerKmXof: 200 }, ["body", "bands", 0, "feeXof"]),
        fees("a band ending at 0 m", { bands: [{ upToM: 0, feeXof: 500 }], beyondPerKmXof: 200 }, ["body", "bands", 0, "upToM"]),
        fees("a fee in decimals", { bands: [{ upToM: 2_000, feeXof: 500.5 }], beyondPerKmXof: 200 }, ["body", "bands", 0, "feeXof"]),
        fees("no beyond rate", { bands: [{ upToM: 2_000, feeXof: 500 }] }, ["body", "beyondPerKmXof"]),
        fees("a negative beyond rate", { bands: [{ upToM: 2_000, feeXof: 500 }], beyondPerKmXof: -1 }, ["body", "beyondPerKmXof"])
      ])
      const sql = yield* SqlClient.SqlClient
      const promotions = yield* sql<{ count: number }>`SELECT count(*)::int AS count FROM orders.promotions WHERE label = ${label}`
      assert.strictEqual(promotions[0]!.count, 1, "only the promotion created well formed")
      assert.deepStrictEqual(yield* ok(admin.api.ordersAdmin.getPromotion({ params: { promotionId: existing.id } })), existing)
      const schedules = yield* sql<{ count: number }>`SELECT count(*)::int AS count FROM orders.delivery_fee_schedules WHERE set_by = ${admin.userId}`
      assert.strictEqual(schedules[0]!.count, 0, "no fee bands written")
    }))
})
