import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import { Effect } from "effect"

export interface RecordedRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage["headers"]
  readonly body: string
}

export type FakeHandler = (request: RecordedRequest, response: ServerResponse) => void

/**
 * A local HTTP server standing in for a provider's API in tests: it records every request and
 * answers with `handle`. Closed with the scope. Returns its base URL and the recorded requests.
 */
export const fakeHttpServer = (handle: FakeHandler) =>
  Effect.acquireRelease(
    Effect.promise(() =>
      new Promise<{ baseUrl: string; requests: Array<RecordedRequest>; close: () => Promise<void> }>((ready) => {
        const requests: Array<RecordedRequest> = []
        const server = createServer((incoming, response) => {
          let body = ""
          incoming.setEncoding("utf8")
          incoming.on("data", (chunk: string) => (body += chunk))
          incoming.on("end", () => {
            const request = { method: incoming.method ?? "", url: incoming.url ?? "", headers: incoming.headers, body }
            requests.push(request)
            handle(request, response)
          })
        })
        server.listen(0, "127.0.0.1", () => {
          const address = server.address()
          const port = typeof address === "object" && address ? address.port : 0
          ready({
            baseUrl: `http://127.0.0.1:${port}`,
            requests,
            close: () => new Promise<void>((closed) => {
              server.closeAllConnections()
              server.close(() => closed())
            })
          })
        })
      })),
    (server) => Effect.promise(() => server.close())
  )

export const sendJson = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { "content-type": "application/json" })
  response.end(JSON.stringify(body))
}
