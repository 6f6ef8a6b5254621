// Benchmark entry:
//   node bench/run.ts <scenario> [--connections 32] [--durationSeconds 10] [--warmupSeconds 3] [--rounds 1]
//   node bench/run.ts argon2 [--runs 50]   (Argon2id hash and verify times: bench/argon2.ts)
// Starts the scenario's bare baseline server and the real API, each in its own process on a free
// 127.0.0.1 port; then, per round, loads the baseline, then the API, with the same autocannon
// settings and a warm-up each. Prints req/s, latency, errors, peak RSS and CPU per server, where the
// machine's CPU went (Postgres, Redis, load generator, other work) and the API ÷ baseline
// throughput ratio, and writes it all as JSON to bench/results/. A run with errors, non-2xx or
// wrong answers, or whose two servers answer differently shaped JSON, is flagged as no
// measurement (exit code 2). The environment (LOG_LEVEL, DATABASE_URL, REDIS_URL...) reaches both
// servers (and the auth scenarios' fixtures).
import { spawnSync } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { cpus, totalmem } from "node:os"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { load, requestTimeoutSeconds } from "./load.ts"
import { type RequestExtras, type Scenario, scenarios } from "./scenarios.ts"
import { readRssMb, sampleMachine, sampleProcess, type ServerProcess, startServer, stopServer } from "./serverProcess.ts"

const repositoryRoot = fileURLToPath(new URL("..", import.meta.url))
const apiMainFile = fileURLToPath(new URL("../apps/http/src/main.ts", import.meta.url))
const resultsDirectory = fileURLToPath(new URL("./results/", import.meta.url))

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
  /** 2xx answers that were wrong, or requests that could not be made right (RequestExtras.wrongCount). */
  readonly wrongAnswers: number
  readonly peakRssMb: number
  readonly rssSampleCount: number
  /** Server CPU time over the measured run: 100 is one core fully busy. */
  readonly cpuPercent: number
  /** Server CPU time per completed request, which drifts less than req/s on a shared machine. */
  readonly cpuPerRequestMicroseconds: number
  /** Machine-wide over the measured run, 100 = one core: all busy CPU, then its shares. */
  readonly host: {
    readonly busyPercent: number
    readonly postgresPercent: number
    readonly redisPercent: number
    readonly loadGeneratorPercent: number
    /** Busy time not taken by the server, Postgres, Redis or the load generator: other work on the machine. */
    readonly otherPercent: number
    readonly postgresCpuPerRequestMicroseconds: number
    readonly redisCpuPerRequestMicroseconds: number
  }
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

// Servers alive right now, so an interrupted run (Ctrl-C, deadline) does not leave them behind;
// and the scenario's teardown (test users to delete), run once whatever happens.
const liveServers = new Set<ServerProcess>()
let pendingTeardown: (() => Promise<void>) | undefined
const runTeardown = async () => {
  const teardown = pendingTeardown
  pendingTeardown = undefined
  if (teardown === undefined) return
  await teardown().catch((error: unknown) => {
    process.stderr.write(`bench: teardown failed: ${error instanceof Error ? error.message : String(error)}\n`)
  })
}
const stopAllAndExit = async (exitCode: number) => {
  await Promise.allSettled([...liveServers].map(stopServer))
  await runTeardown()
  process.exit(exitCode)
}

// CPU of other processes on the machine (not the server, Postgres, Redis or the load generator)
// above this share of a core during a measured run marks the run as disturbed.
const disturbedOtherPercent = 15

/** A server started, set up and checked, ready for load. */
interface PreparedServer {
  readonly process: ServerProcess
  readonly file: string
  readonly url: string
  readonly extras: RequestExtras
  readonly idleRssMb: number | undefined
  /** The body of the checked response. */
  readonly checkedBody: string
}

/** The key paths of a JSON value (`user.fullName`, `roles[]`), to compare the shapes of two answers. */
const jsonShape = (value: unknown, path = ""): Array<string> => {
  if (Array.isArray(value)) return value.length === 0 ? [`${path}[]`] : jsonShape(value[0], `${path}[]`)
  if (typeof value !== "object" || value === null) return [path]
  return Object.entries(value).flatMap(([key, child]) => jsonShape(child, path === "" ? key : `${path}.${key}`))
}

/** What one answer has that the other lacks, or undefined when their JSON shapes agree. */
const shapeDifference = (baselineBody: string, apiBody: string): string | undefined => {
  const parse = (body: string): unknown => {
    try {
      return JSON.parse(body)
    } catch {
      return undefined
    }
  }
  const baselineKeys = new Set(jsonShape(parse(baselineBody)))
  const apiKeys = new Set(jsonShape(parse(apiBody)))
  const onlyApi = [...apiKeys].filter((key) => !baselineKeys.has(key))
  const onlyBaseline = [...baselineKeys].filter((key) => !apiKeys.has(key))
  return onlyApi.length === 0 && onlyBaseline.length === 0
    ? undefined
    : `only the api answers ${onlyApi.join(", ") || "nothing more"}; only the baseline answers ${onlyBaseline.join(", ") || "nothing more"}`
}

/** Starts a server, runs the scenario's setup and checks one response, so no run measures error pages. */
const prepareServer = async (name: string, file: string, scenario: Scenario, settings: LoadSettings): Promise<PreparedServer> => {
  process.stdout.write(`${name}: starting ${file}\n`)
  const server = await startServer(name, file, scenario.environment)
  liveServers.add(server)
  const extras = scenario.setup === undefined
    ? {}
    : await scenario.setup(server.url, { connections: settings.connections, runs: 2 * settings.rounds })
  const url = `${server.url}${scenario.apiPath}`
  const response = await fetch(`${server.url}${extras.checkPath ?? scenario.apiPath}`, {
    method: scenario.method,
    ...(extras.headers === undefined ? {} : { headers: extras.headers }),
    ...(extras.body === undefined ? {} : { body: extras.body })
  })
  const checkedBody = await response.text()
  const problem = scenario.checkResponse(response.status, checkedBody)
  if (problem !== undefined) throw new Error(`${name} answered ${scenario.method} ${extras.checkPath ?? scenario.apiPath} wrongly: ${problem}`)
  return { process: server, file, url, extras, idleRssMb: readRssMb(server.pid), checkedBody }
}

/** Warm-up (JIT, pools, connections), then the measured run while sampling the server's RSS and CPU time. */
const measureServer = async (server: PreparedServer, scenario: Scenario, settings: LoadSettings, round: number): Promise<ServerFigures> => {
  const name = server.process.name
  process.stdout.write(`round ${round}, ${name}: warm-up ${settings.warmupSeconds} s, then ${settings.durationSeconds} s measured\n`)
  await load(server.url, scenario, server.extras, settings.connections, settings.warmupSeconds)
  const wrongBefore = server.extras.wrongCount?.() ?? 0
  const sampler = sampleProcess(server.process.pid)
  const machine = sampleMachine()
  const { result, latencyP50Ms, latencyP99Ms, latencyMeanMs } = await load(server.url, scenario, server.extras, settings.connections, settings.durationSeconds)
  const { peakRssMb, sampleCount, cpuMs } = sampler.stop()
  const hostMs = machine.stop()
  const wrongAnswers = (server.extras.wrongCount?.() ?? 0) - wrongBefore
  const percentOfRun = (ms: number) => round1((ms / (result.duration * 1_000)) * 100)
  if (server.extras.status !== undefined) process.stdout.write(`  ${name}: ${server.extras.status()}\n`)
  const { child } = server.process
  if (child.exitCode !== null || child.signalCode !== null) {
    throw new Error(`${name} exited during the load (${child.exitCode ?? child.signalCode}): ${server.process.stderrTail().trim()}`)
  }
  const figures: ServerFigures = {
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
    wrongAnswers,
    peakRssMb: round1(peakRssMb),
    rssSampleCount: sampleCount,
    cpuPercent: round1((cpuMs / (result.duration * 1_000)) * 100),
    cpuPerRequestMicroseconds: round1((cpuMs * 1_000) / Math.max(1, result.requests.total)),
    host: {
      busyPercent: percentOfRun(hostMs.machineMs),
      postgresPercent: percentOfRun(hostMs.postgresMs),
      redisPercent: percentOfRun(hostMs.redisMs),
      loadGeneratorPercent: percentOfRun(hostMs.loadGeneratorMs),
      otherPercent: percentOfRun(Math.max(0, hostMs.machineMs - cpuMs - hostMs.postgresMs - hostMs.redisMs - hostMs.loadGeneratorMs)),
      postgresCpuPerRequestMicroseconds: round1((hostMs.postgresMs * 1_000) / Math.max(1, result.requests.total)),
      redisCpuPerRequestMicroseconds: round1((hostMs.redisMs * 1_000) / Math.max(1, result.requests.total))
    }
  }
  const { host } = figures
  process.stdout.write(
    `  host: ${host.busyPercent.toFixed(0)} % busy = ${name} ${figures.cpuPercent.toFixed(0)}, postgres ${host.postgresPercent.toFixed(0)} (${host.postgresCpuPerRequestMicroseconds.toFixed(0)} µs/req), ` +
      `redis ${host.redisPercent.toFixed(0)} (${host.redisCpuPerRequestMicroseconds.toFixed(0)} µs/req), load generator ${host.loadGeneratorPercent.toFixed(0)}, other ${host.otherPercent.toFixed(0)}\n`
  )
  if (host.otherPercent > disturbedOtherPercent) {
    process.stdout.write(`  (other work took ${host.otherPercent.toFixed(0)} % of a core during this run: its figures are disturbed)\n`)
  }
  return figures
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
  wrongAnswers: runs.reduce((sum, run) => sum + run.wrongAnswers, 0),
  cpuPercent: round1(median(runs.map((run) => run.cpuPercent))),
  cpuPerRequestMicroseconds: round1(median(runs.map((run) => run.cpuPerRequestMicroseconds))),
  postgresCpuPerRequestMicroseconds: round1(median(runs.map((run) => run.host.postgresCpuPerRequestMicroseconds))),
  redisCpuPerRequestMicroseconds: round1(median(runs.map((run) => run.host.redisCpuPerRequestMicroseconds))),
  /** The most CPU other work took on the machine during one of these runs (100 = one core). */
  hostOtherPercentMax: Math.max(...runs.map((run) => run.host.otherPercent)),
  idleRssMb: server.idleRssMb === undefined ? undefined : round1(server.idleRssMb),
  peakRssMb: Math.max(...runs.map((run) => run.peakRssMb))
})
type ServerSummary = ReturnType<typeof summarize>

const printTable = (rows: ReadonlyArray<{ readonly label: string } & Pick<ServerSummary, "requestsPerSecondMean" | "latencyP50Ms" | "latencyP99Ms" | "errors" | "non2xx" | "wrongAnswers" | "peakRssMb" | "cpuPercent" | "cpuPerRequestMicroseconds">>) => {
  const header = ["server", "req/s", "p50 ms", "p99 ms", "errors", "non-2xx", "wrong", "peak RSS MB", "CPU %", "CPU µs/req"]
  const lines = rows.map((row) => [
    row.label,
    row.requestsPerSecondMean.toFixed(0),
    row.latencyP50Ms.toFixed(2),
    row.latencyP99Ms.toFixed(2),
    String(row.errors),
    String(row.non2xx),
    String(row.wrongAnswers),
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
      rounds: { type: "string", default: "1" },
      runs: { type: "string" }
    }
  })
  if (positionals[0] === "argon2") {
    const { measureArgon2 } = await import("./argon2.ts")
    await measureArgon2({ runs: values.runs === undefined ? undefined : positiveInteger("runs", values.runs, 10_000) })
    return
  }
  const scenarioName = positionals[0] ?? fail(`name a scenario: ${Object.keys(scenarios).join(", ")}, or argon2`)
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
  const deadlineMs = (120 + (scenario.setupSeconds ?? 0) + 2 * settings.rounds * (settings.warmupSeconds + settings.durationSeconds + 10)) * 1_000
  setTimeout(() => {
    process.stderr.write(`bench: still running after ${deadlineMs / 1_000} s, giving up\n`)
    void stopAllAndExit(1)
  }, deadlineMs).unref()

  const startedAt = new Date()
  process.stdout.write(`${scenarioName}: ${scenario.description}\n`)
  process.stdout.write(`${settings.connections} connections, pipelining 1, ${settings.durationSeconds} s measured after ${settings.warmupSeconds} s warm-up, ${settings.rounds} round(s)\n`)
  // Both servers stay up for the whole run, but only one is under load at a time: an idle server
  // costs no CPU, and alternating them spreads the machine's drift over both.
  pendingTeardown = scenario.teardown
  const baseline = await prepareServer("baseline", scenario.baselineServerFile, scenario, settings)
  const api = await prepareServer("api", apiMainFile, scenario, settings)
  // The baseline must answer what the API answers: a field the API gained since (or lost) means
  // the baseline no longer does the same work, and the run does not count.
  const differentShape = shapeDifference(baseline.checkedBody, api.checkedBody)
  if (differentShape !== undefined) process.stdout.write(`WARNING: the two answers differ in shape: ${differentShape}\n`)
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
  await runTeardown()

  const summaries = [summarize(baseline, baselineRuns), summarize(api, apiRuns)] as const
  const ratio = round2(summaries[1].requestsPerSecondMean / summaries[0].requestsPerSecondMean)
  process.stdout.write("\n")
  const perRound = settings.rounds > 1
    ? [...baselineRuns, ...apiRuns].map((run) => ({ ...run, label: `${run.server} #${run.round}` }))
    : []
  printTable([...perRound, ...summaries.map((summary) => ({ ...summary, label: settings.rounds > 1 ? `${summary.server} median` : summary.server }))])
  process.stdout.write(`\nratio api ÷ baseline req/s: ${ratio.toFixed(2)}\n`)
  // A server that answered errors did less work than asked: its figures measure nothing.
  const failures = [...baselineRuns, ...apiRuns].filter((run) => run.errors + run.timeouts + run.non2xx + run.wrongAnswers > 0)
  const valid = failures.length === 0 && differentShape === undefined
  if (differentShape !== undefined) process.stdout.write(`NOT A MEASUREMENT: the baseline's answer differs from the API's (${differentShape})\n`)
  const disturbed = [...baselineRuns, ...apiRuns].filter((run) => run.host.otherPercent > disturbedOtherPercent)
  if (disturbed.length > 0) {
    process.stdout.write(`disturbed runs (other work above ${disturbedOtherPercent} % of a core): ${disturbed.map((run) => `${run.server} #${run.round} (${run.host.otherPercent.toFixed(0)} %)`).join(", ")}: re-run on a quiet machine\n`)
  }
  if (failures.length > 0) {
    process.stdout.write(`NOT A MEASUREMENT: ${failures.map((run) => `${run.server} #${run.round} had ${run.errors} errors, ${run.timeouts} timeouts, ${run.non2xx} non-2xx, ${run.wrongAnswers} wrong answers`).join("; ")}\n`)
  }

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
    valid,
    ...(differentShape === undefined ? {} : { shapeDifference: differentShape }),
    runs: [...baselineRuns, ...apiRuns]
  }
  mkdirSync(resultsDirectory, { recursive: true })
  const resultsFile = `${resultsDirectory}${scenarioName}-${startedAt.toISOString().slice(0, 19).replaceAll(":", "-")}Z.json`
  writeFileSync(resultsFile, `${JSON.stringify(report, null, 2)}\n`)
  process.stdout.write(`results: ${resultsFile}\n`)
  if (!valid) process.exitCode = 2
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    // Some failures (an Effect's squashed cause) carry no message: then the stack or the value says more.
    const text = error instanceof Error ? (error.message !== "" ? error.message : error.stack ?? error.name) : String(error)
    process.stderr.write(`bench: ${text}\n`)
    void stopAllAndExit(1)
  }
)
