// The real worker (apps/worker/src/main.ts) as a child process, for the dispatch benchmarks: started
// with the benchmark's environment, ready once it logged "dispatch started", its JSON log lines
// handed to the caller (and optionally kept in a file), stopped with SIGTERM (SIGKILL after 10 s).
import { type ChildProcess, spawn } from "node:child_process"
import { createWriteStream, type WriteStream } from "node:fs"
import { fileURLToPath } from "node:url"
import { setTimeout as sleep } from "node:timers/promises"

const workerMainFile = fileURLToPath(new URL("../apps/worker/src/main.ts", import.meta.url))

export interface WorkerLine {
  readonly time?: string
  readonly level?: string
  readonly message?: unknown
  readonly [annotation: string]: unknown
}

export interface WorkerProcess {
  readonly pid: number
  readonly child: ChildProcess
  readonly stderrTail: () => string
  /** The first lines logged at warn level or above (a failed job, a refused step). */
  readonly problems: () => ReadonlyArray<WorkerLine>
  /** Every line logged at warn level or above so far, counted by level and message. */
  readonly problemCounts: () => Readonly<Record<string, number>>
  readonly stop: () => Promise<void>
}

const stderrKeptChars = 4_000
const problemsKept = 200

export const startWorker = async (
  environment: Readonly<Record<string, string>>,
  options: { readonly onLine?: (line: WorkerLine, receivedAtMs: number) => void; readonly logFile?: string; readonly startTimeoutMs?: number } = {}
): Promise<WorkerProcess> => {
  const child = spawn(process.execPath, [workerMainFile], { env: { ...process.env, ...environment }, stdio: ["ignore", "pipe", "pipe"] })
  if (child.pid === undefined) throw new Error("could not spawn the worker")
  const log: WriteStream | undefined = options.logFile === undefined ? undefined : createWriteStream(options.logFile)
  let stderr = ""
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-stderrKeptChars)
  })
  let ready = false
  const problems: Array<WorkerLine> = []
  const problemCounts: Record<string, number> = {}
  let buffer = ""
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    const receivedAtMs = Date.now()
    log?.write(chunk)
    buffer += chunk
    let newline: number
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const text = buffer.slice(0, newline)
      buffer = buffer.slice(newline + 1)
      let line: WorkerLine
      try {
        line = JSON.parse(text) as WorkerLine
      } catch {
        continue
      }
      if (line.message === "dispatch started") ready = true
      if (line.level === "warn" || line.level === "error" || line.level === "fatal") {
        const key = `${line.level}: ${String(line.message)}`
        problemCounts[key] = (problemCounts[key] ?? 0) + 1
        if (problems.length < problemsKept) problems.push(line)
      }
      options.onLine?.(line, receivedAtMs)
    }
  })
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
      child.kill("SIGTERM")
      const inTime = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)])
      if (!inTime) {
        child.kill("SIGKILL")
        await exited
      }
    }
    await new Promise<void>((resolve) => (log === undefined ? resolve() : log.end(resolve)))
  }
  const worker: WorkerProcess = { pid: child.pid, child, stderrTail: () => stderr, problems: () => problems, problemCounts: () => problemCounts, stop }
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000)
  while (!ready) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the worker exited during start-up (${child.exitCode ?? child.signalCode}): ${stderr.trim()}`)
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`the worker did not log "dispatch started" within ${(options.startTimeoutMs ?? 30_000) / 1_000} s: ${stderr.trim()}`)
    }
    await sleep(100)
  }
  return worker
}
