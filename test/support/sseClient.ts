import { request as httpRequest, type IncomingHttpHeaders } from "node:http"
import { Deferred, Effect, Option } from "effect"

/** One Server-Sent Event as a browser's EventSource would see it (id inherited as the spec says). */
export interface SseEvent {
  readonly id: string | undefined
  readonly event: string
  readonly data: string
}

export interface SseConnection {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  /** The body when it is not a stream (a problem): read whole. */
  readonly body: Effect.Effect<string>
  /** The next `count` events, waiting up to `timeoutMs` for them (fails the test after). */
  readonly next: (count: number, timeoutMs?: number) => Effect.Effect<ReadonlyArray<SseEvent>>
  /** Every event received so far, and whether the server ended the response. */
  readonly received: () => { readonly events: ReadonlyArray<SseEvent>; readonly ended: boolean }
  /** Waits for the server to end the response (up to `timeoutMs`): true when it did. */
  readonly ended: (timeoutMs?: number) => Effect.Effect<boolean>
  /** The last id received: what an EventSource would send back as Last-Event-ID. */
  readonly lastEventId: () => string | undefined
}

/**
 * A live stream opened as the apps open it (GET, Accept text/event-stream, a bearer token,
 * Last-Event-ID to resume), parsed by the rules of the SSE spec: fields, comments, multi-line data,
 * an id that stays until the next one. Closed with the scope, as an app that goes away.
 */
export const openSse = (url: string, options: { readonly token?: string; readonly lastEventId?: string; readonly headers?: Record<string, string> } = {}) =>
  Effect.gen(function*() {
    const events: Array<SseEvent> = []
    let ended = false
    let lastId: string | undefined = options.lastEventId
    let rawBody = ""
    let waiters: Array<() => void> = []
    const wake = () => {
      const current = waiters
      waiters = []
      for (const waiter of current) waiter()
    }

    let buffer = ""
    let pending: { id: string | undefined; event: string; data: Array<string> } = { id: undefined, event: "message", data: [] }
    const feed = (text: string) => {
      buffer += text
      let newline: number
      while ((newline = buffer.search(/\r\n|\r|\n/u)) >= 0) {
        const line = buffer.slice(0, newline)
        buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1))
        if (line === "") {
          if (pending.data.length > 0) {
            if (pending.id !== undefined) lastId = pending.id
            events.push({ id: lastId, event: pending.event, data: pending.data.join("\n") })
          }
          pending = { id: undefined, event: "message", data: [] }
          continue
        }
        if (line.startsWith(":")) continue
        const colon = line.indexOf(":")
        const field = colon < 0 ? line : line.slice(0, colon)
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /u, "")
        if (field === "data") pending.data.push(value)
        else if (field === "event") pending.event = value
        else if (field === "id") pending.id = value
      }
      wake()
    }

    const opened = yield* Deferred.make<{ status: number; headers: IncomingHttpHeaders }>()
    const bodyRead = yield* Deferred.make<string>()
    const target = new URL(url)
    const outgoing = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const req = httpRequest(target, {
          method: "GET",
          headers: {
            accept: "text/event-stream",
            ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
            ...(options.lastEventId === undefined ? {} : { "last-event-id": options.lastEventId }),
            ...options.headers
          }
        }, (response) => {
          response.setEncoding("utf8")
          Deferred.doneUnsafe(opened, Effect.succeed({ status: response.statusCode ?? 0, headers: response.headers }))
          const isStream = (response.headers["content-type"] ?? "").startsWith("text/event-stream")
          response.on("data", (chunk: string) => isStream ? feed(chunk) : void (rawBody += chunk))
          const finish = () => {
            ended = true
            Deferred.doneUnsafe(bodyRead, Effect.succeed(rawBody))
            wake()
          }
          response.on("end", finish)
          response.on("close", finish)
          response.on("error", finish)
        })
        req.on("error", () => {
          ended = true
          Deferred.doneUnsafe(opened, Effect.succeed({ status: 0, headers: {} }))
          Deferred.doneUnsafe(bodyRead, Effect.succeed(rawBody))
          wake()
        })
        req.end()
        return req
      }),
      (req) => Effect.sync(() => req.destroy())
    )
    void outgoing
    const { status, headers } = yield* Deferred.await(opened)

    const waitFor = (ready: () => boolean, timeoutMs: number) =>
      Effect.callback<boolean>((resume) => {
        const check = () => {
          if (ready()) resume(Effect.succeed(true))
          else waiters.push(check)
        }
        check()
      }).pipe(Effect.timeoutOption(timeoutMs), Effect.map(Option.getOrElse(() => false)))

    let taken = 0
    return {
      status,
      headers,
      body: Deferred.await(bodyRead),
      next: (count: number, timeoutMs = 5_000) =>
        Effect.gen(function*() {
          const arrived = yield* waitFor(() => events.length >= taken + count || ended, timeoutMs)
          const batch = events.slice(taken, taken + count)
          if (!arrived || batch.length < count) {
            return yield* Effect.die(new Error(`expected ${count} more event(s) within ${timeoutMs} ms, got ${JSON.stringify(batch)} (ended: ${ended})`))
          }
          taken += count
          return batch
        }),
      received: () => ({ events: [...events], ended }),
      ended: (timeoutMs = 5_000) => waitFor(() => ended, timeoutMs),
      lastEventId: () => lastId
    } satisfies SseConnection
  })

/** The JSON of an event's data. */
export const dataOf = <A = any>(event: SseEvent): A => JSON.parse(event.data) as A
