import { type ChildProcess, spawn } from "node:child_process"
import { readdirSync, readFileSync } from "node:fs"
import { createServer } from "node:net"
import { setTimeout as sleep } from "node:timers/promises"

/** A server under test, in its own process so its memory is its own. */
export interface ServerProcess {
  readonly name: string
  readonly url: string
  readonly pid: number
  readonly child: ChildProcess
  /** The end of its stderr, to explain a failed start. */
  readonly stderrTail: () => string
}

const startTimeoutMs = 30_000
const stopGraceMs = 5_000
const stderrKeptChars = 4_000

/** A port nobody listens on right now (the OS picks it; the tiny race before the child binds it is acceptable here). */
export const findFreePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer()
    probe.once("error", reject)
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error("no free port"))))
    })
  })

/**
 * Starts `node <file>` listening on 127.0.0.1 and resolves once it answers HTTP (any status).
 * Its stdout (the API's access log) goes to /dev/null: piping it here would make the load
 * generator's process pay for reading it, and Node writes to files synchronously as it would to a
 * collector's pipe.
 */
export const startServer = async (
  name: string,
  file: string,
  extraEnv: Readonly<Record<string, string>> = {},
  nodeArguments: ReadonlyArray<string> = []
): Promise<ServerProcess> => {
  const port = await findFreePort()
  const child = spawn(process.execPath, [...nodeArguments, file], {
    env: { ...process.env, ...extraEnv, HTTP_HOST: "127.0.0.1", HTTP_PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"]
  })
  let stderr = ""
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-stderrKeptChars)
  })
  if (child.pid === undefined) throw new Error(`${name}: could not spawn ${file}`)
  const server: ServerProcess = { name, url: `http://127.0.0.1:${port}`, pid: child.pid, child, stderrTail: () => stderr }
  const deadline = Date.now() + startTimeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited during start-up (${child.exitCode ?? child.signalCode}): ${stderr.trim()}`)
    }
    const answered = await fetch(`${server.url}/`, { signal: AbortSignal.timeout(1_000) }).then(
      async (response) => { await response.arrayBuffer(); return true },
      () => false
    )
    if (answered) return server
    await sleep(200)
  }
  await stopServer(server)
  throw new Error(`${name} did not answer on ${server.url} within ${startTimeoutMs / 1_000} s: ${stderr.trim()}`)
}

/** SIGTERM, then SIGKILL if it has not exited after a few seconds. */
export const stopServer = async (server: ServerProcess): Promise<void> => {
  const { child } = server
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  child.kill("SIGTERM")
  const stoppedInTime = await Promise.race([exited.then(() => true), sleep(stopGraceMs).then(() => false)])
  if (!stoppedInTime) {
    child.kill("SIGKILL")
    await exited
  }
}

/** Resident memory of a process, from /proc (Linux only); undefined once it has exited. */
export const readRssMb = (pid: number): number | undefined => {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/mu.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
    return match?.[1] === undefined ? undefined : Number(match[1]) / 1024
  } catch {
    return undefined
  }
}

// Linux reports CPU time in clock ticks of 1/USER_HZ s; USER_HZ is 100 on every common build.
const clockTicksPerSecond = 100

/** User + system CPU time a process has used so far, all its threads included; undefined once it has exited. */
export const readCpuMs = (pid: number): number | undefined => {
  try {
    // Fields after the command name, which is in parentheses and may contain spaces: utime is the 14th field, stime the 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return ((Number(fields[11]) + Number(fields[12])) * 1_000) / clockTicksPerSecond
  } catch {
    return undefined
  }
}

/**
 * Samples a process's RSS every intervalMs until stopped, and its CPU time at both ends; returns
 * the peak RSS, the sample count and the CPU time used meanwhile. A synchronous read of /proc
 * takes microseconds, so the sampler barely delays the load generator.
 */
export const sampleProcess = (pid: number, intervalMs = 100) => {
  const startCpuMs = readCpuMs(pid) ?? 0
  let peakRssMb = readRssMb(pid) ?? 0
  let sampleCount = 1
  const timer = setInterval(() => {
    const rssMb = readRssMb(pid)
    if (rssMb === undefined) return
    peakRssMb = Math.max(peakRssMb, rssMb)
    sampleCount += 1
  }, intervalMs)
  return {
    stop: () => {
      clearInterval(timer)
      return { peakRssMb, sampleCount, cpuMs: (readCpuMs(pid) ?? startCpuMs) - startCpuMs }
    }
  }
}

/** Busy CPU time of the whole machine so far, all cores (user, nice, system, irq, softirq, steal of /proc/stat). */
export const readMachineBusyMs = (): number => {
  const fields = (readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "").trim().split(/\s+/u).slice(1).map(Number)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields
  return ((user + nice + system + irq + softirq + steal) * 1_000) / clockTicksPerSecond
}

/** CPU time so far of every process whose command name (/proc/<pid>/comm) is one of these, by pid. */
const readCommandsCpuMs = (commands: ReadonlySet<string>): Map<number, number> => {
  const found = new Map<number, number>()
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/u.test(entry)) continue
    try {
      if (!commands.has(readFileSync(`/proc/${entry}/comm`, "utf8").trim())) continue
    } catch {
      continue
    }
    const cpuMs = readCpuMs(Number(entry))
    if (cpuMs !== undefined) found.set(Number(entry), cpuMs)
  }
  return found
}

/**
 * Where the machine's CPU went between start and stop: Postgres (all its backends), Redis, this
 * process (the load generator) and everything else, each in ms; the server's own share is taken
 * from `sampleProcess`. "Other" well above zero means something else ran on the machine meanwhile.
 */
export const sampleMachine = () => {
  const postgresCommands = new Set(["postgres"])
  const redisCommands = new Set(["redis-server"])
  const start = {
    machineMs: readMachineBusyMs(),
    postgres: readCommandsCpuMs(postgresCommands),
    redis: readCommandsCpuMs(redisCommands),
    self: process.cpuUsage()
  }
  const spent = (before: Map<number, number>, after: Map<number, number>) =>
    [...after].reduce((sum, [pid, cpuMs]) => sum + cpuMs - (before.get(pid) ?? 0), 0)
  return {
    stop: () => {
      const self = process.cpuUsage(start.self)
      return {
        machineMs: readMachineBusyMs() - start.machineMs,
        postgresMs: spent(start.postgres, readCommandsCpuMs(postgresCommands)),
        redisMs: spent(start.redis, readCommandsCpuMs(redisCommands)),
        loadGeneratorMs: (self.user + self.system) / 1_000
      }
    }
  }
}
