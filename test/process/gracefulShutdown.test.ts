import { spawn } from "node:child_process"
import { createServer, type Server, type Socket } from "node:net"
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { repositoryRoot } from "../support/runProcess.ts"

const freePort = () =>
  new Promise<number>((resolvePort) => {
    const server = createServer()
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0))
    })
  })

/** A TCP server that accepts connections and never answers: a database that hangs. */
const silentServer = async () => {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  const port = await freePort()
  await new Promise<void>((ready) => server.listen(port, "127.0.0.1", ready))
  return {
    port,
    close: () => {
      for (const socket of sockets) socket.destroy()
      return new Promise<void>((closed) => server.close(() => closed()))
    }
  }
}

const waitUntilAnswering = async (url: string, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await fetch(url).then((response) => response.ok, () => false)) return
    await new Promise((wait) => setTimeout(wait, 100))
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`)
}

describe("API process shutdown", () => {
  it("on SIGTERM it finishes the request in flight, refuses new ones, then exits 0", { timeout: 60_000 }, async () => {
    const hangingDatabase = await silentServer()
    const port = await freePort()
    const api = spawn(process.execPath, [resolve(repositoryRoot, "apps/http/src/main.ts")], {
      cwd: repositoryRoot,
      env: { ...process.env, HTTP_PORT: String(port), HTTP_HOST: "127.0.0.1", DATABASE_URL: `postgres://postgres@127.0.0.1:${hangingDatabase.port}/nelo`, SHUTDOWN_TIMEOUT_MS: "5000", DATABASE_CONNECT_TIMEOUT_MS: "1500" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    api.stdout.on("data", (chunk) => (output += chunk))
    api.stderr.on("data", (chunk) => (output += chunk))
    const exited = new Promise<number | null>((done) => api.on("exit", (code) => done(code)))
    try {
      await waitUntilAnswering(`http://127.0.0.1:${port}/health`).catch((error: Error) => {
        throw new Error(`${error.message}; the API printed:\n${output}`)
      })
      // Readiness waits up to 1 s for the hanging database: that request is in flight at SIGTERM.
      const startedMs = Date.now()
      const inFlight = fetch(`http://127.0.0.1:${port}/health/ready`)
      await new Promise((wait) => setTimeout(wait, 300))
      api.kill("SIGTERM")
      const response = await inFlight
      expect(response.status).toBe(503)
      expect((await response.json() as { failing: Array<string> }).failing).toEqual(["postgres"])
      expect(Date.now() - startedMs).toBeGreaterThanOrEqual(900)

      const stoppingMs = Date.now()
      expect(await exited, output).toBe(0)
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
