import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import {
  adminOf,
  cashOrder,
  customerOf,
  garbaItem,
  ok,
  orderTestbed,
  placed,
  restaurantOf,
  walletOrder
} from "../../support/orderClient.ts"
import { dataOf, openSse, type SseEvent } from "../../support/sseClient.ts"
import type { Testbed } from "../../support/walletClient.ts"

// The live streams over HTTP, read by an SSE client as the apps read them: a customer follows an
// order change by change and resumes with Last-Event-ID after losing the connection, a provider's
// tablet sees its new orders arrive, heartbeats keep a quiet stream open, the stream ends when the
// order does (204 afterwards) and when the access token expires; nobody follows what is not theirs.

class Bed extends Context.Service<Bed, Testbed>()("test/orderEvents/Bed") {}
// Heartbeats every second, so that a test sees one without waiting the production 20 s.
const BedLayer = Layer.effect(Bed, orderTestbed({ LIVE_HEARTBEAT_MS: "1000" })).pipe(Layer.provideMerge(PostgresLayer))

const names = (events: ReadonlyArray<SseEvent>) => events.map((event) => event.event)

/** The events of changes (heartbeats left out), up to `count`. */
const nextChanges = (stream: Effect.Success<ReturnType<typeof openSse>>, count: number) =>
  Effect.gen(function*() {
    const found: Array<SseEvent> = []
    while (found.length < count) {
      const [event] = yield* stream.next(1)
      if (event!.event !== "heartbeat") found.push(event!)
    }
    return found
  })

layer(BedLayer, { excludeTestServices: true, timeout: "120 seconds" })("live order streams over HTTP (SSE)", (it) => {
  it.effect("a customer follows a wallet order: its history, ready, each change in order; resumed with Last-Event-ID after a cut, nothing lost or repeated; the end, then 204", () =>
    Effect.scoped(Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed, { funds: 10_000 })
      const admin = yield* adminOf(bed.api)
      const order = yield* placed(aya, walletOrder(shop, aya, [garbaItem(shop, 1)]))
      const url = `${bed.api.url}/api/v1/orders/${order.id}/events`

      const first = yield* Effect.scoped(Effect.gen(function*() {
        const stream = yield* openSse(url, { token: aya.token })
        assert.strictEqual(stream.status, 200)
        assert.match(stream.headers["content-type"] ?? "", /^text\/event-stream/u)
        assert.strictEqual(stream.headers["cache-control"], "no-cache")
        assert.strictEqual(stream.headers["x-accel-buffering"], "no")
        const opening = yield* stream.next(2)
        assert.deepStrictEqual(names(opening), ["order.created", "ready"])
        const created = dataOf(opening[0]!)
        assert.strictEqual(created.order.id, order.id)
        assert.strictEqual(created.order.reference, order.reference)
        assert.deepInclude(created.change, { change: "created", status: "pending", actorKind: "customer" })
        assert.strictEqual(opening[0]!.id, String(created.position))
        assert.deepStrictEqual(dataOf(opening[1]!), { position: created.position })

        yield* ok(shop.owner.api.orders.confirm({ params: { orderId: order.id }, payload: { preparationMinutes: 20 } }))
        yield* ok(shop.owner.api.orders.preparing({ params: { orderId: order.id } }))
        const live = yield* nextChanges(stream, 2)
        assert.deepStrictEqual(names(live), ["order.confirmed", "order.preparing"])
        assert.deepStrictEqual(live.map((event) => dataOf(event).order.status), ["confirmed", "preparing"])
        assert.strictEqual(dataOf(live[0]!).order.preparationMinutes, 20)
        const positions = [created.position, ...live.map((event) => dataOf(event).position as number)]
        assert.isTrue(positions.every((position, index) => index === 0 || position > positions[index - 1]!), String(positions))
        return stream.lastEventId()!
      }))

      // While the phone was in a dead spot: the order became ready.
      yield* ok(shop.owner.api.orders.ready({ params: { orderId: order.id } }))
      const resumed = yield* openSse(url, { token: aya.token, lastEventId: first })
      const missed = yield* resumed.next(2)
      assert.deepStrictEqual(names(missed), ["order.ready", "ready"])
      assert.strictEqual(dataOf(missed[0]!).order.status, "ready")

      // The polled tracking says where the stream stands: its last position resumes it too.
      const tracking = yield* ok(aya.api.orders.tracking({ params: { orderId: order.id } }))
      assert.strictEqual(String(tracking.timeline.at(-1)!.position), missed[0]!.id)

      yield* ok(admin.api.ordersAdmin.cancel({ params: { orderId: order.id }, payload: { reason: "Livreur introuvable ce soir", responsible: "platform" } }))
      const [cancelled] = yield* nextChanges(resumed, 1)
      assert.strictEqual(cancelled!.event, "order.cancelled")
      assert.deepInclude(dataOf(cancelled!).order, { status: "cancelled", paymentStatus: "refunded" })
      assert.isTrue(yield* resumed.ended(), "the stream ends with the order")

      const afterEnd = yield* openSse(url, { token: aya.token, lastEventId: cancelled!.id! })
      assert.strictEqual(afterEnd.status, 204, "nothing will come: an EventSource stops reconnecting")
      // Opened afresh, the whole story, then the end.
      const again = yield* openSse(url, { token: aya.token })
      assert.isTrue(yield* again.ended())
      assert.deepStrictEqual(names(again.received().events), ["order.created", "order.confirmed", "order.preparing", "order.ready", "order.cancelled"])
    })))

  it.effect("a provider's tablet: ready at its position, each new order and change as it happens, heartbeats while quiet; resumed, only what it missed", () =>
    Effect.scoped(Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed)
      const before = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 1)]))
      const url = `${bed.api.url}/api/v1/providers/${shop.providerId}/orders/events`

      const tablet = yield* openSse(url, { token: shop.owner.token })
      assert.strictEqual(tablet.status, 200)
      const [ready] = yield* tablet.next(1)
      assert.strictEqual(ready!.event, "ready", "the order placed before is in the list the app loaded, not replayed")
      const startedAt = dataOf(ready!).position as number

      // Quiet: heartbeats (no id, the resume point stays).
      const quiet = yield* tablet.next(1, 3_000)
      assert.deepStrictEqual(names(quiet), ["heartbeat"])
      assert.isString(dataOf(quiet[0]!).at)
      assert.strictEqual(tablet.lastEventId(), String(startedAt))

      const order = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 2, "large")], { note: "Sans piment" }))
      const [created] = yield* nextChanges(tablet, 1)
      assert.strictEqual(created!.event, "order.created")
      assert.deepInclude(dataOf(created!).order, { id: order.id, status: "pending", paymentMethod: "cash", note: "Sans piment", totalXof: order.totalXof })
      yield* ok(shop.owner.api.orders.reject({ params: { orderId: before.id }, payload: { reason: "Plus de garba" } }))
      const [rejected] = yield* nextChanges(tablet, 1)
      assert.strictEqual(rejected!.event, "order.cancelled")
      assert.strictEqual(dataOf(rejected!).order.id, before.id)

      // A second tablet resuming from the opening position gets the same two, then ready.
      const second = yield* openSse(url, { token: shop.owner.token, lastEventId: String(startedAt) })
      const replayed = yield* nextChanges(second, 3)
      assert.deepStrictEqual(replayed.map((event) => event.id), [created!.id, rejected!.id, rejected!.id])
      assert.deepStrictEqual(names(replayed), ["order.created", "order.cancelled", "ready"])
    })))

  it.effect("nobody follows what is not theirs: another customer's order, another owner's provider, no token; bad ids and a bad Last-Event-ID are refused", () =>
    Effect.scoped(Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const rival = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed)
      const kofi = yield* customerOf(bed)
      const order = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 1)]))
      const orderUrl = `${bed.api.url}/api/v1/orders/${order.id}/events`
      const providerUrl = `${bed.api.url}/api/v1/providers/${shop.providerId}/orders/events`

      const problem = (stream: Effect.Success<ReturnType<typeof openSse>>) =>
        Effect.map(stream.body, (body) => ({ status: stream.status, type: stream.headers["content-type"], body: JSON.parse(body) }))
      const refusals = [
        [yield* openSse(orderUrl, { token: kofi.token }), 404, "order_not_found"],
        [yield* openSse(orderUrl, { token: rival.owner.token }), 404, "order_not_found"],
        [yield* openSse(`${bed.api.url}/api/v1/orders/${randomUUID()}/events`, { token: aya.token }), 404, "order_not_found"],
        [yield* openSse(providerUrl, { token: rival.owner.token }), 404, "provider_not_found"],
        [yield* openSse(providerUrl, { token: aya.token }), 404, "provider_not_found"],
        [yield* openSse(orderUrl), 401, "unauthenticated"],
        [yield* openSse(providerUrl, { token: "garbage" }), 401, "unauthenticated"],
        [yield* openSse(`${bed.api.url}/api/v1/orders/not-an-id/events`, { token: aya.token }), 400, "invalid_request"],
        [yield* openSse(orderUrl, { token: aya.token, lastEventId: "abc" }), 400, "invalid_request"],
        [yield* openSse(providerUrl, { token: shop.owner.token, lastEventId: "-1" }), 400, "invalid_request"],
        [yield* openSse(providerUrl, { token: shop.owner.token, lastEventId: "99999999999999999999" }), 400, "invalid_request"]
      ] as const
      for (const [stream, status, code] of refusals) {
        const answer = yield* problem(stream)
        assert.strictEqual(answer.status, status, JSON.stringify(answer.body))
        assert.strictEqual(answer.type, "application/problem+json")
        assert.strictEqual(answer.body.code, code, JSON.stringify(answer.body))
        assert.isString(answer.body.message)
      }
      const badHeader = yield* problem(refusals[8][0])
      assert.include(JSON.stringify(badHeader.body), "last-event-id", "the problem names the header")

      // The owner and an admin may follow the order.
      const admin = yield* adminOf(bed.api)
      for (const token of [shop.owner.token, admin.token]) {
        const stream = yield* openSse(orderUrl, { token })
        assert.deepStrictEqual(names(yield* stream.next(2)), ["order.created", "ready"])
      }
    })))
})

class ShortBed extends Context.Service<ShortBed, Testbed>()("test/orderEvents/ShortBed") {}
// Access tokens of 8 s: long enough to set the scene, short enough to see a stream outlive none.
const ShortBedLayer = Layer.effect(ShortBed, orderTestbed({ ACCESS_TOKEN_TTL_MS: "8000" })).pipe(Layer.provideMerge(PostgresLayer))

layer(ShortBedLayer, { excludeTestServices: true, timeout: "120 seconds" })("live order streams and access tokens", (it) => {
  it.effect("a stream ends when its access token expires: the app reconnects with a fresh token and Last-Event-ID", () =>
    Effect.scoped(Effect.gen(function*() {
      const bed = yield* ShortBed
      const shop = yield* restaurantOf(bed.api)
      const aya = yield* customerOf(bed)
      const order = yield* placed(aya, cashOrder(shop, aya, [garbaItem(shop, 1)]))
      const stream = yield* openSse(`${bed.api.url}/api/v1/orders/${order.id}/events`, { token: aya.token })
      assert.deepStrictEqual(names(yield* stream.next(2)), ["order.created", "ready"])
      assert.isTrue(yield* stream.ended(12_000), "ended at the token's expiry")
      const refused = yield* openSse(`${bed.api.url}/api/v1/orders/${order.id}/events`, { token: aya.token, lastEventId: stream.lastEventId()! })
      assert.strictEqual(refused.status, 401)
    })))
})
