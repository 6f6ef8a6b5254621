import { randomBytes, randomInt } from "node:crypto"
import { assert } from "@effect/vitest"
import { Context, Effect, Layer, References } from "effect"
import { SqlClient } from "effect/sql"
import { DeliveriesLive } from "@nelo/adapters/contexts/DeliveriesLive"
import { KycRepositoryPostgres } from "@nelo/adapters/postgres/KycRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { Dispatch } from "@nelo/domain/deliveries/Dispatch"
import type { Vehicle } from "@nelo/domain/deliveries/Vehicle"
import type { EventOf } from "@nelo/domain/events/DomainEvent"
import { KycRepository } from "@nelo/domain/users/KycRepository"
import type { UserId } from "@nelo/domain/users/User"
import { type ApiResponse, call } from "../../support/apiClient.ts"
import { client } from "../../support/authClient.ts"
import type { NeloClient } from "../../support/neloClient.ts"
import { ok, orderTestbed, type Place, places, type Restaurant } from "../../support/orderClient.ts"
import type { Testbed } from "../../support/walletClient.ts"
import { withEnv } from "../../support/withEnv.ts"

// Deliveries over HTTP, with dispatch run by the test: the API (startApi, as in production) and,
// in this process, the deliveries context on the same Postgres and the same Redis prefix, so that
// the positions the drivers send over HTTP are the ones dispatch searches. There is no worker: the
// test reads the `order.confirmed` event the provider's confirmation wrote to the outbox and calls
// Dispatch.open itself, and Dispatch.advance where the worker's wake-up would.
//
// Each file gets a Redis prefix of its own (under the run's, removed with it): the drivers online
// in other files' tests are never found around this file's providers. Within a file, each test
// puts its drivers offline when it ends, so the next test's dispatch sees only its own.

export class Bed extends Context.Service<Bed, Testbed>()("test/deliveries/http/Bed") {}

/**
 * The API and the deliveries context (Dispatch, Deliveries, Drivers) on one Postgres and one Redis
 * prefix, with the KYC store (an admin's approval) and SqlClient. `env`: DISPATCH_* overrides, for
 * both the API and the dispatch run here.
 */
export const deliveryBedLayer = (env: Record<string, string> = {}) => {
  const prefix = `${process.env.REDIS_KEY_PREFIX ?? "nelo-test"}-dl-${randomBytes(4).toString("hex")}`
  const all = { REDIS_KEY_PREFIX: prefix, ...env }
  return Layer.mergeAll(
    Layer.effect(Bed, orderTestbed(all)),
    // Fresh: built in one memo map with the API's, the deliveries' adapters (the payment gateways
    // among them) would be shared with it, built with whichever config came first.
    Layer.fresh(Layer.mergeAll(DeliveriesLive.pipe(Layer.provide(RedisClientLayer)), KycRepositoryPostgres)).pipe(
      // Its start-up warning (no payment gateway: it takes no payments) is noise here.
      Layer.provide(Layer.succeed(References.MinimumLogLevel, "Error"))
    )
  ).pipe(
    Layer.provideMerge(PostgresLayer),
    Layer.provide(withEnv(all)),
    // Dispatch's info logs (offers sent) are noise in the test output; warnings still show.
    Layer.provideMerge(Layer.succeed(References.MinimumLogLevel, "Warn"))
  )
}

/** A phone's fix at `at`, recorded a second ago. */
export const fixAt = (at: Place) => ({ lat: at.lat, lng: at.lng, accuracyM: 8, headingDeg: 90, speedMps: 4, recordedAt: new Date(Date.now() - 1_000) })

/** A person signed up through the app (not a driver): their typed client and raw requests. */
export const personOf = Effect.gen(function*() {
  const bed = yield* Bed
  const { as, request, registered } = client(bed.api)
  const account = yield* registered()
  const token = account.accessToken
  return {
    userId: account.user.id,
    phone: account.phone,
    token,
    api: as(token) as NeloClient,
    request: (method: string, path: string, body?: unknown) => request(method, path, { body, token })
  }
})

export type Person = Effect.Success<typeof personOf>

/**
 * A driver through their app: registered (a motorbike unless asked, home zone where they stand),
 * their licence approved by an admin (written to the KYC store as the CLI's approval writes it),
 * their position at `at` sent over HTTP, then online over HTTP (unless `online: false`).
 */
export const driverAt = (at: Place, options: { readonly vehicle?: Vehicle; readonly online?: boolean } = {}) =>
  Effect.gen(function*() {
    const bed = yield* Bed
    const person = yield* personOf
    const zone = yield* ok(client(bed.api).as().zones.lookup({ payload: at }))
    assert.isNotNull(zone.zone, `a zone at ${JSON.stringify(at)}`)
    yield* ok(person.api.drivers.register({ payload: { vehicle: options.vehicle ?? "motorbike", plate: `${randomInt(1_000, 10_000)} AB 01`, zoneId: zone.zone!.id } }))
    const kyc = yield* KycRepository
    yield* kyc.addDocument({
      id: crypto.randomUUID(),
      userId: person.userId as UserId,
      type: "driving_licence",
      storageKey: `kyc/${person.userId}/permis.pdf`,
      contentType: "application/pdf",
      sizeBytes: 1_000,
      uploadedAt: new Date()
    })
    assert.isTrue(yield* kyc.review(person.userId as UserId, { status: "approved" }, new Date()), "the KYC approved")
    yield* ok(person.api.drivers.location({ payload: fixAt(at) }))
    if (options.online !== false) assert.strictEqual((yield* ok(person.api.drivers.status({ payload: { status: "online" } }))).status, "online")
    made.add(person)
    return person
  })

/** The drivers made by the running test (cleanly puts them offline whatever happens). */
const made = new Set<Person>()

export type Driver = Effect.Success<ReturnType<typeof driverAt>>

/** Drivers around the market (within 3 km of the providers), made at once. */
export const driversNearMarket = (count: number) =>
  Effect.all(Array.from({ length: count }, (_, index) => driverAt(index % 2 === 0 ? places.market : places.prof)), { concurrency: 4 })

/** Drivers going offline over HTTP: this test's drivers are never found by the next test's dispatch. */
export const offline = (drivers: ReadonlyArray<Driver>) =>
  Effect.forEach(drivers, (driver) => Effect.map(ok(driver.api.drivers.status({ payload: { status: "offline" } })), () => made.delete(driver)), { concurrency: 4, discard: true })

/**
 * A test's body, after which every driver it made is offline, whether it passed or failed: a test
 * failing half-way must not leave drivers online for the next test's dispatch to find.
 */
export const cleanly = <A, E, R>(body: Effect.Effect<A, E, R>) =>
  Effect.ensuring(
    body,
    Effect.suspend(() => {
      const left = [...made]
      made.clear()
      return Effect.forEach(left, (driver) => rawCall("PUT", "/api/v1/drivers/me/status", driver.token, { status: "offline" }), { concurrency: 4, discard: true })
    }).pipe(Effect.catchCause(() => Effect.void))
  )

/** The `order.confirmed` event the order's confirmation wrote to the outbox, as the worker relays it. */
export const confirmedEventOf = (orderId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string; type: string; aggregateType: string; aggregateId: string; payload: unknown; occurredAt: Date | string }>`
      SELECT id, type, aggregate_type, aggregate_id, payload, occurred_at FROM events.outbox
      WHERE aggregate_type = 'order' AND aggregate_id = ${orderId} AND type = 'order.confirmed'`
    assert.lengthOf(rows, 1, `the order.confirmed event of ${orderId}`)
    const row = rows[0]!
    const payload = typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload
    return {
      id: row.id,
      type: row.type,
      aggregateType: row.aggregateType,
      aggregateId: row.aggregateId,
      payload,
      occurredAt: new Date(row.occurredAt).toISOString()
    } as unknown as EventOf<"order.confirmed">
  })

/** The delivery of an order, as stored. */
export const deliveryRowOf = (orderId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<DeliveryRow>`SELECT * FROM deliveries.deliveries WHERE order_id = ${orderId}`
    assert.lengthOf(rows, 1, `the delivery of ${orderId}`)
    return rows[0]!
  })

export interface DeliveryRow {
  readonly id: string
  readonly status: string
  readonly driverId: string | null
  readonly wrongCodeAttempts: number
  readonly [column: string]: unknown
}

/** A delivery as stored, every column (to compare before and after a refused call). */
export const deliveryRow = (deliveryId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<DeliveryRow>`SELECT * FROM deliveries.deliveries WHERE id = ${deliveryId}`
    assert.lengthOf(rows, 1, `delivery ${deliveryId}`)
    return rows[0]!
  })

export interface OfferRow {
  readonly id: string
  readonly deliveryId: string
  readonly driverId: string
  readonly batch: number
  readonly status: string
  readonly rejectReason: string | null
  readonly answeredAt: Date | null
}

/** A delivery's offers as stored, oldest first. */
export const offerRows = (deliveryId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* sql<OfferRow>`
      SELECT id, delivery_id, driver_id, batch, status, reject_reason, answered_at FROM deliveries.offers
      WHERE delivery_id = ${deliveryId} ORDER BY created_at, id`
  })

/**
 * The provider confirms the order over HTTP (10 minutes of preparation: the offers are due at
 * once), then dispatch opens its delivery from the event, as the worker would. Returns what
 * dispatch did, the delivery's id and its offers.
 */
export const confirmAndDispatch = (shop: Restaurant, orderId: string, preparationMinutes = 10) =>
  Effect.gen(function*() {
    const confirmed = yield* ok(shop.owner.api.orders.confirm({ params: { orderId }, payload: { preparationMinutes } }))
    assert.strictEqual(confirmed.status, "confirmed")
    const outcome = yield* (yield* Dispatch).open(yield* confirmedEventOf(orderId))
    const delivery = yield* deliveryRowOf(orderId)
    return { outcome, deliveryId: delivery.id, offers: yield* offerRows(delivery.id) }
  })

/** The provider marks the order preparing, then ready, over HTTP. */
export const readyOver = (shop: Restaurant, orderId: string) =>
  Effect.gen(function*() {
    assert.strictEqual((yield* ok(shop.owner.api.orders.preparing({ params: { orderId } }))).status, "preparing")
    assert.strictEqual((yield* ok(shop.owner.api.orders.ready({ params: { orderId } }))).status, "ready")
  })

/** A raw call with a token (or none): for the tests whose point is the raw JSON or a request the typed client would never send. */
export const rawCall = (method: string, path: string, token?: string, body?: unknown) =>
  Effect.gen(function*() {
    const bed = yield* Bed
    return yield* call(bed.api.url, method, path, { ...(token === undefined ? {} : { token }), ...(body === undefined ? {} : { body }) })
  })

/** A problem+json answer with this status and code and a French message. */
export const expectProblemOf = (response: ApiResponse, status: number, code: string, context = "") => {
  const where = `${context} → ${response.status} ${JSON.stringify(response.body)}`
  assert.strictEqual(response.status, status, where)
  assert.strictEqual(response.headers.get("content-type"), "application/problem+json", where)
  assert.strictEqual(response.body?.code, code, where)
  assert.isString(response.body?.message, where)
  assert.isNotEmpty(response.body?.message, where)
}

/** Every leaf value of a JSON document (strings and numbers), with its path. */
export const leavesOf = (value: unknown, path: ReadonlyArray<string> = []): ReadonlyArray<{ readonly path: string; readonly value: unknown }> => {
  if (Array.isArray(value)) return value.flatMap((item, index) => leavesOf(item, [...path, String(index)]))
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([key, item]) => leavesOf(item, [...path, key]))
  return [{ path: path.join("."), value }]
}

/** Every key of a JSON document, however deep. */
export const keysOf = (value: unknown): ReadonlyArray<string> => {
  if (Array.isArray(value)) return value.flatMap(keysOf)
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([key, item]) => [key, ...keysOf(item)])
  return []
}

/** The raw JSON of a view holds neither a `deliveryCode` member nor the code itself as a value. */
export const assertNoCodeIn = (body: unknown, code: string, where: string) => {
  const text = JSON.stringify(body)
  assert.notInclude(text, "deliveryCode", `${where}: ${text}`)
  assert.notInclude(keysOf(body).map((key) => key.toLowerCase()), "code", `${where}: ${text}`)
  // Strings only: a number such as a fee or a count may equal the code's digits by chance.
  const leaked = leavesOf(body).filter((leaf) => leaf.value === code)
  assert.deepStrictEqual(leaked, [], `${where}: the code ${code} as a value in ${text}`)
}
