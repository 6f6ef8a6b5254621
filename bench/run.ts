// Benchmark entry:
//   node bench/run.ts <scenario> [--connections 32] [--durationSeconds 10] [--warmupSeconds 3] [--rounds 1]
// Starts the scenario's bare baseline server and the real API, each in its own process on a free
// 127.0.0.1 port; then, per round, loads the baseline, then the API, with the same autocannon
// settings and a warm-up each. Prints req/s, latency, errors, peak RSS and CPU per server and the
// API ÷ baseline throughput ratio, and writes it all as JSON to bench/results/. The environment
// (LOG_LEVEL, DATABASE_URL, REDIS_URL...) reaches both servers.
import { spawnSync } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { cpus, totalmem } from "node:os"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import autocannon, { type Result } from "autocannon"
import { type RequestExtras, type Scenario, scenarios } from "./scenarios.ts"
import { readRssMb, sampleProcess, type ServerProcess, startServer, stopServer } from "./serverProcess.ts"

const repositoryRoot = fileURLToPath(new URL("..", import.meta.url))
const apiMainFile = fileURLToPath(new URL("../apps/http/src/main.ts", import.meta.url))
const resultsDirectory = fileURLToPath(new URL("./results/", import.meta.url))
// Per request: a response slower than this counts as an error (autocannon's own default).
const requestTimeoutSeconds = 10

interface LoadSettings {
  readonly connections: number
  readonly durationSeconds: number
  readonly warmupSeconds: number
  /** Baseline then API, this many times; more rounds smooth out a noisy machine. */
  readonly rounds: number
}

/** One measured run of one server. */
interface ServerFigures {
  readonly server: string
  readonly round: number
  readonly requestsPerSecondMean: number
  readonly latencyP50Ms: number
  readonly latencyP99Ms: number
  readonly latencyMeanMs: number
  readonly completedRequests: number
  /** Connection errors and timeouts. */
  readonly errors: number
  readonly timeouts: number
  readonly non2xx: number
  readonly peakRssMb: number
  readonly rssSampleCount: number
  /** Server CPU time over the measured run: 100 is one core fully busy. */
  readonly cpuPercent: number
  /** Server CPU time per completed request, which drifts less than req/s on a shared machine. */
  readonly cpuPerRequestMicroseconds: number
}

const fail = (message: string): never => {
  process.stderr.write(`bench: ${message}\n`)
  process.exit(1)
}

const positiveInteger = (name: string, text: string, maximum: number) => {
  const value = Number(text)
  return Number.isInteger(value) && value >= 1 && value <= maximum ? value : fail(`--${name} must be an integer from 1 to ${maximum}, not "${text}".`)
}

const round1 = (value: number) => Math.round(value * 10) / 10
const round2 = (value: number) => Math.round(value * 100) / 100

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

/** A server started, set up and checked, ready for load. */
interface PreparedServer {
  readonly process: ServerProcess
  readonly file: string
  readonly url: string
  readonly extras: RequestExtras
  readonly idleRssMb: number | undefined
}

/** Starts a server, runs the scenario's setup and checks one response, so no run measures error pages. */
const prepareServer = async (name: string, file: string, scenario: Scenario): Promise<PreparedServer> => {
  process.stdout.write(`${name}: starting ${file}\n`)
  const server = await startServer(name, file)
  liveServers.add(server)
  const extras = scenario.setup === undefined ? {} : await scenario.setup(server.url)
  const url = `${server.url}${scenario.apiPath}`
  const response = await fetch(url, {
    method: scenario.method,
    ...(extras.headers === undefined ? {} : { headers: extras.headers }),
    ...(extras.body === undefined ? {} : { body: extras.body })
  })
  const problem = scenario.checkResponse(response.status, await response.text())
  if (problem !== undefined) throw new Error(`${name} answered ${scenario.method} ${scenario.apiPath} wrongly: ${problem}`)
  return { process: server, file, url, extras, idleRssMb: readRssMb(server.pid) }
}

/** Warm-up (JIT, pools, connections), then the measured run while sampling the server's RSS and CPU time. */
const measureServer = async (server: PreparedServer, scenario: Scenario, settings: LoadSettings, round: number): Promise<ServerFigures> => {
  const name = server.process.name
  process.stdout.write(`round ${round}, ${name}: warm-up ${settings.warmupSeconds} s, then ${settings.durationSeconds} s measured\n`)
  await load(server.url, scenario, server.extras, settings.connections, settings.warmupSeconds)
  const sampler = sampleProcess(server.process.pid)
  const { result, latencyP50Ms, latencyP99Ms, latencyMeanMs } = await load(server.url, scenario, server.extras, settings.connections, settings.durationSeconds)
  const { peakRssMb, sampleCount, cpuMs } = sampler.stop()
  const { child } = server.process
  if (child.exitCode !== null || child.signalCode !== null) {
    throw new Error(`${name} exited during the load (${child.exitCode ?? child.signalCode}): ${server.process.stderrTail().trim()}`)
  }
  return {
    server: name,
    round,
    requestsPerSecondMean: round1(result.requests.average),
    latencyP50Ms: round2(latencyP50Ms),
    latencyP99Ms: round2(latencyP99Ms),
    latencyMeanMs: round2(latencyMeanMs),
    completedRequests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    peakRssMb: round1(peakRssMb),
    rssSampleCount: sampleCount,
    cpuPercent: round1((cpuMs / (result.duration * 1_000)) * 100),
    cpuPerRequestMicroseconds: round1((cpuMs * 1_000) / Math.max(1, result.requests.total))
  }
}

const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((left, right) => left - right)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] ?? 0 : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

/** Over the rounds: medians of throughput and latency, totals of errors, the highest RSS. */
const summarize = (server: PreparedServer, runs: ReadonlyArray<ServerFigures>) => ({
  server: server.process.name,
  file: server.file,
  requestsPerSecondMean: round1(median(runs.map((run) => run.requestsPerSecondMean))),
  latencyP50Ms: round2(median(runs.map((run) => run.latencyP50Ms))),
  latencyP99Ms: round2(median(runs.map((run) => run.latencyP99Ms))),
  errors: runs.reduce((sum, run) => sum + run.errors, 0),
  non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
  cpuPercent: round1(median(runs.map((run) => run.cpuPercent))),
  cpuPerRequestMicroseconds: round1(median(runs.map((run) => run.cpuPerRequestMicroseconds))),
  idleRssMb: server.idleRssMb === undefined ? undefined : round1(server.idleRssMb),
  peakRssMb: Math.max(...runs.map((run) => run.peakRssMb))
})
type ServerSummary = ReturnType<typeof summarize>

const printTable = (rows: ReadonlyArray<{ readonly label: string } & Omit<ServerSummary, "server" | "file" | "idleRssMb">>) => {
  const header = ["server", "req/s", "p50 ms", "p99 ms", "errors", "non-2xx", "peak RSS MB", "CPU %", "CPU µs/req"]
  const lines = rows.map((row) => [
    row.label,
    row.requestsPerSecondMean.toFixed(0),
    row.latencyP50Ms.toFixed(2),
    row.latencyP99Ms.toFixed(2),
    String(row.errors),
    String(row.non2xx),
    row.peakRssMb.toFixed(1),
    row.cpuPercent.toFixed(0),
    row.cpuPerRequestMicroseconds.toFixed(0)
  ])
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? "").length)))
  for (const line of [header, ...lines]) {
    process.stdout.write(`${line.map((cell, column) => cell.padStart(widths[column] ?? 0)).join("  ")}\n`)
  }
}

const gitRevision = () => {
  const git = (...args: Array<string>) => spawnSync("git", args, { cwd: repositoryRoot, encoding: "utf8" }).stdout?.trim() ?? ""
  const head = git("rev-parse", "--short", "HEAD")
  const dirty = git("status", "--porcelain") !== ""
  return head === "" ? "unknown" : `${head}${dirty ? " (uncommitted changes)" : ""}`
}

const main = async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      connections: { type: "string", default: "32" },
      durationSeconds: { type: "string", default: "10" },
      warmupSeconds: { type: "string", default: "3" },
      rounds: { type: "string", default: "1" }
    }
  })
  const scenarioName = positionals[0] ?? fail(`name a scenario: ${Object.keys(scenarios).join(", ")}`)
  const scenario = scenarios[scenarioName] ?? fail(`unknown scenario "${scenarioName}": use ${Object.keys(scenarios).join(", ")}`)
  const settings: LoadSettings = {
    connections: positiveInteger("connections", values.connections, 1_000),
    durationSeconds: positiveInteger("durationSeconds", values.durationSeconds, 600),
    warmupSeconds: positiveInteger("warmupSeconds", values.warmupSeconds, 60),
    rounds: positiveInteger("rounds", values.rounds, 20)
  }

  process.once("SIGINT", () => void stopAllAndExit(130))
  process.once("SIGTERM", () => void stopAllAndExit(143))
  // The whole run is bounded: start-ups and stops, then every warm-up and measured run.
  const deadlineMs = (120 + 2 * settings.rounds * (settings.warmupSeconds + settings.durationSeconds + 10)) * 1_000
  setTimeout(() => {
    process.stderr.write(`bench: still running after ${deadlineMs / 1_000} s, giving up\n`)
    void stopAllAndExit(1)
  }, deadlineMs).unref()

  const startedAt = new Date()
  process.stdout.write(`${scenarioName}: ${scenario.description}\n`)
  process.stdout.write(`${settings.connections} connections, pipelining 1, ${settings.durationSeconds} s measured after ${settings.warmupSeconds} s warm-up, ${settings.rounds} round(s)\n`)
  // Both servers stay up for the whole run, but only one is under load at a time: an idle server
  // costs no CPU, and alternating them spreads the machine's drift over both.
  const baseline = await prepareServer("baseline", scenario.baselineServerFile, scenario)
  const api = await prepareServer("api", apiMainFile, scenario)
  const baselineRuns: Array<ServerFigures> = []
  const apiRuns: Array<ServerFigures> = []
  for (let round = 1; round <= settings.rounds; round += 1) {
    baselineRuns.push(await measureServer(baseline, scenario, settings, round))
    apiRuns.push(await measureServer(api, scenario, settings, round))
  }
  await Promise.all([...liveServers].map(async (server) => {
    await stopServer(server)
    liveServers.delete(server)
  }))

  const summaries = [summarize(baseline, baselineRuns), summarize(api, apiRuns)] as const
  const ratio = round2(summaries[1].requestsPerSecondMean / summaries[0].requestsPerSecondMean)
  process.stdout.write("\n")
  const perRound = settings.rounds > 1
    ? [...baselineRuns, ...apiRuns].map((run) => ({ ...run, label: `${run.server} #${run.round}` }))
    : []
  printTable([...perRound, ...summaries.map((summary) => ({ ...summary, label: settings.rounds > 1 ? `${summary.server} median` : summary.server }))])
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
    summary: summaries,
    ratio,
    runs: [...baselineRuns, ...apiRuns]
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
