import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { xof } from "@nelo/domain/shared/Xof"
import { type ApiResponse, call } from "../../support/apiClient.ts"
import { adminOf, cashOrder, customerOf, garbaItem, ok, placed, places, restaurantOf } from "../../support/orderClient.ts"
import { Bed, cleanly, confirmAndDispatch, deliveryBedLayer, deliveryRow, driverAt, offerRows, rawCall, readyOver } from "./deliveryFixtures.ts"

// Every new deliveries endpoint fed what a buggy app or a hostile caller would send: ids that are
// not UUIDs, codes that are not 4 digits, cash that is not whole francs, unknown failure reasons,
// notes and reasons too long, bad admin filters. Each is refused with a problem+json 400
// invalid_request naming the field (its path, as ["path", ...], ["body", ...] or ["query", ...]),
// with a French message, and changes nothing: the offer stays open, the delivery and its order
// where they were, no wrong code counted. Unknown members of a body are ignored (as everywhere in
// this API), never taken for the caller's word.

const BedLayer = deliveryBedLayer()

interface Refusal {
  readonly name: string
  readonly method: "GET" | "POST" | "PUT"
  readonly path: string
  readonly body?: unknown
  readonly rawBody?: string
  readonly code?: string
  /** The 400's field, as the problem's `errors` name it. */
  readonly field?: ReadonlyArray<string | number>
  /** Some field of the 400 starts with this path (a union's member is not pinned). */
  readonly fieldUnder?: ReadonlyArray<string | number>
}

const expectRefusal = (response: ApiResponse, refusal: Refusal) => {
  const code = refusal.code ?? "invalid_request"
  const context = `${refusal.name} — ${refusal.method} ${refusal.path} → ${response.status} ${JSON.stringify(response.body)}`
  assert.strictEqual(response.status, 400, context)
  assert.strictEqual(response.headers.get("content-type"), "application/problem+json", context)
  assert.strictEqual(response.body.code, code, context)
  assert.strictEqual(response.body.status, 400, context)
  assert.match(response.body.message, code === "invalid_request" ? /^La requête est invalide/u : /^Le corps de la requête/u, context)
  assert.isArray(response.body.errors, context)
  assert.isNotEmpty(response.body.errors, context)
  for (const error of response.body.errors) {
    assert.isArray(error.path, context)
    assert.isString(error.message, context)
    assert.isNotEmpty(error.message, context)
  }
  const paths: Array<string> = response.body.errors.map((error: { path: Array<string | number> }) => JSON.stringify(error.path))
  if (refusal.field !== undefined) assert.include(paths, JSON.stringify(refusal.field), context)
  if (refusal.fieldUnder !== undefined) {
    const prefix = JSON.stringify(refusal.fieldUnder).slice(0, -1)
    assert.isTrue(paths.some((path) => path.startsWith(prefix)), context)
  }
}

/** Sends every refusal as the holder of `token` (a few at a time), and checks each answer. */
const refuseAll = (token: string, refusals: ReadonlyArray<Refusal>) =>
  Effect.gen(function*() {
    const bed = yield* Bed
    yield* Effect.forEach(refusals, (refusal) =>
      call(bed.api.url, refusal.method, refusal.path, {
        token,
        ...(refusal.body === undefined ? {} : { body: refusal.body }),
        ...(refusal.rawBody === undefined ? {} : { rawBody: refusal.rawBody })
      }).pipe(Effect.map((response) => expectRefusal(response, refusal))), { concurrency: 6, discard: true })
  })

const invalid = (name: string, method: Refusal["method"], path: string, body: unknown, field: ReadonlyArray<string | number>): Refusal => ({
  name,
  method,
  path,
  ...(body === undefined ? {} : { body }),
  field
})

/** Ids that are not UUIDs, as a path segment: a reference, a number, a traversal, SQL, a UUID and a character. */
const notIds = ["ORD-AB12CD34", "123", "..%2F..%2Fetc%2Fpasswd", encodeURIComponent("' OR 1=1 --"), `${randomUUID()}0`]

/** A restaurant, a customer, a driver around it, and a cash order offered to him. */
const scene = Effect.gen(function*() {
  const bed = yield* Bed
  const shop = yield* restaurantOf(bed.api)
  const aya = yield* customerOf(bed)
  const driver = yield* driverAt(places.market)
  const order = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 1)]))
  const { deliveryId, offers } = yield* confirmAndDispatch(shop, order.id)
  assert.deepStrictEqual(offers.map((offer) => offer.driverId), [driver.userId])
  return { bed, shop, aya, driver, order, deliveryId, offerId: offers[0]!.id }
})

/** What a refused request must leave as it was: the delivery and its offers as stored, the order as its customer reads it. */
type Scene = Effect.Success<typeof scene>

const stateOf = (setup: Scene) =>
  Effect.gen(function*() {
    return {
      delivery: yield* deliveryRow(setup.deliveryId),
      offers: yield* offerRows(setup.deliveryId),
      order: yield* ok(setup.aya.api.orders.get({ params: { orderId: setup.order.id } }))
    }
  })

layer(BedLayer, { excludeTestServices: true, timeout: "120 seconds" })("deliveries: bad input", (it) => {
  it.effect("offers: accept and decline with ids that are not UUIDs, reasons too long, not text, with control characters or padding, bodies that are not JSON: 400 naming the field; the offer stays open", () =>
    cleanly(Effect.gen(function*() {
      const setup = yield* scene
      const { driver, offerId } = setup
      const before = yield* stateOf(setup)
      const reject = `/api/v1/drivers/offers/${offerId}/reject`
      yield* refuseAll(driver.token, [
        ...notIds.flatMap((id) => [
          invalid(`accept: id ${id}`, "POST", `/api/v1/drivers/offers/${id}/accept`, undefined, ["path", "offerId"]),
          invalid(`reject: id ${id}`, "POST", `/api/v1/drivers/offers/${id}/reject`, { reason: "Trop loin" }, ["path", "offerId"])
        ]),
        invalid("reject: a reason of 201 characters", "POST", reject, { reason: "r".repeat(201) }, ["body", "reason"]),
        invalid("reject: a reason that is a number", "POST", reject, { reason: 42 }, ["body", "reason"]),
        invalid("reject: a reason null", "POST", reject, { reason: null }, ["body", "reason"]),
        invalid("reject: a reason with a control character", "POST", reject, { reason: "Trop\u001b[31m loin" }, ["body", "reason"]),
        invalid("reject: a reason with a leading space", "POST", reject, { reason: " Trop loin" }, ["body", "reason"]),
        invalid("reject: a body that is a list", "POST", reject, ["Trop loin"], ["body"]),
        { name: "reject: a body that is not JSON", method: "POST", path: reject, rawBody: "{reason: trop loin", code: "malformed_json" }
      ])
      assert.deepStrictEqual(yield* stateOf(setup), before, "the offer still open, the delivery searching")
      assert.deepStrictEqual((yield* ok(driver.api.drivers.offers())).offers.map((offer) => offer.id), [offerId])

      // A reason of exactly 200 characters is fine; a member the API does not know (a status, a
      // driver) is ignored: the offer is declined, by him, and nothing else.
      const declined = yield* rawCall("POST", reject, driver.token, { reason: "r".repeat(200), status: "accepted", driverId: randomUUID() })
      assert.strictEqual(declined.status, 200, JSON.stringify(declined.body))
      assert.deepStrictEqual(declined.body, { id: offerId, deliveryId: setup.deliveryId, status: "rejected" })
      assert.deepInclude((yield* offerRows(setup.deliveryId))[0]!, { status: "rejected", driverId: driver.userId, rejectReason: "r".repeat(200) })
      assert.isNull((yield* deliveryRow(setup.deliveryId)).driverId)
    })))

  it.effect("the five steps: ids that are not UUIDs, codes that are not 4 digits, cash that is not whole francs, unknown failure reasons, notes too long: 400 naming the field; no wrong code counted, the delivery and the order do not move", () =>
    cleanly(Effect.gen(function*() {
      const setup = yield* scene
      const { aya, deliveryId, driver, order, shop } = setup
      yield* ok(driver.api.drivers.acceptOffer({ params: { offerId: setup.offerId } }))
      yield* readyOver(shop, order.id)
      yield* ok(driver.api.deliveries.pickUp({ params: { deliveryId } }))
      yield* ok(driver.api.deliveries.start({ params: { deliveryId } }))
      const before = yield* stateOf(setup)
      assert.deepInclude(before.delivery, { status: "delivering", wrongCodeAttempts: 0 })

      const path = (step: string, id = deliveryId) => `/api/v1/deliveries/${id}/${step}`
      const code = order.deliveryCode!
      const cash = order.totalXof
      const complete = (name: string, body: unknown, field: ReadonlyArray<string | number>) => invalid(`complete: ${name}`, "POST", path("complete"), body, field)
      const fail = (name: string, body: unknown, field: ReadonlyArray<string | number>) => invalid(`fail: ${name}`, "POST", path("fail"), body, field)
      yield* refuseAll(driver.token, [
        ...notIds.flatMap((id) => [
          invalid(`pickup: id ${id}`, "POST", path("pickup", id), undefined, ["path", "deliveryId"]),
          invalid(`start: id ${id}`, "POST", path("start", id), undefined, ["path", "deliveryId"]),
          invalid(`complete: id ${id}`, "POST", path("complete", id), { code, cashCollectedXof: cash }, ["path", "deliveryId"]),
          invalid(`fail: id ${id}`, "POST", path("fail", id), { reason: "customer_absent" }, ["path", "deliveryId"]),
          invalid(`release: id ${id}`, "POST", path("release", id), undefined, ["path", "deliveryId"])
        ]),
        complete("a code with a letter", { code: "12a4", cashCollectedXof: cash }, ["body", "code"]),
        complete("a code of 5 digits", { code: "12345", cashCollectedXof: cash }, ["body", "code"]),
        complete("a code of 3 digits", { code: "123", cashCollectedXof: cash }, ["body", "code"]),
        complete("the code with a space", { code: ` ${code}`, cashCollectedXof: cash }, ["body", "code"]),
        complete("an empty code", { code: "", cashCollectedXof: cash }, ["body", "code"]),
        complete("the code as a number", { code: 1234, cashCollectedXof: cash }, ["body", "code"]),
        complete("a code null", { code: null, cashCollectedXof: cash }, ["body", "code"]),
        complete("no code", { cashCollectedXof: cash }, ["body", "code"]),
        complete("no body", undefined, ["body"]),
        complete("negative cash", { code, cashCollectedXof: -1 }, ["body", "cashCollectedXof"]),
        complete("fractional cash", { code, cashCollectedXof: cash + 0.5 }, ["body", "cashCollectedXof"]),
        complete("cash as text", { code, cashCollectedXof: String(cash) }, ["body", "cashCollectedXof"]),
        complete("cash null", { code, cashCollectedXof: null }, ["body", "cashCollectedXof"]),
        complete("cash over 100 million", { code, cashCollectedXof: 100_000_001 }, ["body", "cashCollectedXof"]),
        { name: "complete: a body that is not JSON", method: "POST", path: path("complete"), rawBody: `{"code": "${code}"`, code: "malformed_json" },
        fail("an unknown reason", { reason: "nope" }, ["body", "reason"]),
        fail("a reason in capitals", { reason: "CUSTOMER_ABSENT" }, ["body", "reason"]),
        fail("no reason", { note: "Personne" }, ["body", "reason"]),
        fail("a reason that is a number", { reason: 1 }, ["body", "reason"]),
        fail("a note of 501 characters", { reason: "customer_absent", note: "n".repeat(501) }, ["body", "note"]),
        fail("a note that is a number", { reason: "customer_absent", note: 42 }, ["body", "note"]),
        fail("a note with a control character", { reason: "customer_absent", note: "Personne\u0007 là" }, ["body", "note"]),
        fail("a note with a trailing space", { reason: "customer_absent", note: "Personne " }, ["body", "note"])
      ])
      const after = yield* stateOf(setup)
      assert.deepStrictEqual(after, before, "the delivery, its offers and the order as they were")
      assert.strictEqual(after.delivery.wrongCodeAttempts, 0, "a code that is not 4 digits is not a wrong code")
      assert.strictEqual(after.order.status, "delivering")

      // A member the API does not know is ignored, never taken for the caller's word (no attempts
      // reset, no other driver): the handover goes through on the right code and cash.
      const done = yield* rawCall("POST", path("complete"), driver.token, { code, cashCollectedXof: xof(cash), wrongCodeAttempts: 0, driverId: randomUUID(), status: "failed" })
      assert.strictEqual(done.status, 200, JSON.stringify(done.body))
      assert.deepInclude(done.body, { status: "delivered", driverId: driver.userId, cashCollectedXof: cash })
      assert.strictEqual((yield* ok(aya.api.orders.get({ params: { orderId: order.id } }))).status, "delivered")
    })))

  it.effect("admin: an unknown status, limits out of 1..50, a cursor or ids that are not UUIDs, an assignment without a driver's id: 400 naming the parameter; nothing assigned", () =>
    cleanly(Effect.gen(function*() {
      const bed = yield* Bed
      const admin = yield* adminOf(bed.api)
      // No driver around: the order's delivery is unassigned, waiting for an admin.
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed)
      const order = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 1)]))
      const { deliveryId, outcome } = yield* confirmAndDispatch(shop, order.id)
      assert.strictEqual(outcome, "unassigned")
      const driver = yield* driverAt(places.market, { online: false })
      const list = "/api/v1/admin/deliveries"
      const assign = `${list}/${deliveryId}/assign`
      const before = { delivery: yield* deliveryRow(deliveryId), order: yield* ok(aya.api.orders.get({ params: { orderId: order.id } })) }
      yield* refuseAll(admin.token, [
        { name: "list: an unknown status", method: "GET", path: `${list}?status=nope`, fieldUnder: ["query", "status"] },
        { name: "list: a status in capitals", method: "GET", path: `${list}?status=UNASSIGNED`, fieldUnder: ["query", "status"] },
        { name: "list: an empty status", method: "GET", path: `${list}?status=`, fieldUnder: ["query", "status"] },
        invalid("list: limit 0", "GET", `${list}?limit=0`, undefined, ["query", "limit"]),
        invalid("list: limit 51", "GET", `${list}?limit=51`, undefined, ["query", "limit"]),
        invalid("list: limit -1", "GET", `${list}?limit=-1`, undefined, ["query", "limit"]),
        invalid("list: limit 1.5", "GET", `${list}?limit=1.5`, undefined, ["query", "limit"]),
        invalid("list: limit abc", "GET", `${list}?limit=abc`, undefined, ["query", "limit"]),
        invalid("list: a cursor that is not a UUID", "GET", `${list}?cursor=garbage`, undefined, ["query", "cursor"]),
        invalid("list: a cursor of 37 characters", "GET", `${list}?cursor=${randomUUID()}0`, undefined, ["query", "cursor"]),
        invalid("list: a cursor SQL", "GET", `${list}?cursor=${encodeURIComponent("' OR 1=1 --")}`, undefined, ["query", "cursor"]),
        ...notIds.flatMap((id) => [
          invalid(`get: id ${id}`, "GET", `${list}/${id}`, undefined, ["path", "deliveryId"]),
          invalid(`assign: id ${id}`, "POST", `${list}/${id}/assign`, { driverId: driver.userId }, ["path", "deliveryId"])
        ]),
        invalid("assign: no driver", "POST", assign, {}, ["body", "driverId"]),
        invalid("assign: a driver id that is not a UUID", "POST", assign, { driverId: "koffi" }, ["body", "driverId"]),
        invalid("assign: a driver id that is a number", "POST", assign, { driverId: 42 }, ["body", "driverId"]),
        invalid("assign: a driver id null", "POST", assign, { driverId: null }, ["body", "driverId"]),
        invalid("assign: no body", "POST", assign, undefined, ["body"]),
        invalid("complete: no note", "POST", `${list}/${deliveryId}/complete`, {}, ["body", "note"]),
        invalid("complete: a note of 2 characters", "POST", `${list}/${deliveryId}/complete`, { note: "ok" }, ["body", "note"]),
        invalid("complete: a note of 501 characters", "POST", `${list}/${deliveryId}/complete`, { note: "x".repeat(501) }, ["body", "note"]),
        invalid("complete: negative cash", "POST", `${list}/${deliveryId}/complete`, { note: "client appelé", cashCollectedXof: -5 }, ["body", "cashCollectedXof"]),
        invalid("complete: fractional cash", "POST", `${list}/${deliveryId}/complete`, { note: "client appelé", cashCollectedXof: 12.5 }, ["body", "cashCollectedXof"])
      ])
      assert.deepStrictEqual({ delivery: yield* deliveryRow(deliveryId), order: yield* ok(aya.api.orders.get({ params: { orderId: order.id } })) }, before, "nothing assigned")
      // The same requests well formed are answered.
      assert.isTrue((yield* ok(admin.api.deliveriesAdmin.list({ query: { status: "unassigned", limit: 50 } }))).deliveries.some((delivery) => delivery.id === deliveryId))
      const page = yield* ok(admin.api.deliveriesAdmin.list({ query: { limit: 1 } }))
      assert.lengthOf(page.deliveries, 1)
      if (page.nextCursor !== null) yield* ok(admin.api.deliveriesAdmin.list({ query: { limit: 1, cursor: page.nextCursor } }))
      assert.strictEqual((yield* ok(admin.api.deliveriesAdmin.assign({ params: { deliveryId }, payload: { driverId: driver.userId } }))).status, "assigned")
    })))
})
