// Benchmark entry: `node bench/run.ts <scenario> [--connections 32] [--durationSeconds 10] [--warmupSeconds 3]`.
// Runs the scenario's bare baseline server, then the real API, each in its own process on a free
// 127.0.0.1 port, with the same autocannon settings and a warm-up each; prints req/s, latency,
// errors and peak RSS per server, the API ÷ baseline throughput ratio, and writes the whole as JSON
// to bench/results/. Environment (LOG_LEVEL, DATABASE_URL, REDIS_URL...) reaches both servers.
import { spawnSync } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { cpus, totalmem } from "node:os"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import autocannon, { type Result } from "autocannon"
import { type RequestExtras, type Scenario, scenarios } from "./scenarios.ts"
import { readRssMb, sampleRss, type ServerProcess, startServer, stopServer } from "./serverProcess.ts"

const apiMainFile = fileURLToPath(new URL("../apps/http/src/main.ts", import.meta.url))
const resultsDirectory = fileURLToPath(new URL("./results/", import.meta.url))
// Per request: a response slower than this counts as an error (autocannon's own default).
const requestTimeoutSeconds = 10

interface LoadSettings {
  readonly connections: number
  readonly durationSeconds: number
  readonly warmupSeconds: number
}

interface ServerFigures {
  readonly server: string
  readonly file: string
  readonly requestsPerSecondMean: number
  readonly latencyP50Ms: number
  readonly latencyP99Ms: number
  readonly latencyMeanMs: number
  readonly completedRequests: number
  /** Connection errors and timeouts. */
  readonly errors: number
  readonly timeouts: number
  readonly non2xx: number
  readonly idleRssMb: number | undefined
  readonly peakRssMb: number
  readonly rssSampleCount: number
}

const fail = (message: string): never => {
  process.stderr.write(`bench: ${message}\n`)
  process.exit(1)
}

const positiveInteger = (name: string, text: string, maximum: number) => {
  const value = Number(text)
  return Number.isInteger(value) && value >= 1 && value <= maximum ? value : fail(`--${name} must be an integer from 1 to ${maximum}, not "${text}".`)
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals

// Servers alive right now, so an interrupted run (Ctrl-C, deadline) does not leave them behind.
const liveServers = new Set<ServerProcess>()
const stopAllAndExit = async (exitCode: number) => {
  await Promise.allSettled([...liveServers].map(stopServer))
  process.exit(exitCode)
}

/** A percentile by nearest rank, of latencies sorted ascending. */
const percentile = (sortedMs: Float64Array, percent: number) =>
  sortedMs.length === 0 ? 0 : sortedMs[Math.max(0, Math.ceil((percent / 100) * sortedMs.length) - 1)] ?? 0

/**
 * One autocannon run. Latency percentiles come from the per-response durations it emits, because
 * its own latency histogram has a 1 ms resolution, too coarse for sub-millisecond answers.
 */
const load = async (url: string, scenario: Scenario, extras: RequestExtras, connections: number, durationSeconds: number) => {
  const latenciesMs: Array<number> = []
  const instance = autocannon({
    url,
    method: scenario.method,
    connections,
    duration: durationSeconds,
    pipelining: 1,
    timeout: requestTimeoutSeconds,
    ...(extras.headers === undefined ? {} : { headers: extras.headers }),
    ...(extras.body === undefined ? {} : { body: extras.body })
  })
  instance.on("response", (_client, _statusCode, _responseBytes, responseTimeMs) => {
    latenciesMs.push(responseTimeMs)
  })
  const result: Result = await instance
  const sortedMs = Float64Array.from(latenciesMs).sort()
  const meanMs = sortedMs.reduce((sum, latencyMs) => sum + latencyMs, 0) / Math.max(1, sortedMs.length)
  return { result, latencyP50Ms: percentile(sortedMs, 50), latencyP99Ms: percentile(sortedMs, 99), latencyMeanMs: meanMs }
}

/** Start, check one response, warm up, measure under RSS sampling, stop. */
const measureServer = async (name: string, file: string, scenario: Scenario, settings: LoadSettings): Promise<ServerFigures> => {
  process.stdout.write(`${name}: starting ${file}\n`)
  const server = await startServer(name, file)
  liveServers.add(server)
  try {
    const extras = scenario.setup === undefined ? {} : await scenario.setup(server.url)
    const url = `${server.url}${scenario.apiPath}`
    const response = await fetch(url, {
      method: scenario.method,
      ...(extras.headers === undefined ? {} : { headers: extras.headers }),
      ...(extras.body === undefined ? {} : { body: extras.body })
    })
    const problem = scenario.checkResponse(response.status, await response.text())
    if (problem !== undefined) throw new Error(`${name} answered ${scenario.method} ${scenario.apiPath} wrongly: ${problem}`)

    // Idle memory after start-up and one request; the warm-up lets JIT and pools settle before measuring.
    const idleRssMb = readRssMb(server.pid)
    process.stdout.write(`${name}: warm-up ${settings.warmupSeconds} s, then ${settings.durationSeconds} s measured\n`)
    await load(url, scenario, extras, settings.connections, settings.warmupSeconds)
    const sampler = sampleRss(server.pid)
    const { result, latencyP50Ms, latencyP99Ms, latencyMeanMs } = await load(url, scenario, extras, settings.connections, settings.durationSeconds)
    const { peakRssMb, sampleCount } = sampler.stop()
    return {
      server: name,
      file,
      requestsPerSecondMean: round(result.requests.average, 1),
      latencyP50Ms: round(latencyP50Ms, 2),
      latencyP99Ms: round(latencyP99Ms, 2),
      latencyMeanMs: round(latencyMeanMs, 2),
      completedRequests: result.requests.total,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      idleRssMb: idleRssMb === undefined ? undefined : round(idleRssMb, 1),
      peakRssMb: round(peakRssMb, 1),
      rssSampleCount: sampleCount
    }
  } finally {
    await stopServer(server)
    liveServers.delete(server)
  }
}

const printTable = (rows: ReadonlyArray<ServerFigures>) => {
  const header = ["server", "req/s", "p50 ms", "p99 ms", "errors", "non-2xx", "peak RSS MB"]
  const lines = rows.map((row) => [
    row.server,
    row.requestsPerSecondMean.toFixed(0),
    row.latencyP50Ms.toFixed(2),
    row.latencyP99Ms.toFixed(2),
    String(row.errors),
    String(row.non2xx),
    row.peakRssMb.toFixed(1)
  ])
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? "").length)))
  for (const line of [header, ...lines]) {
    process.stdout.write(`${line.map((cell, column) => cell.padStart(widths[column] ?? 0)).join("  ")}\n`)
  }
}

const gitRevision = () => {
  const head = spawnSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).stdout.trim()
  const dirty = spawnSync("git", ["status", "--porcelain"], { encoding: "utf8" }).stdout.trim() !== ""
  return head === "" ? "unknown" : `${head}${dirty ? " (uncommitted changes)" : ""}`
}

const main = async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      connections: { type: "string", default: "32" },
      durationSeconds: { type: "string", default: "10" },
      warmupSeconds: { type: "string", default: "3" }
    }
  })
  const scenarioName = positionals[0] ?? fail(`name a scenario: ${Object.keys(scenarios).join(", ")}`)
  const scenario = scenarios[scenarioName] ?? fail(`unknown scenario "${scenarioName}": use ${Object.keys(scenarios).join(", ")}`)
  const settings: LoadSettings = {
    connections: positiveInteger("connections", values.connections, 1_000),
    durationSeconds: positiveInteger("durationSeconds", values.durationSeconds, 600),
    warmupSeconds: positiveInteger("warmupSeconds", values.warmupSeconds, 60)
  }

  process.once("SIGINT", () => void stopAllAndExit(130))
  process.once("SIGTERM", () => void stopAllAndExit(143))
  // The whole run is bounded: two servers, each with start-up, warm-up, measure and stop.
  const deadlineMs = 2 * (settings.warmupSeconds + settings.durationSeconds + 60) * 1_000
  setTimeout(() => {
    process.stderr.write(`bench: still running after ${deadlineMs / 1_000} s, giving up\n`)
    void stopAllAndExit(1)
  }, deadlineMs).unref()

  const startedAt = new Date()
  process.stdout.write(`${scenarioName}: ${scenario.description}\n`)
  process.stdout.write(`${settings.connections} connections, pipelining 1, ${settings.durationSeconds} s measured after ${settings.warmupSeconds} s warm-up, each server alone\n`)
  // Baseline first, then the API: only one server runs at a time so they never share the CPU.
  const baseline = await measureServer("baseline", scenario.baselineServerFile, scenario, settings)
  const api = await measureServer("api", apiMainFile, scenario, settings)
  const ratio = round(api.requestsPerSecondMean / baseline.requestsPerSecondMean, 2)

  process.stdout.write("\n")
  printTable([baseline, api])
  process.stdout.write(`\nratio api ÷ baseline req/s: ${ratio.toFixed(2)}\n`)

  const report = {
    scenario: scenarioName,
    description: scenario.description,
    request: { method: scenario.method, path: scenario.apiPath },
    startedAt: startedAt.toISOString(),
    settings: { ...settings, pipelining: 1, requestTimeoutSeconds },
    environment: {
      node: process.version,
      cpuCount: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      totalMemoryMb: Math.round(totalmem() / 1024 / 1024),
      apiLogLevel: process.env["LOG_LEVEL"] ?? "info (default)",
      revision: gitRevision()
    },
    servers: [baseline, api],
    ratio
  }
  mkdirSync(resultsDirectory, { recursive: true })
  const resultsFile = `${resultsDirectory}${scenarioName}-${startedAt.toISOString().slice(0, 19).replaceAll(":", "-")}Z.json`
  writeFileSync(resultsFile, `${JSON.stringify(report, null, 2)}\n`)
  process.stdout.write(`results: ${resultsFile}\n`)
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`)
    void stopAllAndExit(1)
  }
)
