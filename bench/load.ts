// One load run with autocannon, shared by run.ts and profile.ts.
import autocannon, { type Result } from "autocannon"
import type { RequestExtras, Scenario } from "./scenarios.ts"

// Per request: a response slower than this counts as an error (autocannon's own default).
export const requestTimeoutSeconds = 10

/** A percentile by nearest rank, of latencies sorted ascending. */
const percentile = (sortedMs: Float64Array, percent: number) =>
  sortedMs.length === 0 ? 0 : sortedMs[Math.max(0, Math.ceil((percent / 100) * sortedMs.length) - 1)] ?? 0

/**
 * One autocannon run. Latency percentiles come from the per-response durations it emits, because
 * its own latency histogram has a 1 ms resolution, too coarse for sub-millisecond answers.
 */
export const load = async (url: string, scenario: Scenario, extras: RequestExtras, connections: number, durationSeconds: number) => {
  const latenciesMs: Array<number> = []
  const instance = autocannon({
    url,
    method: scenario.method,
    connections,
    duration: durationSeconds,
    pipelining: 1,
    timeout: requestTimeoutSeconds,
    ...(extras.requests === undefined
      ? {
        ...(extras.headers === undefined ? {} : { headers: extras.headers }),
        ...(extras.body === undefined ? {} : { body: extras.body })
      }
      : { requests: extras.requests })
  })
  instance.on("response", (_client, _statusCode, _responseBytes, responseTimeMs) => {
    latenciesMs.push(responseTimeMs)
  })
  const result: Result = await instance
  const sortedMs = Float64Array.from(latenciesMs).sort()
  const meanMs = sortedMs.reduce((sum, latencyMs) => sum + latencyMs, 0) / Math.max(1, sortedMs.length)
  return { result, latencyP50Ms: percentile(sortedMs, 50), latencyP99Ms: percentile(sortedMs, 99), latencyMeanMs: meanMs }
}
