// Argon2id hash and verify times at the API's parameters (PasswordHasherArgon2: ARGON2_MEMORY_KIB,
// ARGON2_TIME_COST, ARGON2_PARALLELISM, defaults 19 456 KiB, 2 passes, 1 lane) and, for comparison,
// at the argon2 library's own defaults (65 536 KiB, 3 passes, 4 lanes).
//   npm run bench -- argon2 [--runs 50]    (= node bench/run.ts argon2; or node bench/argon2.ts)
// Per parameter set: a few warm-up hashes, then `runs` hashes one after the other, then `runs`
// verifies of a right password one after the other (median, p95, min, max of the wall time, and the
// CPU time per operation, all threads: the work runs on libuv's thread pool); then a burst of
// `runs` hashes started at once, as a wave of sign-ups would (libuv runs 4 at a time by default),
// whose total time gives the hashes per second this machine sustains.
import { mkdirSync, writeFileSync } from "node:fs"
import { cpus } from "node:os"
import { fileURLToPath } from "node:url"
import { argon2id, hash, verify } from "argon2"
import { Effect } from "effect"
import { Argon2Config } from "@nelo/adapters/auth/PasswordHasherArgon2"

const resultsDirectory = fileURLToPath(new URL("./results/", import.meta.url))
const defaultRuns = 50
const warmupHashes = 3
const password = "correct horse battery staple 42"

interface Parameters {
  readonly name: string
  readonly memoryKib: number
  readonly timeCost: number
  readonly parallelism: number
}

const round2 = (value: number) => Math.round(value * 100) / 100

/** Nearest-rank percentile of values sorted ascending. */
const percentile = (sorted: ReadonlyArray<number>, percent: number) =>
  sorted[Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1)] ?? 0

const cpuMsNow = () => {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1_000
}

const summarize = (durationsMs: ReadonlyArray<number>, cpuMs: number) => {
  const sorted = [...durationsMs].sort((left, right) => left - right)
  return {
    medianMs: round2(percentile(sorted, 50)),
    p95Ms: round2(percentile(sorted, 95)),
    minMs: round2(sorted[0] ?? 0),
    maxMs: round2(sorted.at(-1) ?? 0),
    cpuMsPerOperation: round2(cpuMs / Math.max(1, durationsMs.length))
  }
}

/** Runs `operation` `runs` times one after the other, timing each. */
const sequential = async (runs: number, operation: () => Promise<unknown>) => {
  const durationsMs: Array<number> = []
  const cpuBefore = cpuMsNow()
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now()
    await operation()
    durationsMs.push(performance.now() - started)
  }
  return summarize(durationsMs, cpuMsNow() - cpuBefore)
}

const measure = async (parameters: Parameters, runs: number) => {
  const options = { type: argon2id as 2, memoryCost: parameters.memoryKib, timeCost: parameters.timeCost, parallelism: parameters.parallelism }
  for (let run = 0; run < warmupHashes; run += 1) await hash(password, options)
  const hashed = await sequential(runs, () => hash(password, options))
  const stored = await hash(password, options)
  const verified = await sequential(runs, async () => {
    if (!(await verify(stored, password))) throw new Error("argon2 verify refused the right password")
  })
  // The burst: all at once; each hash's own time includes its wait for a pool thread.
  const burstDurationsMs: Array<number> = []
  const cpuBefore = cpuMsNow()
  const burstStarted = performance.now()
  await Promise.all(Array.from({ length: runs }, async () => {
    const started = performance.now()
    await hash(password, options)
    burstDurationsMs.push(performance.now() - started)
  }))
  const burstMs = performance.now() - burstStarted
  const burst = summarize(burstDurationsMs, cpuMsNow() - cpuBefore)
  return {
    ...parameters,
    encoded: stored.slice(0, stored.lastIndexOf("$", stored.lastIndexOf("$") - 1)),
    hash: hashed,
    verify: verified,
    burst: { ...burst, hashes: runs, totalMs: round2(burstMs), hashesPerSecond: round2((runs * 1_000) / burstMs) },
    // Peak RSS of this process so far (the sets run in order, so this grows with the largest).
    peakRssMbSoFar: round2(process.resourceUsage().maxRSS / 1024)
  }
}

export const measureArgon2 = async (options: { readonly runs?: number | undefined } = {}) => {
  const runs = options.runs ?? defaultRuns
  const api = await Effect.runPromise(Effect.gen(function*() {
    return yield* Argon2Config
  }))
  const parameterSets: ReadonlyArray<Parameters> = [
    { name: "api (ARGON2_* or defaults)", ...api },
    { name: "argon2 library defaults", memoryKib: 65_536, timeCost: 3, parallelism: 4 }
  ]
  const startedAt = new Date()
  process.stdout.write(`argon2id: ${runs} hashes and ${runs} verifies one at a time, then a burst of ${runs} hashes at once (UV_THREADPOOL_SIZE ${process.env["UV_THREADPOOL_SIZE"] ?? "4 (default)"}), ${cpus().length} CPUs\n`)
  const results = []
  for (const parameters of parameterSets) {
    process.stdout.write(`measuring m=${parameters.memoryKib} KiB, t=${parameters.timeCost}, p=${parameters.parallelism} (${parameters.name})...\n`)
    results.push(await measure(parameters, runs))
  }
  process.stdout.write("\n")
  const header = ["parameters", "operation", "median ms", "p95 ms", "min ms", "max ms", "CPU ms/op", "per s"]
  const lines = results.flatMap((result) => {
    const label = `m=${result.memoryKib} t=${result.timeCost} p=${result.parallelism}`
    const row = (operation: string, figures: ReturnType<typeof summarize>, perSecond: string) =>
      [label, operation, figures.medianMs.toFixed(1), figures.p95Ms.toFixed(1), figures.minMs.toFixed(1), figures.maxMs.toFixed(1), figures.cpuMsPerOperation.toFixed(1), perSecond]
    return [
      row("hash", result.hash, (1_000 / result.hash.medianMs).toFixed(0)),
      row("verify", result.verify, (1_000 / result.verify.medianMs).toFixed(0)),
      row(`burst of ${result.burst.hashes}`, result.burst, result.burst.hashesPerSecond.toFixed(0))
    ]
  })
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? "").length)))
  for (const line of [header, ...lines]) {
    process.stdout.write(`${line.map((cell, column) => column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)).join("  ")}\n`)
  }
  process.stdout.write(`\npeak RSS of this process: ${results.map((result) => `${result.peakRssMbSoFar} MB after m=${result.memoryKib}`).join(", ")}\n`)

  const report = {
    scenario: "argon2",
    startedAt: startedAt.toISOString(),
    settings: { runs, warmupHashes, uvThreadpoolSize: process.env["UV_THREADPOOL_SIZE"] ?? "4 (default)" },
    environment: { node: process.version, cpuCount: cpus().length, cpuModel: cpus()[0]?.model ?? "unknown" },
    results
  }
  mkdirSync(resultsDirectory, { recursive: true })
  const resultsFile = `${resultsDirectory}argon2-${startedAt.toISOString().slice(0, 19).replaceAll(":", "-")}Z.json`
  writeFileSync(resultsFile, `${JSON.stringify(report, null, 2)}\n`)
  process.stdout.write(`results: ${resultsFile}\n`)
}

// Run directly: node bench/argon2.ts [runs]
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const runs = process.argv[2] === undefined ? undefined : Number(process.argv[2])
  if (runs !== undefined && !(Number.isInteger(runs) && runs >= 1)) {
    process.stderr.write("usage: node bench/argon2.ts [runs]\n")
    process.exit(1)
  }
  await measureArgon2({ runs })
}
