// What the dispatch benchmarks (bench/dispatchLatency.ts, bench/dispatchHour.ts) share: the
// orders' fixtures (bench/orderFixtures.ts: 200 restaurants, 1,000 customers with wallets and PINs)
// pointed at the deliveries' own database and Redis prefix (bench/deliveryFixtures.ts), the
// clean-up of what an interrupted run left, the checks of the end state, small statistics.
// Import it before anything that imports orderFixtures.ts: the database is chosen when that loads.
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { RedisClient } from "@nelo/adapters/redis/RedisClient"
import { Dispatch } from "@nelo/domain/deliveries/Dispatch"
import { DispatchTimers } from "@nelo/domain/deliveries/DispatchTimers"
import type { PlaceOrderInput } from "@nelo/domain/orders/placeOrder"

// Sessions that outlive a long run (the default access token lives 15 minutes); read by both
// fixtures' configs, so set before they load.
process.env["ACCESS_TOKEN_TTL_MS"] ??= String(3 * 3_600_000)
export const deliveries = await import("./deliveryFixtures.ts")
process.env["BENCH_ORDERS_DATABASE"] = deliveries.deliveriesDatabaseName
process.env["BENCH_ORDERS_REDIS_PREFIX"] = deliveries.deliveriesEnvironment["REDIS_KEY_PREFIX"]!
export const orders = await import("./orderFixtures.ts")
if (orders.ordersEnvironment["DATABASE_URL"] !== deliveries.deliveriesDatabaseUrl) throw new Error("bench/orderFixtures.ts was loaded before bench/dispatchWorld.ts: it points at another database")

const say = (line: string) => process.stdout.write(`  dispatch: ${line}\n`)

/**
 * The n-th order of a run: customers in turn, restaurants spread over all 200; one dish with its
 * size and side, paid by wallet with the PIN (the orders' own use case, or POST /orders).
 */
export const orderInput = (world: Awaited<ReturnType<typeof orders.ordersWorld>>, n: number, idempotencyKey: string) => {
  const customer = world.customers[n % world.customers.length]!
  const provider = world.providers[(n * 7 + Math.floor(n / world.customers.length)) % world.providers.length]!
  const dish = provider.products[n % 10]!
  const options = [dish.options["Taille"]![n % 2 === 0 ? "Normal" : "Grand"]!.id, dish.options["Accompagnement"]![["Attiéké", "Alloco", "Riz"][n % 3]!]!.id]
  const input: PlaceOrderInput = {
    providerId: provider.id,
    addressId: customer.addressId,
    items: [{ productId: dish.id, quantity: 1, options }],
    promoCode: null,
    paymentMethod: "wallet",
    note: null,
    pin: orders.benchPin,
    idempotencyKey
  }
  return { customer, provider, input }
}

/**
 * What an interrupted run left is settled before a run, so that none of it is dispatched during
 * the next: unfinished orders cancelled by an admin (the orders' use case: refunded), their
 * deliveries called off as the worker does on `order.cancelled` (Dispatch.cancelForOrder: open
 * offers withdrawn), the outbox's pending events marked relayed (their effects were just settled
 * here; notices would go to the console), and the Redis keys under the run's prefix removed
 * (positions, BullMQ's queues and delayed wake-ups): every run starts from the same state.
 */
export const settleLeftovers = async () => {
  const unfinished = await deliveries.withDeliveries(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const openOrders = yield* sql<{ id: string }>`SELECT id FROM orders.orders WHERE status NOT IN ('delivered', 'cancelled', 'failed')`
    return openOrders.map((row) => row.id)
  }))
  if (unfinished.length > 0) {
    const cancelled = await orders.cancelOrdersAsAdmin(unfinished, "Banc d'essai : reste d'une exécution interrompue.")
    say(`${unfinished.length} unfinished orders of an earlier run: ${cancelled.filter(Boolean).length} cancelled by an admin (refunded)`)
  }
  const settled = await deliveries.withDeliveries(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const dispatch = yield* Dispatch
    const open = yield* sql<{ orderId: string }>`SELECT order_id FROM deliveries.deliveries WHERE status NOT IN ('delivered', 'cancelled', 'failed')`
    yield* Effect.forEach(open, (row) => dispatch.cancelForOrder(row.orderId), { concurrency: 4, discard: true })
    const [relayed] = yield* sql<{ count: number }>`
      WITH marked AS (UPDATE events.outbox SET relayed_at = now() WHERE relayed_at IS NULL RETURNING 1) SELECT count(*)::int AS count FROM marked`
    return { deliveries: open.length, events: relayed?.count ?? 0 }
  }))
  if (settled.deliveries > 0) say(`${settled.deliveries} deliveries of an earlier run called off`)
  if (settled.events > 0) say(`${settled.events} events no worker relayed (an earlier run's, or this one's without a worker) marked relayed`)
  const removed = await resetRedis()
  if (removed > 0) say(`${removed} Redis keys under ${deliveries.deliveriesEnvironment["REDIS_KEY_PREFIX"]}: removed`)
}

/** Removes every Redis key under the dispatch benchmarks' prefix; how many. */
export const resetRedis = () =>
  deliveries.withDeliveries(Effect.gen(function*() {
    const { use, keyPrefix } = yield* RedisClient
    return yield* use(async (redis) => {
      let removed = 0
      let cursor = "0"
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${keyPrefix}:*`, "COUNT", 1_000)
        cursor = next
        if (keys.length > 0) removed += await redis.unlink(...keys)
      } while (cursor !== "0")
      return removed
    })
  }))

/** How many of the outbox's events are not relayed yet. */
export const pendingEvents = () =>
  deliveries.withDeliveries(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const [row] = yield* sql<{ count: number }>`SELECT count(*)::int AS count FROM events.outbox WHERE relayed_at IS NULL`
    return row?.count ?? 0
  }))

/** Deliveries of these orders by status. */
export const deliveryStatuses = (orderIds: ReadonlyArray<string>) =>
  deliveries.withDeliveries(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ status: string; count: number }>`
      SELECT status, count(*)::int AS count FROM deliveries.deliveries WHERE order_id = ANY(${orderIds}::uuid[]) GROUP BY status ORDER BY status`
    return Object.fromEntries(rows.map((row) => [row.status, row.count])) as Record<string, number>
  }))

/**
 * The end state of a run's orders, checked from the database:
 *   - every confirmed order has a delivery, and every delivery is settled (delivered, failed,
 *     cancelled), held by a driver (assigned, picked up, delivering) or, still dispatching
 *     (searching, unassigned), waiting for a wake-up BullMQ holds for it: none forgotten;
 *   - no delivery ever had two accepted offers (accepted, or accepted then released);
 *   - no driver held two deliveries at once (from acceptance to its end, the intervals of a
 *     driver's deliveries never overlap);
 *   - each delivery's status agrees with its order's.
 */
export const checkEndState = (orderIds: ReadonlyArray<string>) =>
  deliveries.withDeliveries(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const timers = yield* DispatchTimers
    const rows = yield* sql<{ orderId: string; orderStatus: string; deliveryId: string | null; status: string | null; confirmed: boolean }>`
      SELECT o.id AS order_id, o.status AS order_status, d.id AS delivery_id, d.status,
        EXISTS (SELECT 1 FROM orders.changes c WHERE c.order_id = o.id AND c.to_status = 'confirmed') AS confirmed
      FROM orders.orders o LEFT JOIN deliveries.deliveries d ON d.order_id = o.id
      WHERE o.id = ANY(${orderIds}::uuid[])`
    const withoutDelivery = rows.filter((row) => row.confirmed && row.deliveryId === null).map((row) => row.orderId)
    const dispatching = rows.filter((row) => row.status === "searching" || row.status === "unassigned")
    const forgotten: Array<string> = []
    for (const row of dispatching) {
      const pending = yield* timers.pendingFor(row.deliveryId!)
      if (pending.length === 0) forgotten.push(row.deliveryId!)
    }
    // Delivery status → the order statuses it may stand with.
    const agreeing: Record<string, ReadonlyArray<string>> = {
      searching: ["confirmed", "preparing", "ready"],
      unassigned: ["confirmed", "preparing", "ready"],
      assigned: ["confirmed", "preparing", "ready"],
      picked_up: ["picked_up"],
      delivering: ["delivering"],
      delivered: ["delivered"],
      failed: ["failed"],
      cancelled: ["cancelled"]
    }
    const disagreeing = rows.filter((row) => row.status !== null && !(agreeing[row.status] ?? []).includes(row.orderStatus)).map((row) => `${row.deliveryId} ${row.status} / order ${row.orderStatus}`)
    const twiceAccepted = yield* sql<{ deliveryId: string; count: number }>`
      SELECT f.delivery_id, count(*)::int AS count FROM deliveries.offers f JOIN deliveries.deliveries d ON d.id = f.delivery_id
      WHERE d.order_id = ANY(${orderIds}::uuid[]) AND f.status IN ('accepted', 'released')
      GROUP BY f.delivery_id HAVING count(*) > 1`
    // A driver's deliveries from acceptance to their end (delivered, or the last update of a failed or
    // cancelled one; still running: now), each compared with the one he accepted next.
    const overlapping = yield* sql<{ driverId: string; first: string; second: string }>`
      WITH held AS (
        SELECT driver_id, id, assigned_at,
          CASE WHEN status = 'delivered' THEN delivered_at WHEN status IN ('failed', 'cancelled') THEN updated_at ELSE 'infinity'::timestamptz END AS ended_at
        FROM deliveries.deliveries WHERE driver_id IS NOT NULL AND assigned_at IS NOT NULL
      ), ordered AS (
        SELECT driver_id, id, ended_at, lead(id) OVER w AS next_id, lead(assigned_at) OVER w AS next_assigned_at
        FROM held WINDOW w AS (PARTITION BY driver_id ORDER BY assigned_at)
      )
      SELECT driver_id, id AS first, next_id AS second FROM ordered WHERE next_assigned_at IS NOT NULL AND next_assigned_at < ended_at`
    const statuses: Record<string, number> = {}
    for (const row of rows) statuses[row.status ?? `no delivery (order ${row.orderStatus})`] = (statuses[row.status ?? `no delivery (order ${row.orderStatus})`] ?? 0) + 1
    return {
      statuses,
      withoutDelivery,
      forgotten,
      stillDispatching: dispatching.length,
      disagreeing,
      twiceAccepted: twiceAccepted.map((row) => `${row.deliveryId} (${row.count})`),
      overlapping: overlapping.map((row) => `${row.driverId}: ${row.first} then ${row.second}`)
    }
  }))

/** `nelo-admin wallet audit` on the bench database: its exit code and what it printed. */
export const auditWallet = () => deliveries.runDeliveriesCli("wallet", "audit")

/** Percentile by nearest rank of values (any order). */
export const percentile = (values: ReadonlyArray<number>, percent: number) => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((left, right) => left - right)
  return sorted[Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1)]!
}

/** "p50 12.3 / p95 20.1 / p99 30.2 / max 41.0 ms (n = 300)". */
export const distribution = (values: ReadonlyArray<number>, unit = "ms") =>
  values.length === 0
    ? "no values"
    : `p50 ${percentile(values, 50).toFixed(1)} / p95 ${percentile(values, 95).toFixed(1)} / p99 ${percentile(values, 99).toFixed(1)} / max ${Math.max(...values).toFixed(1)} ${unit} (n = ${values.length})`

export const summaryOf = (values: ReadonlyArray<number>) =>
  values.length === 0
    ? null
    : { count: values.length, p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), max: Math.max(...values), mean: values.reduce((sum, value) => sum + value, 0) / values.length }
