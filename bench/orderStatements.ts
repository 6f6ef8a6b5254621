// Checks that the orders baseline (bench/baselines/ordersBaseline.ts) runs the same SQL statements
// and Redis commands as the API for one wallet order and one tracking read:
//   node bench/orderStatements.ts [--logFile /var/log/postgresql/postgresql-15-main.log]
// (npm run bench:order-statements). On a scratch database of its own (BENCH_ORDERS_DATABASE,
// default nelo_bench_statements, made like the benchmarks' own: bench/orderFixtures.ts), with
// `log_statement = 'all'` set on that database only (ALTER DATABASE: needs a superuser; reset at
// the end), it starts the API, places a first order (which opens the escrow account and fills the
// per-process caches), then one order and one tracking read whose statements are read from the
// server's log and whose Redis commands are read with MONITOR; then the same with the baseline.
// Prints both lists and exits with 2 when they differ (statement texts with whitespace collapsed,
// compared as multisets: the quote's reads run concurrently and their order varies; Redis
// commands with ids blanked).
import { spawn } from "node:child_process"
import { randomUUID } from "node:crypto"
import { statSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { setTimeout as sleep } from "node:timers/promises"
import { psqlOn, readFrom, statementsIn } from "./statementLog.ts"

process.env["BENCH_ORDERS_DATABASE"] ??= "nelo_bench_statements"
const { benchPin, closeOrdersFixtures, createPromotion, openSessions, ordersEnvironment, ordersWorld } = await import("./orderFixtures.ts")
const { startServer, stopServer } = await import("./serverProcess.ts")

const { values: options } = parseArgs({ options: { logFile: { type: "string", default: "/var/log/postgresql/postgresql-15-main.log" } } })
const databaseName = process.env["BENCH_ORDERS_DATABASE"]!
const apiMainFile = fileURLToPath(new URL("../apps/http/src/main.ts", import.meta.url))
const baselineFile = fileURLToPath(new URL("./baselines/ordersBaseline.ts", import.meta.url))

const psql = psqlOn(ordersEnvironment["DATABASE_URL"]!)

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/giu
/** Redis commands of the server's connections, with ids, tokens and payloads blanked. */
const redisCommandsIn = (monitor: string) =>
  // Other clients of this Redis (other prefixes: test runs, the dev API) are left out.
  monitor.split("\n").filter((line) => /^\d+\.\d+ \[\d+ 127\.0\.0\.1:\d+\]/u.test(line) && line.includes(`"${ordersEnvironment["REDIS_KEY_PREFIX"]}:`)).map((line) => {
    const command = line.replace(/^\S+ \[[^\]]+\] /u, "")
    const parts = command.match(/"(?:[^"\\]|\\.)*"/gu) ?? []
    const name = (parts[0] ?? "").toLowerCase()
    const shown = parts.slice(1).map((part) => part.length > 80 ? `"<${part.length} chars>"` : part.replace(uuidPattern, "<id>"))
    // A token value (SET of a version) differs per server: its key and options are what matter.
    return `${name} ${(name === "\"set\"" ? shown.map((part, index) => index === 1 ? "\"<token>\"" : part) : shown).join(" ")}`
  })

interface Trace {
  readonly statements: ReadonlyArray<string>
  readonly redis: ReadonlyArray<string>
}

const traceOf = async (name: string, file: string, world: Awaited<ReturnType<typeof ordersWorld>>, promoCode: string, tokens: ReadonlyArray<string>) => {
  const server = await startServer(name, file, ordersEnvironment)
  try {
    const provider = world.providers[0]!
    const products = provider.products
    const place = async (customerIndex: number) => {
      const customer = world.customers[customerIndex]!
      const response = await fetch(`${server.url}/api/v1/orders`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${tokens[customerIndex]!}` },
        body: JSON.stringify({
          providerId: provider.id,
          addressId: customer.addressId,
          paymentMethod: "wallet",
          pin: benchPin,
          promoCode,
          idempotencyKey: randomUUID(),
          items: [
            { productId: products[0]!.id, quantity: 1, options: [products[0]!.options["Taille"]!["Grand"]!.id, products[0]!.options["Accompagnement"]!["Alloco"]!.id] },
            { productId: products[10]!.id, quantity: 2, options: [products[10]!.options["Taille"]!["Normal"]!.id, products[10]!.options["Suppléments"]!["Oignons"]!.id] },
            { productId: products[15]!.id, quantity: 1, options: [products[15]!.options["Taille"]!["Grand"]!.id] }
          ]
        })
      })
      const text = await response.text()
      if (response.status !== 201) throw new Error(`${name} answered ${response.status}: ${text.slice(0, 300)}`)
      return JSON.parse(text) as { id: string }
    }
    // The first order opens the provider's escrow and fills the caches: not compared.
    await place(0)
    await sleep(300)
    const monitor = spawn("redis-cli", ["-u", process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379", "monitor"], { stdio: ["ignore", "pipe", "inherit"] })
    let monitored = ""
    monitor.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      monitored += chunk
    })
    await sleep(300)
    const offset = statSync(options.logFile).size
    const order = await place(1)
    const tracking = await fetch(`${server.url}/api/v1/orders/${order.id}/tracking`, { headers: { authorization: `Bearer ${tokens[1]!}` } })
    if (tracking.status !== 200) throw new Error(`${name} tracking answered ${tracking.status}`)
    await tracking.arrayBuffer()
    await sleep(500)
    monitor.kill()
    return { statements: statementsIn(readFrom(options.logFile, offset), databaseName), redis: redisCommandsIn(monitored) } satisfies Trace
  } finally {
    await stopServer(server)
  }
}

const counts = (items: ReadonlyArray<string>) => {
  const map = new Map<string, number>()
  for (const item of items) map.set(item, (map.get(item) ?? 0) + 1)
  return map
}
const differences = (api: ReadonlyArray<string>, baseline: ReadonlyArray<string>) => {
  const left = counts(api)
  const right = counts(baseline)
  const keys = new Set([...left.keys(), ...right.keys()])
  return [...keys].filter((key) => left.get(key) !== right.get(key)).map((key) => `api ×${left.get(key) ?? 0}, baseline ×${right.get(key) ?? 0}: ${key.slice(0, 240)}`)
}

const main = async () => {
  const world = await ordersWorld()
  const promotion = await createPromotion()
  const tokens = await openSessions(world.customers.slice(0, 2).map((customer) => ({ id: customer.id, roles: ["client"] })))
  psql(`ALTER DATABASE ${databaseName} SET log_statement = 'all'`)
  try {
    const api = await traceOf("api", apiMainFile, world, promotion.code, tokens)
    const baseline = await traceOf("baseline", baselineFile, world, promotion.code, tokens)
    for (const [name, trace] of [["api", api], ["baseline", baseline]] as const) {
      process.stdout.write(`\n${name}: ${trace.statements.length} SQL statements, ${trace.redis.length} Redis commands (one order, then one tracking read)\n`)
      trace.statements.forEach((statement, index) => process.stdout.write(`  ${String(index + 1).padStart(2)}. ${statement.slice(0, 160)}\n`))
      trace.redis.forEach((command) => process.stdout.write(`  redis: ${command.slice(0, 160)}\n`))
    }
    const sqlDifferences = differences(api.statements, baseline.statements)
    const redisDifferences = differences(api.redis, baseline.redis)
    process.stdout.write(`\nSQL: ${sqlDifferences.length === 0 ? "the same statements" : `${sqlDifferences.length} differences`}; Redis: ${redisDifferences.length === 0 ? "the same commands" : `${redisDifferences.length} differences`}\n`)
    for (const difference of [...sqlDifferences, ...redisDifferences]) process.stdout.write(`  ${difference}\n`)
    if (sqlDifferences.length + redisDifferences.length > 0) process.exitCode = 2
  } finally {
    psql(`ALTER DATABASE ${databaseName} RESET log_statement`)
    await closeOrdersFixtures()
  }
}

await main()
process.exit(process.exitCode ?? 0)
