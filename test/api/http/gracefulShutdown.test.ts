import { spawn } from "node:child_process"
import { createServer, type Server, type Socket } from "node:net"
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { repositoryRoot } from "../../support/runProcess.ts"

/** A TCP server that accepts connections and never answers: a database that hangs. Port 0: no race for a port. */
const silentServer = async () => {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  await new Promise<void>((ready, failed) => {
    server.once("error", failed)
    server.listen(0, "127.0.0.1", ready)
  })
  const address = server.address()
  return {
    port: typeof address === "object" && address ? address.port : 0,
    close: () => {
      for (const socket of sockets) socket.destroy()
      return new Promise<void>((closed) => server.close(() => closed()))
    }
  }
}

/** Waits for a promise, or fails after `timeoutMs` with what the API printed, so a hang explains itself. */
const within = <A>(promise: Promise<A>, timeoutMs: number, what: string, output: () => string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took more than ${timeoutMs} ms; the API printed:\n${output()}`)), timeoutMs))
  ])

/** The port from the API's "Listening on http://127.0.0.1:<port>" log line. */
const listeningPort = async (output: () => string) => {
  while (true) {
    const match = /Listening on http:\/\/127\.0\.0\.1:(\d+)/u.exec(output())
    if (match) return Number(match[1])
    await new Promise((wait) => setTimeout(wait, 50))
  }
}

const waitUntilAnswering = async (url: string, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((response) => response.ok, () => false)) return
    await new Promise((wait) => setTimeout(wait, 100))
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`)
}

describe("API process shutdown", () => {
  it("on SIGTERM it finishes the request in flight, refuses new ones, then exits 0", { timeout: 60_000 }, async () => {
    const hangingDatabase = await silentServer()
    const api = spawn(process.execPath, [resolve(repositoryRoot, "apps/http/src/main.ts")], {
      cwd: repositoryRoot,
      env: { ...process.env, LOG_LEVEL: "info", HTTP_PORT: "0", HTTP_HOST: "127.0.0.1", DATABASE_URL: `postgres://postgres@127.0.0.1:${hangingDatabase.port}/nelo`, SHUTDOWN_TIMEOUT_MS: "5000", DATABASE_CONNECT_TIMEOUT_MS: "1500" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    api.stdout.on("data", (chunk) => (output += chunk))
    api.stderr.on("data", (chunk) => (output += chunk))
    const exited = new Promise<number | null>((done) => api.on("exit", (code) => done(code)))
    try {
      // The API listens on a port the system chose (0): no race with other processes for one.
      const port = await within(listeningPort(() => output), 20_000, "the API's start", () => output)
      await within(waitUntilAnswering(`http://127.0.0.1:${port}/health`), 20_000, "the first answer", () => output)
      // Readiness waits up to 1 s for the hanging database: that request is in flight at SIGTERM.
      const startedMs = Date.now()
      const inFlight = fetch(`http://127.0.0.1:${port}/health/ready`)
      await new Promise((wait) => setTimeout(wait, 300))
      api.kill("SIGTERM")
      const response = await within(inFlight, 15_000, "the request in flight", () => output)
      expect(response.status).toBe(503)
      expect((await response.json() as { failing: Array<string> }).failing).toEqual(["postgres"])
      expect(Date.now() - startedMs).toBeGreaterThanOrEqual(900)

      const stoppingMs = Date.now()
      expect(await within(exited, 25_000, "the exit after SIGTERM", () => output), output).toBe(0)
      // Bounded: the in-flight request, then the pools (a connection attempt to the hanging
      // database is given up after DATABASE_CONNECT_TIMEOUT_MS).
      expect(Date.now() - stoppingMs).toBeLessThan(20_000)
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow()
    } finally {
      api.kill("SIGKILL")
      await hangingDatabase.close()
    }
  })
})
