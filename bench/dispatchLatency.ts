// Dispatch latency (issue 12): how long from an order's confirmation being relayed to its first
// offers written, with 1,000 drivers online around Tiassalé.
//   node bench/dispatchLatency.ts [--mode worker|inprocess] [--drivers 1000] [--orders 300] [--rate 5]
//     [--offerTimeoutMs 300000] [--refreshSeconds 30] [--waitSeconds 60]
// (npm run bench:dispatch -- ...). No baseline: the figures stand on their own (aim: p99 < 50 ms).
//
// How it runs (data: bench/deliveryFixtures.ts and bench/orderFixtures.ts in the database
// nelo_bench_deliveries, Redis prefix nelo-bench-deliveries; see bench/dispatchWorld.ts):
//   1. what an interrupted run left is settled, the Redis prefix emptied;
//   2. `drivers` dispatch drivers (registered, KYC approved) get a position at home, spread over
//      the town box (the API's own LivePositions adapter: GEO set + hash), and go online by the
//      drivers' use case; their positions are sent again every `refreshSeconds` during the run
//      (a phone's points: positions older than 2 minutes are not offered work);
//   3. `orders` wallet orders are placed with the orders' use case (pending: one dish each, 1,000
//      customers, 200 restaurants);
//   4. mode `worker` (default): the real worker process starts (apps/worker/src/main.ts, the
//      bench's database and prefix, offers open `offerTimeoutMs`: by default 5 minutes, the most the
//      config accepts, so every measured dispatch is an order's first batch with every driver still
//      online; 30000 gives the product's cascade of time-outs meanwhile); once its relay has caught
//      up with the placed orders' events, the restaurants' owners confirm the orders at `rate` a
//      second (the orders' use case, 10 minutes of preparation: offers due at once). Measured per
//      order: from its `order.confirmed` event's `relayed_at` (the relay's claim: the event goes to
//      the dispatch queue) to the worker's "dispatch opened" log line (Dispatch.open returned: the
//      delivery created, the offers and the delivery's progress committed with their notices, the
//      wake-up scheduled in BullMQ). Also shown: confirmation committed → relayed (the relay's poll,
//      200 ms by default), and the two together;
//      mode `inprocess`: no worker; after each confirmation this process reads the order.confirmed
//      event from the outbox and calls Dispatch.open on the real adapters (DeliveriesLive: Postgres,
//      Redis, BullMQ): measured from the call to its return;
//   5. the run's orders are cancelled by an admin (refunded); the worker calls their deliveries off
//      (offers withdrawn), every driver goes offline.
// Results go to bench/results/dispatch-latency-*.json.
import { mkdirSync, writeFileSync } from "node:fs"
import { cpus } from "node:os"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { setTimeout as sleep } from "node:timers/promises"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { Dispatch } from "@nelo/domain/deliveries/Dispatch"
import type { EventOf } from "@nelo/domain/events/DomainEvent"
import { checkEndState, deliveries, deliveryStatuses, distribution, orderInput, orders, pendingEvents, settleLeftovers, summaryOf } from "./dispatchWorld.ts"
import { readCpuMs, sampleMachine } from "./serverProcess.ts"
import { startWorker, type WorkerProcess } from "./workerProcess.ts"

const { values: options } = parseArgs({
  options: {
    mode: { type: "string", default: "worker" },
    drivers: { type: "string", default: "1000" },
    orders: { type: "string", default: "300" },
    rate: { type: "string", default: "5" },
    offerTimeoutMs: { type: "string", default: "300000" },
    refreshSeconds: { type: "string", default: "30" },
    waitSeconds: { type: "string", default: "60" }
  }
})
const integer = (name: string, text: string, minimum: number, maximum: number) => {
  const value = Number(text)
  if (!Number.isInteger(value) || value < minimum || value > maximum) throw new Error(`--${name} must be an integer from ${minimum} to ${maximum}, not "${text}"`)
  return value
}
const mode = options.mode === "worker" || options.mode === "inprocess" ? options.mode : (() => {
  throw new Error(`--mode must be worker or inprocess, not "${options.mode}"`)
})()
const driverCount = integer("drivers", options.drivers, 1, 5_000)
const orderCount = integer("orders", options.orders, 1, 5_000)
const rate = integer("rate", options.rate, 1, 200)
const offerTimeoutMs = integer("offerTimeoutMs", options.offerTimeoutMs, 5_000, 300_000)
const refreshSeconds = integer("refreshSeconds", options.refreshSeconds, 5, 110)
const waitSeconds = integer("waitSeconds", options.waitSeconds, 5, 600)

const resultsDirectory = fileURLToPath(new URL("./results/", import.meta.url))
const say = (line: string) => process.stdout.write(`${line}\n`)
const round1 = (value: number) => Math.round(value * 10) / 10

const environment = { ...deliveries.deliveriesEnvironment, DISPATCH_OFFER_TIMEOUT_MS: String(offerTimeoutMs), LOG_LEVEL: "info" }

let worker: WorkerProcess | undefined
const stopAll = async () => {
  await worker?.stop()
  await Promise.allSettled([deliveries.closeDeliveriesFixtures(), orders.closeOrdersFixtures()])
}
process.once("SIGINT", () => void stopAll().then(() => process.exit(130)))
// The whole run is bounded.
const deadlineMs = (900 + orderCount / rate + waitSeconds * 2) * 1_000
setTimeout(() => {
  process.stderr.write(`dispatch-latency: still running after ${deadlineMs / 1_000} s, giving up\n`)
  void stopAll().then(() => process.exit(1))
}, deadlineMs).unref()

/** The order.confirmed event of an order as the relay reads it from the outbox. */
const confirmedEvent = (orderId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const [row] = yield* sql<{ id: string; type: string; aggregateType: string; aggregateId: string; payload: unknown; occurredAt: Date }>`
      SELECT id, type, aggregate_type, aggregate_id, payload, occurred_at FROM events.outbox
      WHERE aggregate_type = 'order' AND aggregate_id = ${orderId} AND type = 'order.confirmed'`
    if (row === undefined) return yield* Effect.die(new Error(`no order.confirmed event for ${orderId}`))
    return { id: row.id, type: row.type, aggregateType: row.aggregateType, aggregateId: row.aggregateId, payload: row.payload, occurredAt: row.occurredAt.toISOString() } as unknown as EventOf<"order.confirmed">
  })

/** Per order: its order.confirmed event's times, its delivery's offers. */
const timesOf = (orderIds: ReadonlyArray<string>) =>
  deliveries.withDeliveries(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* sql<{ orderId: string; occurredAt: Date; relayedAt: Date | null; deliveryStatus: string | null; offers: number; firstOfferAt: Date | null }>`
      SELECT e.aggregate_id AS order_id, e.occurred_at, e.relayed_at, d.status AS delivery_status,
        (SELECT count(*)::int FROM deliveries.offers f WHERE f.delivery_id = d.id AND f.batch = 1) AS offers,
        (SELECT min(f.created_at) FROM deliveries.offers f WHERE f.delivery_id = d.id) AS first_offer_at
      FROM events.outbox e LEFT JOIN deliveries.deliveries d ON d.order_id = e.aggregate_id::uuid
      WHERE e.type = 'order.confirmed' AND e.aggregate_id = ANY(${orderIds})`
  }))

// Logged at every layer built with the payments context (the worker's several): no gateway configured here, on purpose.
const gatewayWarning = "no payment gateway configured: wallet top-ups are refused"
const main = async () => {
  const started = new Date()
  say(`dispatch latency, mode ${mode}: ${driverCount} drivers online, ${orderCount} orders confirmed at ${rate}/s, offers open ${offerTimeoutMs / 1_000} s`)
  const world = await orders.ordersWorld()
  const drivers = await deliveries.ensureDrivers("dispatch", driverCount)
  await settleLeftovers()
  await deliveries.setAllOffline("dispatch")
  const placed = drivers.map((driver) => ({ id: driver.id, at: driver.home }))
  await deliveries.placeDrivers(placed, "online")
  say(`  ${drivers.length} drivers online at home (town box), positions refreshed every ${refreshSeconds} s`)
  let refreshing: Promise<void> | undefined
  const refresher = setInterval(() => {
    refreshing ??= deliveries.refreshPositions(placed).finally(() => {
      refreshing = undefined
    })
  }, refreshSeconds * 1_000)

  const runId = started.toISOString().replace(/[^0-9]/gu, "").slice(0, 14)
  const inputs = Array.from({ length: orderCount }, (_, n) => orderInput(world, n, `bench-dispatch-${runId}-${String(n).padStart(5, "0")}`))
  const placedOrders = await orders.placeOrders(inputs.map(({ customer, input }) => ({ customerId: customer.id, input })))
  const orderIds = placedOrders.map((order) => order.id)
  const ownerOf = new Map(world.providers.map((provider) => [provider.id, provider.ownerId]))
  say(`  ${placedOrders.length} orders placed (pending)`)

  const opened = new Map<string, { atMs: number; outcome: string }>()
  if (mode === "worker") {
    worker = await startWorker(environment, {
      onLine: (line) => {
        if (line.message === "dispatch opened" && typeof line["orderId"] === "string" && typeof line.time === "string") {
          opened.set(line["orderId"], { atMs: Date.parse(line.time), outcome: String(line["outcome"]) })
        }
      }
    })
    // The placed orders' events relayed (their deadlines scheduled) before the first confirmation.
    for (let waited = 0; (await pendingEvents()) > 0 && waited < 30_000; waited += 200) await sleep(200)
    await sleep(1_000)
    say(`  worker ${worker.pid} started, its relay caught up`)
  }

  const callMs = new Map<string, number>()
  const dispatch = mode === "inprocess" ? await deliveries.withDeliveries(Effect.gen(function*() {
    return yield* Dispatch
  })) : undefined
  const workerCpuBefore = worker === undefined ? 0 : readCpuMs(worker.pid) ?? 0
  const machine = sampleMachine()
  const phaseStarted = performance.now()
  const pending: Array<Promise<void>> = []
  let failures = 0
  for (const [n, order] of placedOrders.entries()) {
    const dueMs = phaseStarted + (n * 1_000) / rate
    const waitMs = dueMs - performance.now()
    if (waitMs > 0) await sleep(waitMs)
    pending.push((async () => {
      await orders.advanceOrders([{ ownerId: ownerOf.get(order.providerId)!, orderId: order.id, to: "confirmed" }], 10)
      if (dispatch === undefined) return
      const event = await deliveries.withDeliveries(confirmedEvent(order.id))
      const callStarted = performance.now()
      const outcome = await deliveries.withDeliveries(dispatch.open(event))
      callMs.set(order.id, performance.now() - callStarted)
      opened.set(order.id, { atMs: Date.now(), outcome })
    })().catch((error: unknown) => {
      failures += 1
      process.stderr.write(`  order ${order.id}: ${error instanceof Error ? error.message : String(error)}\n`)
    }))
  }
  await Promise.all(pending)
  const confirmSeconds = (performance.now() - phaseStarted) / 1_000
  for (let waited = 0; opened.size < orderCount - failures && waited < waitSeconds * 1_000; waited += 200) await sleep(200)
  const host = machine.stop()
  const workerCpuMs = worker === undefined ? 0 : (readCpuMs(worker.pid) ?? workerCpuBefore) - workerCpuBefore
  const phaseSeconds = (performance.now() - phaseStarted) / 1_000
  clearInterval(refresher)
  await refreshing

  const rows = await timesOf(orderIds)
  const relayToOpened: Array<number> = []
  const confirmedToRelayed: Array<number> = []
  const confirmedToOpened: Array<number> = []
  const offersPerOrder: Record<string, number> = {}
  for (const row of rows) {
    offersPerOrder[String(row.offers)] = (offersPerOrder[String(row.offers)] ?? 0) + 1
    const done = opened.get(row.orderId)
    if (row.relayedAt !== null) confirmedToRelayed.push(row.relayedAt.getTime() - row.occurredAt.getTime())
    if (done === undefined) continue
    confirmedToOpened.push(done.atMs - row.occurredAt.getTime())
    if (row.relayedAt !== null) relayToOpened.push(done.atMs - row.relayedAt.getTime())
  }
  const outcomes: Record<string, number> = {}
  for (const { outcome } of opened.values()) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1
  const measured = mode === "worker" ? relayToOpened : [...callMs.values()]

  say("")
  say(`confirmations: ${orderCount - failures} in ${confirmSeconds.toFixed(1)} s (${failures} failed); dispatch opened for ${opened.size}: ${JSON.stringify(outcomes)}; first-batch offers per order: ${JSON.stringify(offersPerOrder)}`)
  if (mode === "worker") {
    say(`relayed → dispatch opened (the measure):  ${distribution(relayToOpened)}`)
    say(`confirmed → relayed (the relay's poll):    ${distribution(confirmedToRelayed)}`)
    say(`confirmed → dispatch opened:              ${distribution(confirmedToOpened)}`)
    say(`worker CPU: ${round1(workerCpuMs / Math.max(1, opened.size))} ms per order opened (${round1((workerCpuMs / (phaseSeconds * 1_000)) * 100)} % of a core over the ${phaseSeconds.toFixed(1)} s phase)`)
    const problems = worker!.problems()
    const unexplained = problems.find((line) => line.message !== gatewayWarning && line.message !== "push notification reached no device")
    if (problems.length > 0) say(`worker warnings/errors by message: ${JSON.stringify(worker!.problemCounts())}${unexplained === undefined ? "" : `; first other: ${JSON.stringify(unexplained).slice(0, 400)}`}`)
  } else {
    say(`Dispatch.open, call → return (the measure): ${distribution(measured)}`)
  }
  const percentOf = (ms: number) => round1((ms / (phaseSeconds * 1_000)) * 100)
  say(`host over the phase (100 = one core): ${percentOf(host.machineMs)} % busy; postgres ${percentOf(host.postgresMs)}, redis ${percentOf(host.redisMs)}, this process ${percentOf(host.loadGeneratorMs)}`)
  const p99 = summaryOf(measured)?.p99 ?? Number.NaN
  say(`aim p99 < 50 ms: ${p99 < 50 ? "met" : "NOT met"} (p99 ${p99.toFixed(1)} ms)`)

  // Clean-up: the run's orders cancelled by an admin; their deliveries called off (the worker's
  // dispatch consumer on order.cancelled, or here in-process).
  await orders.cancelOrdersAsAdmin(orderIds, "Banc d'essai de la répartition : fin de l'exécution.")
  if (dispatch !== undefined) {
    // No worker: what its dispatch consumer does on order.cancelled, here.
    await deliveries.withDeliveries(Effect.forEach(orderIds, (orderId) => dispatch.cancelForOrder(orderId), { concurrency: 4, discard: true }))
  } else {
    for (let waited = 0; waited < 60_000; waited += 500) {
      const statuses = await deliveryStatuses(orderIds)
      if ((statuses["searching"] ?? 0) + (statuses["unassigned"] ?? 0) === 0) break
      await sleep(500)
    }
  }
  const endState = await checkEndState(orderIds)
  await worker?.stop()
  worker = undefined
  await settleLeftovers()
  await deliveries.setAllOffline("dispatch")
  say(`end: deliveries ${JSON.stringify(endState.statuses)}; two accepted offers: ${endState.twiceAccepted.length}, overlapping deliveries of a driver: ${endState.overlapping.length}`)

  const report = {
    benchmark: "dispatch-latency",
    mode,
    boundary: mode === "worker"
      ? "outbox relayed_at of order.confirmed (relay claim) → worker log 'dispatch opened' (Dispatch.open returned: delivery, offers, progress and notices committed, wake-up scheduled)"
      : "Dispatch.open called in-process on DeliveriesLive → returned",
    startedAt: started.toISOString(),
    settings: { driverCount, orderCount, rate, offerTimeoutMs, refreshSeconds, waitSeconds },
    environment: { node: process.version, cpuCount: cpus().length, cpuModel: cpus()[0]?.model ?? "unknown" },
    failures,
    outcomes,
    offersPerOrder,
    measureMs: summaryOf(measured),
    confirmedToRelayedMs: summaryOf(confirmedToRelayed),
    confirmedToOpenedMs: summaryOf(confirmedToOpened),
    workerCpuMsPerOrder: worker === undefined && mode === "inprocess" ? null : round1(workerCpuMs / Math.max(1, opened.size)),
    host: { phaseSeconds: round1(phaseSeconds), busyPercent: percentOf(host.machineMs), postgresPercent: percentOf(host.postgresMs), redisPercent: percentOf(host.redisMs), benchProcessPercent: percentOf(host.loadGeneratorMs) },
    endState
  }
  mkdirSync(resultsDirectory, { recursive: true })
  const file = `${resultsDirectory}dispatch-latency-${started.toISOString().slice(0, 19).replaceAll(":", "-")}Z.json`
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  say(`results: ${file}`)
  if (failures > 0 || opened.size < orderCount) process.exitCode = 2
}

await main().catch(async (error: unknown) => {
  process.stderr.write(`dispatch-latency: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exitCode = 1
})
await stopAll()
process.exit(process.exitCode ?? 0)
