// autocannon 9 ships no types (and there is no @types/autocannon in the lockfile): the part of its
// programmatic API the harness uses, from its README ("Programmatically", "Results").
declare module "autocannon" {
  import type { EventEmitter } from "node:events"

  /** Percentiles of one statistic: latency in ms, requests and bytes per second. */
  export interface Histogram {
    readonly average: number
    readonly mean: number
    readonly stddev: number
    readonly min: number
    readonly max: number
    readonly total: number
    readonly p50: number
    readonly p90: number
    readonly p99: number
  }

  export interface Options {
    readonly url: string
    readonly connections?: number
    /** In seconds. */
    readonly duration?: number
    readonly pipelining?: number
    /** Per request, in seconds. */
    readonly timeout?: number
    readonly method?: string
    readonly headers?: Readonly<Record<string, string>>
    readonly body?: string
    readonly title?: string
    /**
     * Each connection loops over these. `setupRequest` may change the request before it is sent
     * (returning it), `onResponse` sees each answer; `context` is per connection and is reset to
     * `{}` each time the loop starts over (with one entry: before every request).
     */
    readonly requests?: ReadonlyArray<Request>
  }

  /** What setupRequest receives and returns: the options' defaults merged with the entry. */
  export interface RequestData {
    method: string
    path: string
    headers: Record<string, string>
    body?: string | Buffer
  }

  export interface Request {
    readonly method?: string
    readonly path?: string
    readonly headers?: Readonly<Record<string, string>>
    readonly body?: string
    readonly setupRequest?: (request: RequestData, context: Record<string, unknown>) => RequestData | undefined
    readonly onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Readonly<Record<string, string | ReadonlyArray<string>>>) => void
  }

  export interface Result {
    readonly url: string
    readonly connections: number
    readonly pipelining: number
    /** In seconds. */
    readonly duration: number
    readonly start: Date
    readonly finish: Date
    /** Connection errors, timeouts included. */
    readonly errors: number
    readonly timeouts: number
    readonly mismatches: number
    readonly non2xx: number
    readonly "2xx": number
    readonly statusCodeStats: Readonly<Record<string, { readonly count: number }>>
    /** Per-second samples; `total` is the number of completed requests, `sent` the number sent. */
    readonly requests: Histogram & { readonly sent: number }
    /** Response latency, in whole milliseconds. */
    readonly latency: Histogram & { readonly totalCount: number }
    readonly throughput: Histogram
  }

  /** The running benchmark: awaiting it gives the result. */
  export interface Instance extends EventEmitter, PromiseLike<Result> {
    /** Every completed response, with its latency measured by hrtime (fractional ms). */
    on(event: "response", listener: (client: unknown, statusCode: number, responseBytes: number, responseTimeMs: number) => void): this
    stop(): void
  }

  export default function autocannon(options: Options): Instance
}
