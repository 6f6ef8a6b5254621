// Where a server's CPU goes on one scenario: V8's sampling profiler on the server's main thread,
// under the same load as bench/run.ts, then the samples of the measured window (not start-up,
// set-up or warm-up) are summed by package and by function.
//   node bench/profile.ts <scenario> [--server api|baseline|both] [--connections 32]
//     [--durationSeconds 10] [--warmupSeconds 3] [--intervalMicroseconds 200] [--top 30]
// The profiler slows the server a little (a sample every 200 µs): compare categories, not req/s.
// Profiles and the summary go to bench/results/profile-<scenario>-<server>-<timestamp>.{cpuprofile,json}.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { load } from "./load.ts"
import { scenarios, type Scenario } from "./scenarios.ts"
import { readCpuMs, type ServerProcess, startServer, stopServer } from "./serverProcess.ts"

const repositoryRoot = fileURLToPath(new URL("..", import.meta.url))
const apiMainFile = fileURLToPath(new URL("../apps/http/src/main.ts", import.meta.url))
const resultsDirectory = fileURLToPath(new URL("./results/", import.meta.url))

interface CallFrame {
  readonly functionName: string
  readonly url: string
  readonly lineNumber: number
}
interface ProfileNode {
  readonly id: number
  readonly callFrame: CallFrame
}
interface CpuProfile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly startTime: number
  readonly endTime: number
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

// The server being profiled, so that the deadline does not leave it behind.
let liveServer: ServerProcess | undefined

const fail = (message: string): never => {
  process.stderr.write(`profile: ${message}\n`)
  process.exit(1)
}

/** Which part of the stack a function belongs to: a package (effect split by area), Node's internals, our code. */
const categoryOf = ({ functionName, url }: CallFrame): string => {
  if (functionName === "(garbage collector)") return "V8: garbage collector"
  if (functionName === "(idle)") return "(idle)"
  if (functionName === "(program)") return "V8: (program), native code not attributed"
  if (functionName === "(root)") return "V8: (root)"
  if (url === "") return "V8/native builtins"
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/u.exec(url)
  if (inPackage !== null) {
    const [, name = "", path = ""] = inPackage
    if (name !== "effect") return name
    if (/^dist\/(?:internal\/)?schema\/|^dist\/Schema[A-Za-z]*\.js$|^dist\/internal\/schema/u.test(path)) return "effect: Schema"
    if (path.startsWith("dist/http-api/")) return "effect: http-api (HttpApi builder, middleware, codecs)"
    if (path.startsWith("dist/http/")) return "effect: http (router, request, response)"
    if (path.startsWith("dist/sql/")) return "effect: sql"
    if (/^dist\/(?:internal\/)?(?:effect|core|fiber|runtime|scheduler|layer|context|Effect)\b/u.test(path)) return "effect: runtime (fibers, Effect.gen, context)"
    return `effect: ${path.replace(/^dist\//u, "")}`
  }
  if (url.startsWith("node:")) {
    const area = /^node:(?:internal\/)?([a-z_]+)/u.exec(url)?.[1] ?? url
    return `node: ${area}`
  }
  const local = url.startsWith("file://") ? fileURLToPath(url) : url
  if (local.startsWith(repositoryRoot)) return `nelo: ${local.slice(repositoryRoot.length)}`
  return url
}

/** Self time by category and by function over [fromMicros, toMicros] of the profile's clock. */
const summarizeProfile = (profile: CpuProfile, fromMicros: number, toMicros: number) => {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const byCategory = new Map<string, number>()
  const byFunction = new Map<string, number>()
  let timestamp = profile.startTime
  let busyMicros = 0
  let idleMicros = 0
  for (let index = 0; index < profile.samples.length; index += 1) {
    timestamp += profile.timeDeltas[index] ?? 0
    // A sample stands for the time until the next one.
    const weight = profile.timeDeltas[index + 1] ?? 0
    if (timestamp < fromMicros || timestamp > toMicros) continue
    const node = nodes.get(profile.samples[index] ?? -1)
    if (node === undefined) continue
    const category = categoryOf(node.callFrame)
    if (category === "(idle)") {
      idleMicros += weight
      continue
    }
    busyMicros += weight
    byCategory.set(category, (byCategory.get(category) ?? 0) + weight)
    const { functionName, url, lineNumber } = node.callFrame
    const where = url === "" ? "" : ` ${url.replace(/^file:\/\//u, "").replace(repositoryRoot, "").replace(/^.*node_modules\//u, "")}:${lineNumber + 1}`
    const key = `${functionName || "(anonymous)"}${where}`
    byFunction.set(key, (byFunction.get(key) ?? 0) + weight)
  }
  return { byCategory, byFunction, busyMicros, idleMicros }
}

const profileServer = async (name: "api" | "baseline", scenario: Scenario, options: {
  readonly scenarioName: string
  readonly connections: number
  readonly durationSeconds: number
  readonly warmupSeconds: number
  readonly intervalMicroseconds: number
  readonly top: number
}) => {
  const profileDirectory = mkdtempSync(join(tmpdir(), "nelo-bench-profile-"))
  const file = name === "api" ? apiMainFile : scenario.baselineServerFile
  process.stdout.write(`${name}: starting ${file} with --cpu-prof\n`)
  const server = await startServer(name, file, scenario.environment, ["--cpu-prof", `--cpu-prof-dir=${profileDirectory}`, `--cpu-prof-interval=${options.intervalMicroseconds}`])
  liveServer = server
  try {
    const extras = scenario.setup === undefined ? {} : await scenario.setup(server.url, { connections: options.connections, runs: 2 })
    const url = `${server.url}${scenario.apiPath}`
    const check = await fetch(`${server.url}${extras.checkPath ?? scenario.apiPath}`, {
      method: scenario.method,
      ...(extras.headers === undefined ? {} : { headers: extras.headers }),
      ...(extras.body === undefined ? {} : { body: extras.body })
    })
    const problem = scenario.checkResponse(check.status, await check.text())
    if (problem !== undefined) throw new Error(`${name} answered wrongly: ${problem}`)
    process.stdout.write(`${name}: warm-up ${options.warmupSeconds} s, then ${options.durationSeconds} s profiled\n`)
    await load(url, scenario, extras, options.connections, options.warmupSeconds)
    const wrongBefore = extras.wrongCount?.() ?? 0
    const cpuBeforeMs = readCpuMs(server.pid) ?? 0
    // The profile's clock is the monotonic clock, as process.hrtime's.
    const fromMicros = Number(process.hrtime.bigint() / 1_000n)
    const { result } = await load(url, scenario, extras, options.connections, options.durationSeconds)
    const toMicros = Number(process.hrtime.bigint() / 1_000n)
    const processCpuMs = (readCpuMs(server.pid) ?? cpuBeforeMs) - cpuBeforeMs
    const wrong = (extras.wrongCount?.() ?? 0) - wrongBefore
    await stopServer(server)
    const profileFile = readdirSync(profileDirectory).find((entry) => entry.endsWith(".cpuprofile"))
    if (profileFile === undefined) throw new Error(`${name} wrote no profile (killed before it could?)`)
    const profile = JSON.parse(readFileSync(join(profileDirectory, profileFile), "utf8")) as CpuProfile
    if (fromMicros < profile.startTime || toMicros > profile.endTime) {
      process.stdout.write(`WARNING: the measured window is not inside the profile's time span: categories may be off\n`)
    }
    const summary = summarizeProfile(profile, fromMicros, toMicros)
    const requests = Math.max(1, result.requests.total)
    const perRequest = (micros: number) => micros / requests
    process.stdout.write(
      `\n${name}: ${result.requests.total} requests (${result.requests.average.toFixed(0)} req/s under the profiler), ${result.errors} errors, ${result.non2xx} non-2xx, ${wrong} wrong; ` +
        `process CPU ${((processCpuMs * 1_000) / requests).toFixed(0)} µs/req (all threads), main thread busy ${perRequest(summary.busyMicros).toFixed(0)} µs/req, idle ${perRequest(summary.idleMicros).toFixed(0)} µs/req\n`
    )
    const categories = [...summary.byCategory].sort((left, right) => right[1] - left[1])
    const categoryWidth = Math.max(...categories.map(([category]) => category.length))
    process.stdout.write(`${"category".padEnd(categoryWidth)}  µs/req  % of busy\n`)
    for (const [category, micros] of categories) {
      process.stdout.write(`${category.padEnd(categoryWidth)}  ${perRequest(micros).toFixed(1).padStart(6)}  ${((micros / summary.busyMicros) * 100).toFixed(1).padStart(9)}\n`)
    }
    const functions = [...summary.byFunction].sort((left, right) => right[1] - left[1]).slice(0, options.top)
    process.stdout.write(`\ntop ${options.top} functions by self time (µs/req):\n`)
    for (const [key, micros] of functions) process.stdout.write(`${perRequest(micros).toFixed(1).padStart(6)}  ${key}\n`)

    mkdirSync(resultsDirectory, { recursive: true })
    const stamp = new Date().toISOString().slice(0, 19).replaceAll(":", "-")
    const base = `${resultsDirectory}profile-${options.scenarioName}-${name}-${stamp}Z`
    copyFileSync(join(profileDirectory, profileFile), `${base}.cpuprofile`)
    writeFileSync(`${base}.json`, `${JSON.stringify({
      scenario: options.scenarioName,
      server: name,
      settings: options,
      requests: result.requests.total,
      requestsPerSecond: result.requests.average,
      errors: result.errors,
      non2xx: result.non2xx,
      wrong,
      processCpuMicrosecondsPerRequest: (processCpuMs * 1_000) / requests,
      mainThreadBusyMicrosecondsPerRequest: perRequest(summary.busyMicros),
      categories: Object.fromEntries(categories.map(([category, micros]) => [category, perRequest(micros)])),
      functions: Object.fromEntries(functions.map(([key, micros]) => [key, perRequest(micros)]))
    }, null, 2)}\n`)
    process.stdout.write(`profile: ${base}.cpuprofile (open in Chrome DevTools), summary: ${base}.json\n\n`)
  } finally {
    await stopServer(server)
    liveServer = undefined
    rmSync(profileDirectory, { recursive: true, force: true })
  }
}

const main = async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      server: { type: "string", default: "both" },
      connections: { type: "string", default: "32" },
      durationSeconds: { type: "string", default: "10" },
      warmupSeconds: { type: "string", default: "3" },
      intervalMicroseconds: { type: "string", default: "200" },
      top: { type: "string", default: "30" }
    }
  })
  const scenarioName = positionals[0] ?? fail(`name a scenario: ${Object.keys(scenarios).join(", ")}`)
  const scenario = scenarios[scenarioName] ?? fail(`unknown scenario "${scenarioName}"`)
  const integer = (name: string, text: string) => {
    const value = Number(text)
    return Number.isInteger(value) && value >= 1 && value <= 100_000 ? value : fail(`--${name}: a positive integer, not "${text}"`)
  }
  const options = {
    scenarioName,
    connections: integer("connections", values.connections),
    durationSeconds: integer("durationSeconds", values.durationSeconds),
    warmupSeconds: integer("warmupSeconds", values.warmupSeconds),
    intervalMicroseconds: integer("intervalMicroseconds", values.intervalMicroseconds),
    top: integer("top", values.top)
  }
  const serverChoices: Readonly<Record<string, ReadonlyArray<"api" | "baseline">>> = { both: ["baseline", "api"], api: ["api"], baseline: ["baseline"] }
  const servers = serverChoices[values.server] ?? fail("--server: api, baseline or both")
  // Bounded like run.ts: start-ups, set-ups, the loads and the stops.
  setTimeout(() => {
    process.stderr.write("profile: still running after the deadline, giving up\n")
    liveServer?.child.kill("SIGKILL")
    process.exit(1)
  }, (120 + (scenario.setupSeconds ?? 0) + servers.length * (options.warmupSeconds + options.durationSeconds + 30)) * 1_000).unref()
  try {
    for (const name of servers) await profileServer(name, scenario, options)
  } finally {
    await scenario.teardown?.()
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`profile: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
    process.exit(1)
  }
)
