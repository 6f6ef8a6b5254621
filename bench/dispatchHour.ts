// An hour of deliveries, compressed (issue 12): the real API and worker processes, drivers and
// restaurants and customers acting over HTTP as their apps do, then the end state checked.
//   node bench/dispatchHour.ts [--drivers 200] [--orders 500] [--minutes 6] [--offerTimeoutMs 5000]
//     [--accept 60] [--reject 20] [--pointEverySeconds 10] [--pollSeconds 2] [--prepSeconds 30]
//     [--toPickupSeconds 15] [--rideSeconds 30] [--drainSeconds 240] [--seed 12]
// (npm run bench:dispatch-hour -- ...). No baseline: counts and invariants.
//
// The hour: `orders` orders spread over `minutes` real minutes (60 simulated minutes: by default 10
// times faster), and dispatch's clocks at their smallest (offers open `offerTimeoutMs`, 5 s; an
// unassigned delivery retried every 5 s and given up after 60 s: DISPATCH_OFFER_TIMEOUT_MS,
// DISPATCH_RETRY_INTERVAL_MS, DISPATCH_GIVE_UP_AFTER_MS, the smallest the config accepts).
// Data: bench/deliveryFixtures.ts and bench/orderFixtures.ts in nelo_bench_deliveries (see
// bench/dispatchWorld.ts); what an interrupted run left is settled first.
//   - drivers: `drivers` of the dispatch set, each a loop: a point every `pointEverySeconds` (PUT
//     /drivers/me/location, moving a little), online first (PUT /drivers/me/status); while free he
//     polls his offers every `pollSeconds` (GET /drivers/offers) and answers each new one: accept
//     (`accept` %), reject (`reject` %), or let it time out (the rest); accepted: rides to the
//     restaurant (`toPickupSeconds`), picks up (POST /deliveries/{id}/pickup, again every 2 s while
//     the order is not ready), leaves (start), rides (`rideSeconds`), asks the customer for the code
//     (the customer's app: GET /orders/{id}, its deliveryCode) and completes with it. Set offline by
//     the worker (offers left to time out in a row), he goes online again at his next check (every 20 s);
//   - customers: each order placed over HTTP (POST /orders, wallet, PIN), customers in turn,
//     restaurants spread over the 200; arrivals at random around a steady rate;
//   - restaurants: the owner confirms a second later (POST /orders/{id}/confirm, 10 minutes of
//     preparation: dispatch at once), starts preparing, and marks it ready `prepSeconds` later.
// Every answer is checked (status, and the fields the next step needs); an unexpected answer (any
// 5xx, a 4xx that the step does not explain) is counted and makes the run invalid. Expected refusals
// are counted apart: 409 offer_closed (another driver accepted first, or it expired), a pickup
// before the order is ready.
// After the last order, up to `drainSeconds` for the deliveries to settle; then, from the database
// (bench/dispatchWorld.ts checkEndState): every confirmed order has a delivery, none left
// dispatching without a wake-up, no delivery with two accepted offers, no driver with two
// deliveries at once, each delivery's status agreeing with its order's; and `nelo-admin wallet
// audit` clean. Results go to bench/results/dispatch-hour-*.json (the worker's log beside them).
import { mkdirSync, writeFileSync } from "node:fs"
import { cpus } from "node:os"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { setTimeout as sleep } from "node:timers/promises"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { mulberry32 } from "@nelo/adapters/seeds/demoCatalogue"
import type { GeoPoint } from "@nelo/domain/geo/GeoPoint"
import { auditWallet, checkEndState, deliveries, deliveryStatuses, distribution, orderInput, orders, settleLeftovers, summaryOf } from "./dispatchWorld.ts"
import { readCpuMs, sampleMachine, type ServerProcess, startServer, stopServer } from "./serverProcess.ts"
import { startWorker, type WorkerProcess } from "./workerProcess.ts"

const { values: options } = parseArgs({
  options: {
    drivers: { type: "string", default: "200" },
    orders: { type: "string", default: "500" },
    minutes: { type: "string", default: "6" },
    offerTimeoutMs: { type: "string", default: "5000" },
    accept: { type: "string", default: "60" },
    reject: { type: "string", default: "20" },
    pointEverySeconds: { type: "string", default: "10" },
    pollSeconds: { type: "string", default: "2" },
    prepSeconds: { type: "string", default: "30" },
    toPickupSeconds: { type: "string", default: "15" },
    rideSeconds: { type: "string", default: "30" },
    drainSeconds: { type: "string", default: "240" },
    seed: { type: "string", default: "12" }
  }
})
const number = (name: string, text: string, minimum: number, maximum: number, whole = true) => {
  const value = Number(text)
  if (!Number.isFinite(value) || (whole && !Number.isInteger(value)) || value < minimum || value > maximum) throw new Error(`--${name} must be ${whole ? "an integer" : "a number"} from ${minimum} to ${maximum}, not "${text}"`)
  return value
}
const settings = {
  drivers: number("drivers", options.drivers, 1, 1_000),
  orders: number("orders", options.orders, 1, 5_000),
  minutes: number("minutes", options.minutes, 0.1, 120, false),
  offerTimeoutMs: number("offerTimeoutMs", options.offerTimeoutMs, 5_000, 300_000),
  acceptPercent: number("accept", options.accept, 0, 100),
  rejectPercent: number("reject", options.reject, 0, 100),
  pointEverySeconds: number("pointEverySeconds", options.pointEverySeconds, 1, 100, false),
  pollSeconds: number("pollSeconds", options.pollSeconds, 0.2, 30, false),
  prepSeconds: number("prepSeconds", options.prepSeconds, 0, 3_600, false),
  toPickupSeconds: number("toPickupSeconds", options.toPickupSeconds, 0, 3_600, false),
  rideSeconds: number("rideSeconds", options.rideSeconds, 0, 3_600, false),
  drainSeconds: number("drainSeconds", options.drainSeconds, 5, 3_600),
  seed: number("seed", options.seed, 0, 1_000_000)
}
if (settings.acceptPercent + settings.rejectPercent > 100) throw new Error("--accept plus --reject must be at most 100")

const environment = {
  ...deliveries.deliveriesEnvironment,
  DISPATCH_OFFER_TIMEOUT_MS: String(settings.offerTimeoutMs),
  DISPATCH_RETRY_INTERVAL_MS: "5000",
  DISPATCH_GIVE_UP_AFTER_MS: "60000",
  // As the fixtures' sessions (bench/dispatchWorld.ts): a long run outlives the default 15 minutes.
  ACCESS_TOKEN_TTL_MS: process.env["ACCESS_TOKEN_TTL_MS"]!,
  LOG_LEVEL: "info"
}

const apiMainFile = fileURLToPath(new URL("../apps/http/src/main.ts", import.meta.url))
const resultsDirectory = fileURLToPath(new URL("./results/", import.meta.url))
const say = (line: string) => process.stdout.write(`${line}\n`)
const round1 = (value: number) => Math.round(value * 10) / 10

// ---------------------------------------------------------------------------------------------
// HTTP as the apps speak it, and the tally of answers.

let apiUrl = ""
interface Answer {
  readonly status: number
  readonly body: string
  readonly json: Record<string, unknown> | undefined
}
const call = async (method: string, path: string, token: string, body?: unknown): Promise<Answer> => {
  try {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000)
    })
    const text = await response.text()
    let json: Record<string, unknown> | undefined
    try {
      json = JSON.parse(text) as Record<string, unknown>
    } catch {
      json = undefined
    }
    return { status: response.status, body: text, json }
  } catch (error) {
    return { status: 0, body: error instanceof Error ? error.message : String(error), json: undefined }
  }
}

/** Counts by name; `unexpected` keeps the first few for the report. */
const tally: Record<string, number> = {}
const count = (name: string, by = 1) => {
  tally[name] = (tally[name] ?? 0) + by
}
const unexpected: Array<string> = []
const wrong = (step: string, answer: Answer) => {
  count("unexpected answers")
  count(`unexpected: ${step} ${answer.status}`)
  if (unexpected.length < 20) unexpected.push(`${step}: ${answer.status} ${answer.body.slice(0, 200)}`)
}
const codeOf = (answer: Answer) => typeof answer.json?.["code"] === "string" ? answer.json["code"] : undefined

// ---------------------------------------------------------------------------------------------
// Orders: placed, confirmed, prepared; their customer (for the code) and timings.

interface RunOrder {
  readonly id: string
  readonly customerToken: string
  readonly confirmedAtMs: number
  assignedAtMs?: number
  deliveredAtMs?: number
}
const runOrders = new Map<string, RunOrder>()
const wins = new Map<string, string>()

let stopping = false
const until = async (ms: number) => {
  const end = Date.now() + ms
  while (!stopping && Date.now() < end) await sleep(Math.min(250, end - Date.now()))
}

// ---------------------------------------------------------------------------------------------
// A driver's app.

interface SimDriver {
  readonly id: string
  readonly token: string
  readonly home: GeoPoint
  steps: number
  busy: boolean
}

const decisionOf = (offerId: string): "accept" | "reject" | "ignore" => {
  // A stable draw per offer (its uuid's last 8 hex digits), so a poll seeing it again decides the same.
  const draw = (Number.parseInt(offerId.replace(/-/gu, "").slice(-8), 16) % 10_000) / 100
  return draw < settings.acceptPercent ? "accept" : draw < settings.acceptPercent + settings.rejectPercent ? "reject" : "ignore"
}

const sendPoint = async (driver: SimDriver) => {
  const step = driver.steps++
  const point = {
    lat: Math.round((driver.home.lat + ((step % 60) - 30) * 0.00003) * 1e6) / 1e6,
    lng: Math.round((driver.home.lng + ((step % 40) - 20) * 0.00003) * 1e6) / 1e6,
    accuracyM: 10,
    recordedAt: new Date().toISOString()
  }
  const answer = await call("PUT", "/api/v1/drivers/me/location", driver.token, point)
  count("location points sent")
  if (answer.status !== 200 || answer.json?.["kept"] !== 1) wrong("location", answer)
}

const pointsLoop = async (driver: SimDriver) => {
  // Phones are not in step: each starts at its own moment of the interval.
  await until(Math.random() * settings.pointEverySeconds * 1_000)
  while (!stopping) {
    await sendPoint(driver)
    await until(settings.pointEverySeconds * 1_000)
  }
}

const goOnline = async (driver: SimDriver) => {
  const answer = await call("PUT", "/api/v1/drivers/me/status", driver.token, { status: "online" })
  if (answer.status === 200 && answer.json?.["status"] === "online") return true
  // Stale position (the phone's last point was lost?): send one and try again at the next check.
  if (answer.status === 409 && codeOf(answer) === "cannot_go_online") {
    count("going online refused (cannot_go_online)")
    return false
  }
  wrong("go online", answer)
  return false
}

/** An accepted delivery, to the door. */
const deliver = async (driver: SimDriver, delivery: { id: string; orderId: string }) => {
  const order = runOrders.get(delivery.orderId)
  await until(settings.toPickupSeconds * 1_000)
  // At the restaurant: the order must be ready.
  for (;;) {
    if (stopping) return
    const answer = await call("POST", `/api/v1/deliveries/${delivery.id}/pickup`, driver.token)
    if (answer.status === 200 && answer.json?.["status"] === "picked_up") break
    // The order not ready yet (the orders' state machine refuses the pickup): wait at the counter.
    if (answer.status === 409 && codeOf(answer) === "order_transition_refused") {
      count("pickup refused: order not ready yet")
      await until(2_000)
      continue
    }
    if (answer.status === 404 || (answer.status === 409 && codeOf(answer) === "delivery_step_refused")) {
      count("pickup: the delivery was called off")
      return
    }
    wrong("pickup", answer)
    return
  }
  count("picked up")
  const started = await call("POST", `/api/v1/deliveries/${delivery.id}/start`, driver.token)
  if (started.status !== 200 || started.json?.["status"] !== "delivering") return wrong("start", started)
  await until(settings.rideSeconds * 1_000)
  if (stopping) return
  // At the door: the customer reads the code in his app.
  if (order === undefined) return wrong("code", { status: 0, body: `order ${delivery.orderId} not placed by this run`, json: undefined })
  const seen = await call("GET", `/api/v1/orders/${delivery.orderId}`, order.customerToken)
  const code = seen.json?.["deliveryCode"]
  if (seen.status !== 200 || typeof code !== "string") return wrong("customer's order", seen)
  const completed = await call("POST", `/api/v1/deliveries/${delivery.id}/complete`, driver.token, { code })
  if (completed.status !== 200 || completed.json?.["status"] !== "delivered") return wrong("complete", completed)
  order.deliveredAtMs = Date.now()
  count("delivered")
}

const offersLoop = async (driver: SimDriver) => {
  const decided = new Set<string>()
  let lastCheckMs = Date.now()
  await until(Math.random() * settings.pollSeconds * 1_000)
  while (!stopping) {
    if (Date.now() - lastCheckMs > 20_000) {
      lastCheckMs = Date.now()
      const me = await call("GET", "/api/v1/drivers/me", driver.token)
      if (me.status !== 200) wrong("me", me)
      else if (me.json?.["status"] === "offline") {
        count("found offline (offers left to time out): back online")
        await goOnline(driver)
      }
    }
    const answer = await call("GET", "/api/v1/drivers/offers", driver.token)
    count("offer polls")
    if (answer.status !== 200 || !Array.isArray(answer.json?.["offers"])) {
      wrong("offers", answer)
      await until(settings.pollSeconds * 1_000)
      continue
    }
    let taken: { id: string; orderId: string } | undefined
    for (const offer of answer.json["offers"] as ReadonlyArray<Record<string, unknown>>) {
      const offerId = offer["id"]
      if (typeof offerId !== "string" || typeof offer["deliveryId"] !== "string" || typeof offer["expiresAt"] !== "string") {
        wrong("offer shape", { status: 200, body: JSON.stringify(offer), json: offer })
        continue
      }
      if (decided.has(offerId)) continue
      decided.add(offerId)
      count("offers seen")
      const decision = decisionOf(offerId)
      if (decision === "ignore") {
        count("offers left to time out")
        continue
      }
      if (decision === "reject") {
        const rejected = await call("POST", `/api/v1/drivers/offers/${offerId}/reject`, driver.token, { reason: "Trop loin" })
        if (rejected.status === 200 && rejected.json?.["status"] === "rejected") count("offers rejected")
        else if (rejected.status === 409 && codeOf(rejected) === "offer_closed") count("reject too late (offer_closed)")
        else wrong("reject", rejected)
        continue
      }
      const accepted = await call("POST", `/api/v1/drivers/offers/${offerId}/accept`, driver.token)
      if (accepted.status === 200 && accepted.json?.["status"] === "assigned" && accepted.json["driverId"] === driver.id && typeof accepted.json["orderId"] === "string") {
        count("offers accepted")
        const deliveryId = String(accepted.json["id"])
        const orderId = accepted.json["orderId"]
        const winner = wins.get(deliveryId)
        if (winner !== undefined && winner !== driver.id) count("VIOLATION: a delivery won by two drivers")
        wins.set(deliveryId, driver.id)
        const order = runOrders.get(orderId)
        if (order !== undefined) order.assignedAtMs = Date.now()
        taken = { id: deliveryId, orderId }
        break
      }
      if (accepted.status === 409 && codeOf(accepted) === "offer_closed") count("accept too late (offer_closed)")
      else if (accepted.status === 409 && codeOf(accepted) === "driver_busy") count("VIOLATION: accept refused, driver busy")
      else wrong("accept", accepted)
    }
    if (taken !== undefined) {
      driver.busy = true
      await deliver(driver, taken)
      driver.busy = false
      continue
    }
    await until(settings.pollSeconds * 1_000)
  }
}

// ---------------------------------------------------------------------------------------------
// A customer's order and its restaurant.

const placeAndPrepare = async (n: number, world: Awaited<ReturnType<typeof orders.ordersWorld>>, customerTokens: ReadonlyMap<string, string>, ownerTokens: ReadonlyMap<string, string>, runId: string) => {
  const { customer, provider, input } = orderInput(world, n, `bench-hour-${runId}-${String(n).padStart(5, "0")}`)
  const customerToken = customerTokens.get(customer.id)!
  const placed = await call("POST", "/api/v1/orders", customerToken, {
    providerId: input.providerId,
    addressId: input.addressId,
    items: input.items,
    paymentMethod: "wallet",
    pin: input.pin,
    idempotencyKey: input.idempotencyKey
  })
  if (placed.status !== 201 || typeof placed.json?.["id"] !== "string") return wrong("place", placed)
  count("orders placed")
  const orderId = placed.json["id"]
  const ownerToken = ownerTokens.get(provider.ownerId)!
  await until(1_000)
  const confirmed = await call("POST", `/api/v1/orders/${orderId}/confirm`, ownerToken, { preparationMinutes: 10 })
  if (confirmed.status !== 200 || confirmed.json?.["status"] !== "confirmed") return wrong("confirm", confirmed)
  count("orders confirmed")
  runOrders.set(orderId, { id: orderId, customerToken, confirmedAtMs: Date.now() })
  const preparing = await call("POST", `/api/v1/orders/${orderId}/preparing`, ownerToken)
  if (preparing.status !== 200) return wrong("preparing", preparing)
  await until(settings.prepSeconds * 1_000)
  if (stopping) return
  const ready = await call("POST", `/api/v1/orders/${orderId}/ready`, ownerToken)
  if (ready.status === 200) count("orders ready")
  // Given up by dispatch meanwhile (no driver): cancelled by the system, nothing to make ready.
  else if (ready.status === 409) count("ready refused (order ended meanwhile)")
  else wrong("ready", ready)
}

// ---------------------------------------------------------------------------------------------

let api: ServerProcess | undefined
let worker: WorkerProcess | undefined
const stopAll = async () => {
  stopping = true
  await Promise.allSettled([api === undefined ? undefined : stopServer(api), worker?.stop()])
  await Promise.allSettled([deliveries.closeDeliveriesFixtures(), orders.closeOrdersFixtures()])
}
process.once("SIGINT", () => void stopAll().then(() => process.exit(130)))
const deadlineMs = (900 + settings.minutes * 60 + settings.drainSeconds + 120) * 1_000
setTimeout(() => {
  process.stderr.write(`dispatch-hour: still running after ${deadlineMs / 1_000} s, giving up\n`)
  void stopAll().then(() => process.exit(1))
}, deadlineMs).unref()

/** The run's offers by status, and the drivers set offline by dispatch after time-outs. */
const offersSummary = (orderIds: ReadonlyArray<string>, sinceMs: number) =>
  deliveries.withDeliveries(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const byStatus = yield* sql<{ status: string; count: number }>`
      SELECT f.status, count(*)::int AS count FROM deliveries.offers f JOIN deliveries.deliveries d ON d.id = f.delivery_id
      WHERE d.order_id = ANY(${orderIds}::uuid[]) GROUP BY f.status ORDER BY f.status`
    const [batches] = yield* sql<{ max: number | null; mean: number | null }>`
      SELECT max(batch_count) AS max, avg(batch_count)::float8 AS mean FROM deliveries.deliveries WHERE order_id = ANY(${orderIds}::uuid[])`
    const [offline] = yield* sql<{ count: number }>`
      SELECT count(*)::int AS count FROM events.outbox WHERE aggregate_type = 'driver' AND type = 'notification.requested' AND occurred_at >= ${new Date(sinceMs)}`
    const [unassigned] = yield* sql<{ count: number }>`
      SELECT count(DISTINCT aggregate_id)::int AS count FROM events.outbox WHERE aggregate_type = 'delivery' AND type = 'delivery.unassigned' AND occurred_at >= ${new Date(sinceMs)}`
    return {
      offers: Object.fromEntries(byStatus.map((row) => [row.status, row.count])),
      batchesPerDelivery: { max: batches?.max ?? 0, mean: round1(batches?.mean ?? 0) },
      driversSetOfflineAfterTimeouts: offline?.count ?? 0,
      deliveriesUnassignedAtSomePoint: unassigned?.count ?? 0
    }
  }))

const main = async () => {
  const started = new Date()
  const compression = 60 / settings.minutes
  say(`dispatch hour: ${settings.orders} orders over ${settings.minutes} real minutes (60 simulated: ×${round1(compression)}), ${settings.drivers} drivers, offers open ${settings.offerTimeoutMs / 1_000} s; drivers accept ${settings.acceptPercent} %, reject ${settings.rejectPercent} %, let ${100 - settings.acceptPercent - settings.rejectPercent} % time out`)
  const world = await orders.ordersWorld()
  const all = await deliveries.ensureDrivers("dispatch", Math.max(settings.drivers, 1))
  const chosen = all.slice(0, settings.drivers)
  await settleLeftovers()
  await deliveries.setAllOffline("dispatch")

  const [customerTokenList, ownerTokenList, driverTokenList] = [
    await orders.openSessions(world.customers.map((customer) => ({ id: customer.id, roles: ["client"] }))),
    await orders.openSessions(world.providers.map((provider) => ({ id: provider.ownerId, roles: ["client", "provider"] }))),
    await deliveries.openDriverSessions(chosen.map((driver) => driver.id))
  ]
  const customerTokens = new Map(world.customers.map((customer, index) => [customer.id as string, customerTokenList[index]!]))
  const ownerTokens = new Map(world.providers.map((provider, index) => [provider.ownerId as string, ownerTokenList[index]!]))

  api = await startServer("api", apiMainFile, environment)
  apiUrl = api.url
  mkdirSync(resultsDirectory, { recursive: true })
  const stamp = started.toISOString().slice(0, 19).replaceAll(":", "-")
  const workerLog = `${resultsDirectory}dispatch-hour-${stamp}Z-worker.log`
  worker = await startWorker(environment, { logFile: workerLog })
  say(`  api ${api.pid} on ${api.url}, worker ${worker.pid} (log: ${workerLog})`)

  // The drivers' phones: a first point, online, then their loops.
  const sims: Array<SimDriver> = chosen.map((driver, index) => ({ id: driver.id, token: driverTokenList[index]!, home: driver.home, steps: 0, busy: false }))
  for (let at = 0; at < sims.length; at += 16) {
    await Promise.all(sims.slice(at, at + 16).map(async (driver) => {
      await sendPoint(driver)
      await goOnline(driver)
    }))
  }
  say(`  ${sims.length} drivers online`)
  const cpu = { api: readCpuMs(api.pid) ?? 0, worker: readCpuMs(worker.pid) ?? 0 }
  const machine = sampleMachine()
  const runStartedMs = Date.now()
  const loops = sims.flatMap((driver) => [pointsLoop(driver), offersLoop(driver)])

  // The customers: arrivals at random around a steady rate (exponential gaps), over `minutes`.
  const random = mulberry32(settings.seed)
  const runId = started.toISOString().replace(/[^0-9]/gu, "").slice(0, 14)
  const meanGapMs = (settings.minutes * 60_000) / settings.orders
  const ordersDone: Array<Promise<void>> = []
  let nextAtMs = Date.now()
  for (let n = 0; n < settings.orders && !stopping; n += 1) {
    await until(nextAtMs - Date.now())
    ordersDone.push(placeAndPrepare(n, world, customerTokens, ownerTokens, runId))
    nextAtMs += Math.min(-Math.log(1 - random()) * meanGapMs, 5 * meanGapMs)
    if ((n + 1) % Math.max(1, Math.floor(settings.orders / 10)) === 0) say(`  ${n + 1} orders sent, ${tally["delivered"] ?? 0} delivered so far (${((Date.now() - runStartedMs) / 1_000).toFixed(0)} s)`)
  }
  await Promise.all(ordersDone)
  const placingSeconds = (Date.now() - runStartedMs) / 1_000
  say(`  all orders sent in ${placingSeconds.toFixed(0)} s; draining (at most ${settings.drainSeconds} s)`)

  // Drain: until every delivery of the run is settled (or held by nobody... or the time is up).
  const orderIds = () => [...runOrders.keys()]
  const drainStarted = Date.now()
  for (;;) {
    const statuses = await deliveryStatuses(orderIds())
    const open = Object.entries(statuses).filter(([status]) => !["delivered", "failed", "cancelled"].includes(status)).reduce((sum, [, value]) => sum + value, 0)
    if (open === 0 || Date.now() - drainStarted > settings.drainSeconds * 1_000) break
    await sleep(2_000)
  }
  const runSeconds = (Date.now() - runStartedMs) / 1_000
  const host = machine.stop()
  const cpuMs = { api: (readCpuMs(api.pid) ?? cpu.api) - cpu.api, worker: (readCpuMs(worker.pid) ?? cpu.worker) - cpu.worker }
  stopping = true
  await Promise.all(loops)

  // The end state, from the database; then the ledger.
  const ids = orderIds()
  const endState = await checkEndState(ids)
  const offers = await offersSummary(ids, runStartedMs)
  // Expected here: no payment gateway is configured, and the bench people have no phone registered for pushes.
  const expectedWarnings = new Set(["no payment gateway configured: wallet top-ups are refused", "push notification reached no device"])
  const workerProblems = worker.problems().filter((line) => typeof line.message !== "string" || !expectedWarnings.has(line.message))
  const workerProblemCounts = worker.problemCounts()
  await worker.stop()
  worker = undefined
  await stopServer(api)
  api = undefined
  const audit = auditWallet()

  const confirmToAssigned = [...runOrders.values()].flatMap((order) => order.assignedAtMs === undefined ? [] : [(order.assignedAtMs - order.confirmedAtMs) / 1_000])
  const confirmToDelivered = [...runOrders.values()].flatMap((order) => order.deliveredAtMs === undefined ? [] : [(order.deliveredAtMs - order.confirmedAtMs) / 1_000])
  const percentOf = (ms: number) => round1((ms / (runSeconds * 1_000)) * 100)
  say("")
  say(`answers: ${JSON.stringify(tally)}`)
  for (const line of unexpected) say(`  unexpected: ${line}`)
  say(`deliveries: ${JSON.stringify(endState.statuses)}`)
  say(`offers: ${JSON.stringify(offers.offers)}; batches per delivery: mean ${offers.batchesPerDelivery.mean}, max ${offers.batchesPerDelivery.max}; drivers set offline after time-outs: ${offers.driversSetOfflineAfterTimeouts}; deliveries unassigned at some point: ${offers.deliveriesUnassignedAtSomePoint}`)
  say(`confirmed → accepted: ${distribution(confirmToAssigned, "s")}`)
  say(`confirmed → delivered: ${distribution(confirmToDelivered, "s")}`)
  say(`CPU over ${runSeconds.toFixed(0)} s (100 = one core): api ${percentOf(cpuMs.api)}, worker ${percentOf(cpuMs.worker)}, postgres ${percentOf(host.postgresMs)}, redis ${percentOf(host.redisMs)}, this process ${percentOf(host.loadGeneratorMs)}, machine ${percentOf(host.machineMs)}`)
  say(`worker warnings/errors by message: ${JSON.stringify(workerProblemCounts)}`)
  if (workerProblems.length > 0) say(`  first not expected: ${JSON.stringify(workerProblems[0]).slice(0, 400)}`)
  const invariants = {
    "every confirmed order has a delivery": endState.withoutDelivery.length === 0,
    "no delivery left dispatching without a wake-up": endState.forgotten.length === 0,
    "no delivery with two accepted offers": endState.twiceAccepted.length === 0 && (tally["VIOLATION: a delivery won by two drivers"] ?? 0) === 0,
    "no driver with two deliveries at once": endState.overlapping.length === 0 && (tally["VIOLATION: accept refused, driver busy"] ?? 0) === 0,
    "each delivery's status agrees with its order's": endState.disagreeing.length === 0,
    "nelo-admin wallet audit clean": audit.status === 0,
    "no unexpected answer": (tally["unexpected answers"] ?? 0) === 0
  }
  for (const [name, holds] of Object.entries(invariants)) say(`${holds ? "ok  " : "FAIL"} ${name}`)
  if (!invariants["every confirmed order has a delivery"]) say(`  without delivery: ${endState.withoutDelivery.slice(0, 5).join(", ")}`)
  if (!invariants["no delivery left dispatching without a wake-up"]) say(`  forgotten: ${endState.forgotten.slice(0, 5).join(", ")}`)
  for (const line of [...endState.twiceAccepted, ...endState.overlapping, ...endState.disagreeing].slice(0, 10)) say(`  ${line}`)
  say(`wallet audit: ${audit.output.trim().split("\n").join(" | ")}`)

  const report = {
    benchmark: "dispatch-hour",
    startedAt: started.toISOString(),
    settings: { ...settings, compression: round1(compression) },
    environment: { node: process.version, cpuCount: cpus().length, cpuModel: cpus()[0]?.model ?? "unknown" },
    runSeconds: round1(runSeconds),
    answers: tally,
    unexpected,
    endState,
    offers,
    confirmToAcceptedSeconds: summaryOf(confirmToAssigned),
    confirmToDeliveredSeconds: summaryOf(confirmToDelivered),
    cpuPercent: { api: percentOf(cpuMs.api), worker: percentOf(cpuMs.worker), postgres: percentOf(host.postgresMs), redis: percentOf(host.redisMs), benchProcess: percentOf(host.loadGeneratorMs), machine: percentOf(host.machineMs) },
    workerProblemsByMessage: workerProblemCounts,
    workerProblems: workerProblems.slice(0, 20),
    walletAudit: { exitCode: audit.status, output: audit.output },
    invariants
  }
  const file = `${resultsDirectory}dispatch-hour-${stamp}Z.json`
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  say(`results: ${file}`)
  // What is still held or dispatching is settled for the next run (an admin cancels it, refunded).
  await settleLeftovers()
  await deliveries.setAllOffline("dispatch")
  if (Object.values(invariants).some((holds) => !holds)) process.exitCode = 2
}

await main().catch((error: unknown) => {
  process.stderr.write(`dispatch-hour: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exitCode = 1
})
await stopAll()
process.exit(process.exitCode ?? 0)
