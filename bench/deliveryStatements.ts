// Checks that the drivers-location baseline (bench/baselines/driversLocationBaseline.ts) runs the
// same SQL statements and Redis commands as the API for one PUT /api/v1/drivers/me/location:
//   node bench/deliveryStatements.ts [--logFile /var/log/postgresql/postgresql-15-main.log]
// (npm run bench:delivery-statements). As bench/orderStatements.ts does for orders: on a scratch
// database of its own (BENCH_DELIVERIES_DATABASE, default nelo_bench_delivery_statements, made like
// the benchmarks' own: bench/deliveryFixtures.ts) with `log_statement = 'all'` set on that database
// only (ALTER DATABASE: needs a superuser; reset at the end), it starts the API, sends a first
// point (pools and caches warm), then one point whose statements are read from the server's log
// and whose Redis commands are read with MONITOR (every command of the connections that touched
// the run's keys, MULTI and EXEC included); then the same with the baseline. Prints both lists and
// exits with 2 when they differ (statement texts with whitespace collapsed, compared as multisets;
// Redis commands with ids, numbers and tokens blanked).
import { spawn } from "node:child_process"
import { statSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { setTimeout as sleep } from "node:timers/promises"
import { psqlOn, readFrom, statementsIn } from "./statementLog.ts"

process.env["BENCH_DELIVERIES_DATABASE"] ??= "nelo_bench_delivery_statements"
const { closeDeliveriesFixtures, ensureDrivers, locationEnvironment, openDriverSessions } = await import("./deliveryFixtures.ts")
const { startServer, stopServer } = await import("./serverProcess.ts")

const { values: options } = parseArgs({ options: { logFile: { type: "string", default: "/var/log/postgresql/postgresql-15-main.log" } } })
const databaseName = process.env["BENCH_DELIVERIES_DATABASE"]!
const apiMainFile = fileURLToPath(new URL("../apps/http/src/main.ts", import.meta.url))
const baselineFile = fileURLToPath(new URL("./baselines/driversLocationBaseline.ts", import.meta.url))
const prefix = locationEnvironment["REDIS_KEY_PREFIX"]!

const psql = psqlOn(locationEnvironment["DATABASE_URL"]!)

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/giu
/** Redis commands of the clients that touched this prefix's keys (MULTI and EXEC name no key), ids and values blanked. */
const redisCommandsIn = (monitor: string) => {
  const lines = monitor.split("\n").map((line) => /^\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$/u.exec(line)).filter((match) => match !== null)
  const clients = new Set(lines.filter((match) => match[2]!.includes(`"${prefix}:`)).map((match) => match[1]!))
  return lines.filter((match) => clients.has(match[1]!)).map((match) => {
    const parts = match[2]!.match(/"(?:[^"\\]|\\.)*"/gu) ?? []
    const name = (parts[0] ?? "").toLowerCase()
    // Keys and field names stay; values (coordinates, instants, tokens) are blanked.
    const shown = parts.slice(1).map((part) => part.replace(uuidPattern, "<id>").replace(/^"-?\d+(?:\.\d+)?"$/u, "\"<n>\""))
    return `${name} ${shown.join(" ")}`
  })
}

interface Trace {
  readonly statements: ReadonlyArray<string>
  readonly redis: ReadonlyArray<string>
}

const traceOf = async (name: string, file: string, tokens: ReadonlyArray<string>) => {
  const server = await startServer(name, file, locationEnvironment)
  try {
    const send = async (at: { lat: number; lng: number }) => {
      const response = await fetch(`${server.url}/api/v1/drivers/me/location`, {
        method: "PUT",
        headers: { "content-type": "application/json", authorization: `Bearer ${tokens[0]!}` },
        body: JSON.stringify({ ...at, accuracyM: 10, recordedAt: new Date().toISOString() })
      })
      const text = await response.text()
      if (response.status !== 200 || !text.includes("\"kept\":1")) throw new Error(`${name} answered ${response.status}: ${text.slice(0, 300)}`)
    }
    await send({ lat: 5.898, lng: -4.822 })
    await sleep(300)
    const monitor = spawn("redis-cli", ["-u", process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379", "monitor"], { stdio: ["ignore", "pipe", "inherit"] })
    let monitored = ""
    monitor.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      monitored += chunk
    })
    await sleep(300)
    const offset = statSync(options.logFile).size
    await send({ lat: 5.89805, lng: -4.82205 })
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
  const drivers = await ensureDrivers("location", 2)
  const tokens = await openDriverSessions(drivers.map((driver) => driver.id))
  psql(`ALTER DATABASE ${databaseName} SET log_statement = 'all'`)
  try {
    const api = await traceOf("api", apiMainFile, tokens)
    const baseline = await traceOf("baseline", baselineFile, tokens)
    for (const [name, trace] of [["api", api], ["baseline", baseline]] as const) {
      process.stdout.write(`\n${name}: ${trace.statements.length} SQL statements, ${trace.redis.length} Redis commands (one point)\n`)
      trace.statements.forEach((statement, index) => process.stdout.write(`  ${String(index + 1).padStart(2)}. ${statement.slice(0, 200)}\n`))
      trace.redis.forEach((command) => process.stdout.write(`  redis: ${command.slice(0, 200)}\n`))
    }
    const sqlDifferences = differences(api.statements, baseline.statements)
    const redisDifferences = differences(api.redis, baseline.redis)
    process.stdout.write(`\nSQL: ${sqlDifferences.length === 0 ? "the same statements" : `${sqlDifferences.length} differences`}; Redis: ${redisDifferences.length === 0 ? "the same commands" : `${redisDifferences.length} differences`}\n`)
    for (const difference of [...sqlDifferences, ...redisDifferences]) process.stdout.write(`  ${difference}\n`)
    if (sqlDifferences.length + redisDifferences.length > 0) process.exitCode = 2
  } finally {
    psql(`ALTER DATABASE ${databaseName} RESET log_statement`)
    await closeDeliveriesFixtures()
  }
}

await main()
process.exit(process.exitCode ?? 0)
