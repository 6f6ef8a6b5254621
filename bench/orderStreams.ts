// Live order streams (SSE) on one API process: memory per open stream, and how fast changes reach them.
//   node bench/orderStreams.ts [--providerStreams 1000] [--orderStreams 1000] [--steadyRate 50]
//     [--openConcurrency 50] [--graceSeconds 10] [--dropDatabase]
// (npm run bench:streams -- ...). No baseline server: the figures stand on their own.
//
// How it runs (data: bench/orderFixtures.ts, the orders benchmarks' own database):
//   1. one pending wallet order per order stream is placed with the orders' own use case (spread
//      over the 200 restaurants and 1,000 customers), and sessions are opened for the owners and
//      the customers (openSession);
//   2. the real API starts (apps/http/src/main.ts, the bench database, its own Redis prefix); after
//      a short warm-up (a few tracking reads and one stream opened and closed) its RSS is sampled:
//      "before";
//   3. the streams are opened as the apps open them (GET, Accept: text/event-stream, the bearer),
//      each on its own connection: `providerStreams` on /providers/{id}/orders/events (an owner's
//      tablets, spread evenly over the 200 restaurants) and `orderStreams` on /orders/{id}/events
//      (each customer following the order placed for it); each must send `ready` (an order
//      stream first replays its `order.created`). They open in two halves (each with both kinds),
//      the API's RSS sampled after each has settled: the growth per 1,000 streams overall, and for
//      the second half alone (the first also pays for the heap growing to its working size);
//   4. changes: each order is confirmed by its restaurant's owner through the API
//      (POST /orders/{id}/confirm). Half of them at a steady rate (`steadyRate` a second), the other
//      half all at once (32 at a time, as fast as the API takes them). Every stream must receive
//      `order.confirmed` for each order it follows (a provider stream: all its restaurant's orders;
//      an order stream: its order). Per change: the time from the confirm request being sent, and
//      from its answer, until the LAST of its streams received it. Anything not received
//      `graceSeconds` after the last change makes the run invalid (exit code 2);
//   5. every stream closed, the RSS sampled once more: what the API keeps.
// The API's CPU and the machine's (Postgres, Redis, this process, other work) are reported per phase.
import { request as httpRequest, Agent } from "node:http"
import { mkdirSync, writeFileSync } from "node:fs"
import { cpus } from "node:os"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { setTimeout as sleep } from "node:timers/promises"
import {
  benchPin,
  closeOrdersFixtures,
  dropOrdersDatabase,
  openSessions,
  ordersEnvironment,
  ordersWorld,
  placeOrders
} from "./orderFixtures.ts"
import type { UserId } from "@nelo/domain/users/User"
import { readCpuMs, readRssMb, sampleMachine, type ServerProcess, startServer, stopServer } from "./serverProcess.ts"

const { values: options } = parseArgs({
  options: {
    providerStreams: { type: "string", default: "1000" },
    orderStreams: { type: "string", default: "1000" },
    steadyRate: { type: "string", default: "50" },
    openConcurrency: { type: "string", default: "50" },
    graceSeconds: { type: "string", default: "10" },
    dropDatabase: { type: "boolean", default: false }
  }
})
const integer = (name: string, text: string, minimum: number, maximum: number) => {
  const value = Number(text)
  if (!Number.isInteger(value) || value < minimum || value > maximum) throw new Error(`--${name} must be an integer from ${minimum} to ${maximum}, not "${text}"`)
  return value
}
const providerStreamCount = integer("providerStreams", options.providerStreams, 0, 20_000)
const orderStreamCount = integer("orderStreams", options.orderStreams, 1, 20_000)
const steadyRate = integer("steadyRate", options.steadyRate, 1, 10_000)
const openConcurrency = integer("openConcurrency", options.openConcurrency, 1, 1_000)
const graceSeconds = integer("graceSeconds", options.graceSeconds, 1, 300)
const burstConcurrency = 32

const apiMainFile = fileURLToPath(new URL("../apps/http/src/main.ts", import.meta.url))
const resultsDirectory = fileURLToPath(new URL("./results/", import.meta.url))
const say = (line: string) => process.stdout.write(`${line}\n`)
const round1 = (value: number) => Math.round(value * 10) / 10

// ---------------------------------------------------------------------------------------------
// A Server-Sent Events client (the spec's parsing: fields, comments, an event per blank line),
// one connection per stream, as an app's EventSource.

interface StreamEvent {
  readonly event: string
  readonly data: string
  readonly at: number
}

interface OpenStream {
  readonly label: string
  readonly status: number
  /** Called with each event as it arrives. */
  onEvent: (event: StreamEvent) => void
  readonly ended: () => boolean
  readonly close: () => void
}

// One socket per stream and no pooling: 2,000 streams are 2,000 connections, as 2,000 phones.
const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY })

const openStream = (url: string, token: string, label: string, onEvent: (event: StreamEvent) => void) =>
  new Promise<OpenStream>((resolve, reject) => {
    let ended = false
    const stream: OpenStream = { label, status: 0, onEvent, ended: () => ended, close: () => req.destroy() }
    const req = httpRequest(url, { method: "GET", agent, headers: { accept: "text/event-stream", authorization: `Bearer ${token}` } }, (response) => {
      ;(stream as { status: number }).status = response.statusCode ?? 0
      response.setEncoding("utf8")
      let buffer = ""
      let event = "message"
      let data: Array<string> = []
      response.on("data", (chunk: string) => {
        const at = performance.now()
        buffer += chunk
        let newline: number
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/u, "")
          buffer = buffer.slice(newline + 1)
          if (line === "") {
            if (data.length > 0) stream.onEvent({ event, data: data.join("\n"), at })
            event = "message"
            data = []
            continue
          }
          if (line.startsWith(":")) continue
          const colon = line.indexOf(":")
          const field = colon < 0 ? line : line.slice(0, colon)
          const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /u, "")
          if (field === "data") data.push(value)
          else if (field === "event") event = value
        }
      })
      const finish = () => {
        ended = true
      }
      response.on("end", finish)
      response.on("close", finish)
      response.on("error", finish)
      resolve(stream)
    })
    req.on("error", (error) => {
      ended = true
      reject(error)
    })
    req.end()
  })

// ---------------------------------------------------------------------------------------------
// Measuring the API process.

const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((left, right) => left - right)
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)]!
}
const percentile = (values: ReadonlyArray<number>, percent: number) => {
  const sorted = [...values].sort((left, right) => left - right)
  return sorted.length === 0 ? 0 : sorted[Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1)]!
}

/** The API's RSS over a few seconds (every 200 ms): its median, the figure least moved by a collection in flight. */
const sampleRss = async (pid: number, seconds: number) => {
  const samples: Array<number> = []
  for (let elapsed = 0; elapsed < seconds * 1_000; elapsed += 200) {
    const rss = readRssMb(pid)
    if (rss !== undefined) samples.push(rss)
    await sleep(200)
  }
  return { medianMb: round1(median(samples)), minMb: round1(Math.min(...samples)), maxMb: round1(Math.max(...samples)) }
}

/** Runs `task` for every item, at most `concurrency` at once. */
const pool = async <A, B>(items: ReadonlyArray<A>, concurrency: number, task: (item: A, index: number) => Promise<B>): Promise<Array<B>> => {
  const results: Array<B> = new Array(items.length)
  let next = 0
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index]!, index)
    }
  }))
  return results
}

// ---------------------------------------------------------------------------------------------

const main = async () => {
  const startedAt = new Date()
  say(`order streams: ${providerStreamCount} provider streams + ${orderStreamCount} order streams on one API process, ${cpus().length} CPUs`)
  const world = await ordersWorld()
  const runTag = startedAt.toISOString().replace(/[^0-9]/gu, "").slice(0, 14)

  // 1. One pending order per order stream, spread over the restaurants and customers.
  say(`placing ${orderStreamCount} pending orders with the orders' use case...`)
  const planned = Array.from({ length: orderStreamCount }, (_, index) => {
    const provider = world.providers[index % world.providers.length]!
    const customer = world.customers[(index * 13) % world.customers.length]!
    const dish = provider.products[index % 10]!
    const drink = provider.products[15 + (index % 5)]!
    return {
      customerId: customer.id,
      input: {
        providerId: provider.id,
        addressId: customer.addressId,
        items: [
          { productId: dish.id, quantity: 1, options: [dish.options["Taille"]!["Normal"]!.id, dish.options["Accompagnement"]!["Attiéké"]!.id] },
          { productId: drink.id, quantity: 2, options: [drink.options["Taille"]!["Normal"]!.id] }
        ],
        promoCode: null,
        paymentMethod: "wallet" as const,
        note: null,
        pin: benchPin,
        idempotencyKey: `bench-sse-${runTag}-${index}`
      }
    }
  })
  const orders = await placeOrders(planned)
  const customerTokens = new Map<string, string>()
  const streamCustomers = [...new Set(orders.map((order) => order.customerId as UserId))]
  const tokens = await openSessions(streamCustomers.map((id) => ({ id, roles: ["client"] })))
  streamCustomers.forEach((id, index) => customerTokens.set(id, tokens[index]!))
  const ownerTokens = new Map<string, string>()
  const owners = await openSessions(world.providers.map((provider) => ({ id: provider.ownerId, roles: ["client", "provider"] })))
  world.providers.forEach((provider, index) => ownerTokens.set(provider.id, owners[index]!))

  let api: ServerProcess | undefined
  const streams: Array<OpenStream> = []
  const cleanup = async () => {
    for (const stream of streams) stream.close()
    if (api !== undefined) await stopServer(api)
    await closeOrdersFixtures()
  }
  process.once("SIGINT", () => void cleanup().then(() => process.exit(130)))
  try {
    // 2. The API, warmed up a little, then its RSS before any stream.
    api = await startServer("api", apiMainFile, ordersEnvironment)
    const server = api
    say(`api: ${server.url} (pid ${server.pid}); warming up...`)
    for (const order of orders.slice(0, 50)) {
      const response = await fetch(`${server.url}/api/v1/orders/${order.id}/tracking`, { headers: { authorization: `Bearer ${customerTokens.get(order.customerId)!}` } })
      await response.arrayBuffer()
    }
    const probe = await openStream(`${server.url}/api/v1/providers/${world.providers[0]!.id}/orders/events`, ownerTokens.get(world.providers[0]!.id)!, "probe", () => {})
    await sleep(500)
    probe.close()
    await sleep(2_000)
    const idle = await sampleRss(server.pid, 3)
    say(`api RSS before the streams: ${idle.medianMb} MB (median of 3 s; ${idle.minMb}–${idle.maxMb})`)

    // 3. The streams.
    // Who must receive which order's confirmation: order id → streams, and the arrival times.
    const expected = new Map<string, Array<OpenStream>>()
    const arrivals = new Map<string, Map<OpenStream, number>>()
    const unexpected: Array<string> = []
    const ordersByProvider = new Map<string, Array<string>>()
    for (const order of orders) ordersByProvider.set(order.providerId, [...(ordersByProvider.get(order.providerId) ?? []), order.id])

    const targets = [
      ...Array.from({ length: providerStreamCount }, (_, index) => {
        const provider = world.providers[index % world.providers.length]!
        return { kind: "provider" as const, url: `${server.url}/api/v1/providers/${provider.id}/orders/events`, token: ownerTokens.get(provider.id)!, follows: ordersByProvider.get(provider.id) ?? [], label: `provider ${provider.id} #${Math.floor(index / world.providers.length)}` }
      }),
      ...orders.map((order) => ({ kind: "order" as const, url: `${server.url}/api/v1/orders/${order.id}/events`, token: customerTokens.get(order.customerId)!, follows: [order.id], label: `order ${order.id}` }))
    ]
    // Opened in two halves (each with both kinds), the RSS sampled after each: the first half also
    // pays for the heap growing to its working size, the second is the marginal cost of a stream.
    const halves = [targets.filter((_, index) => index % 2 === 0), targets.filter((_, index) => index % 2 === 1)]
    say(`opening ${targets.length} streams in two halves (${openConcurrency} at a time)...`)
    const machineOpen = sampleMachine()
    const cpuBeforeOpen = readCpuMs(server.pid) ?? 0
    const openTimes: Array<number> = []
    let openMs = 0
    const rssAfterHalf: Array<Awaited<ReturnType<typeof sampleRss>>> = []
    for (const half of halves) {
      const openStarted = performance.now()
      await pool(half, openConcurrency, async (target) => {
        const started = performance.now()
        let markReady: () => void = () => {}
        const ready = new Promise<void>((resolve) => {
          markReady = resolve
        })
        const stream = await openStream(target.url, target.token, target.label, (event) => {
          if (event.event === "ready") {
            openTimes.push(event.at - started)
            markReady()
            return
          }
          if (event.event !== "order.confirmed") return
          const orderId = (JSON.parse(event.data) as { order: { id: string } }).order.id
          const perStream = arrivals.get(orderId)
          if (perStream === undefined || !expected.get(orderId)!.includes(stream)) {
            unexpected.push(`${target.label} got ${orderId}`)
            return
          }
          if (!perStream.has(stream)) perStream.set(stream, event.at)
        })
        if (stream.status !== 200) throw new Error(`${target.label}: status ${stream.status}`)
        streams.push(stream)
        for (const orderId of target.follows) expected.set(orderId, [...(expected.get(orderId) ?? []), stream])
        await ready
      })
      openMs += performance.now() - openStarted
      await sleep(3_000)
      const rss = await sampleRss(server.pid, 3)
      rssAfterHalf.push(rss)
      say(`  ${streams.length} streams ready: api RSS ${rss.medianMb} MB (${rss.minMb}–${rss.maxMb})`)
    }
    const openCpuMs = (readCpuMs(server.pid) ?? 0) - cpuBeforeOpen
    const openHost = machineOpen.stop()
    for (const orderId of expected.keys()) arrivals.set(orderId, new Map())
    say(`${streams.length} streams ready in ${(openMs / 1_000).toFixed(1)} s of opening (each: median ${median(openTimes).toFixed(0)} ms, p99 ${percentile(openTimes, 99).toFixed(0)} ms); API CPU ${(openCpuMs * 1_000 / streams.length).toFixed(0)} µs per stream opened`)
    const open = rssAfterHalf[1]!
    const perThousandMb = round1(((open.medianMb - idle.medianMb) / streams.length) * 1_000)
    const marginalPerThousandMb = round1(((open.medianMb - rssAfterHalf[0]!.medianMb) / halves[1]!.length) * 1_000)
    say(`api RSS with ${streams.length} streams open: ${open.medianMb} MB: +${round1(open.medianMb - idle.medianMb)} MB over ${idle.medianMb} MB, ${perThousandMb} MB per 1,000 streams overall, ${marginalPerThousandMb} MB per 1,000 for the second half`)

    // 4. Changes: each order confirmed by its owner through the API.
    const sentAt = new Map<string, number>()
    const answeredAt = new Map<string, number>()
    const confirmFailures: Array<string> = []
    const confirm = async (order: typeof orders[number]) => {
      sentAt.set(order.id, performance.now())
      const response = await fetch(`${server.url}/api/v1/orders/${order.id}/confirm`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${ownerTokens.get(order.providerId)!}` },
        body: JSON.stringify({ preparationMinutes: 20 })
      })
      const text = await response.text()
      answeredAt.set(order.id, performance.now())
      if (response.status !== 200) confirmFailures.push(`${order.id}: ${response.status} ${text.slice(0, 200)}`)
    }
    const half = Math.floor(orders.length / 2)
    const phases = [
      { name: `steady (${steadyRate}/s)`, orders: orders.slice(0, half), run: async (batch: typeof orders) => {
        const started = performance.now()
        const inFlight: Array<Promise<void>> = []
        for (const [index, order] of batch.entries()) {
          const due = started + (index * 1_000) / steadyRate
          const wait = due - performance.now()
          if (wait > 0) await sleep(wait)
          inFlight.push(confirm(order))
        }
        await Promise.all(inFlight)
      } },
      { name: `burst (all at once, ${burstConcurrency} at a time)`, orders: orders.slice(half), run: async (batch: typeof orders) => {
        await pool(batch, burstConcurrency, confirm)
      } }
    ]
    const phaseResults = []
    for (const phase of phases) {
      say(`changes, ${phase.name}: ${phase.orders.length} confirmations...`)
      const machine = sampleMachine()
      const cpuBefore = readCpuMs(server.pid) ?? 0
      const started = performance.now()
      await phase.run(phase.orders)
      const sendMs = performance.now() - started
      // Wait until every stream has what it must have, or the grace period is over.
      const deadline = performance.now() + graceSeconds * 1_000
      const complete = () => phase.orders.every((order) => arrivals.get(order.id)!.size === expected.get(order.id)!.length)
      while (!complete() && performance.now() < deadline) await sleep(20)
      const spanMs = performance.now() - started
      const cpuMs = (readCpuMs(server.pid) ?? cpuBefore) - cpuBefore
      const host = machine.stop()
      const fromSent: Array<number> = []
      const fromAnswered: Array<number> = []
      let deliveries = 0
      let missing = 0
      for (const order of phase.orders) {
        const got = arrivals.get(order.id)!
        const want = expected.get(order.id)!.length
        deliveries += got.size
        missing += want - got.size
        if (got.size === 0) continue
        const last = Math.max(...got.values())
        fromSent.push(last - sentAt.get(order.id)!)
        fromAnswered.push(last - (answeredAt.get(order.id) ?? last))
      }
      const result = {
        phase: phase.name,
        changes: phase.orders.length,
        sendSeconds: round1(sendMs / 1_000),
        deliveries,
        missing,
        // Per change: until the last of its streams received it.
        lastDeliveryFromSentMs: { p50: round1(percentile(fromSent, 50)), p99: round1(percentile(fromSent, 99)), max: round1(Math.max(...fromSent)) },
        lastDeliveryFromAnswerMs: { p50: round1(percentile(fromAnswered, 50)), p99: round1(percentile(fromAnswered, 99)), max: round1(Math.max(...fromAnswered)) },
        changesAllDeliveredWithin1s: fromSent.filter((ms) => ms <= 1_000).length,
        apiCpuPercent: round1((cpuMs / spanMs) * 100),
        apiCpuPerChangeMs: round1(cpuMs / phase.orders.length),
        host: {
          busyPercent: round1((host.machineMs / spanMs) * 100),
          postgresPercent: round1((host.postgresMs / spanMs) * 100),
          redisPercent: round1((host.redisMs / spanMs) * 100),
          loadGeneratorPercent: round1((host.loadGeneratorMs / spanMs) * 100),
          otherPercent: round1((Math.max(0, host.machineMs - cpuMs - host.postgresMs - host.redisMs - host.loadGeneratorMs) / spanMs) * 100)
        },
        rssAfterMb: readRssMb(server.pid)
      }
      phaseResults.push(result)
      say(`  sent in ${result.sendSeconds} s; ${deliveries} deliveries, ${missing} missing; last stream reached, from the request: p50 ${result.lastDeliveryFromSentMs.p50} ms, p99 ${result.lastDeliveryFromSentMs.p99} ms, max ${result.lastDeliveryFromSentMs.max} ms ` +
        `(from the answer: p50 ${result.lastDeliveryFromAnswerMs.p50}, p99 ${result.lastDeliveryFromAnswerMs.p99}, max ${result.lastDeliveryFromAnswerMs.max}); ${result.changesAllDeliveredWithin1s}/${phase.orders.length} changes everywhere within 1 s`)
      say(`  api CPU ${result.apiCpuPercent} % (${result.apiCpuPerChangeMs} ms per change); host ${result.host.busyPercent} % busy: postgres ${result.host.postgresPercent}, redis ${result.host.redisPercent}, this process ${result.host.loadGeneratorPercent}, other ${result.host.otherPercent}`)
    }
    const endedEarly = streams.filter((stream) => stream.ended()).length
    // Closed again, as the apps go away: what the API keeps.
    for (const stream of streams) stream.close()
    await sleep(5_000)
    const closed = await sampleRss(server.pid, 3)
    say(`api RSS 5 s after closing every stream: ${closed.medianMb} MB`)
    const valid = confirmFailures.length === 0 && unexpected.length === 0 && endedEarly === 0 && phaseResults.every((phase) => phase.missing === 0)
    const report = {
      at: startedAt.toISOString(),
      settings: { providerStreamCount, orderStreamCount, steadyRate, burstConcurrency, openConcurrency, graceSeconds, cpus: cpus().length, node: process.version },
      streams: streams.length,
      open: { seconds: round1(openMs / 1_000), perStreamMs: { p50: round1(median(openTimes)), p99: round1(percentile(openTimes, 99)) }, apiCpuPerStreamMicroseconds: Math.round((openCpuMs * 1_000) / streams.length), hostPostgresMs: openHost.postgresMs },
      rss: { beforeMb: idle, firstHalfMb: rssAfterHalf[0], openMb: open, growthMb: round1(open.medianMb - idle.medianMb), perThousandStreamsMb: perThousandMb, marginalPerThousandStreamsMb: marginalPerThousandMb, afterClosingMb: closed },
      phases: phaseResults,
      confirmFailures: confirmFailures.slice(0, 10),
      unexpected: unexpected.slice(0, 10),
      streamsEndedEarly: endedEarly,
      valid
    }
    mkdirSync(resultsDirectory, { recursive: true })
    const file = `${resultsDirectory}order-streams-${report.at.slice(0, 19).replaceAll(":", "-")}Z.json`
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
    say(`results: ${file}`)
    if (!valid) {
      say(`NOT A MEASUREMENT: ${confirmFailures.length} confirmations failed, ${unexpected.length} unexpected events, ${endedEarly} streams ended early, ${phaseResults.reduce((sum, phase) => sum + phase.missing, 0)} deliveries missing`)
      process.exitCode = 2
    }
  } finally {
    await cleanup()
    if (options.dropDatabase) await dropOrdersDatabase()
  }
}

await main().catch((error: unknown) => {
  process.stderr.write(`order streams: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exitCode = 1
})
process.exit(process.exitCode ?? 0)
