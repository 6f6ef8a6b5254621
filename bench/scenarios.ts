import { fileURLToPath } from "node:url"

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE"

/** What every request of a load run carries besides method and path. */
export interface RequestExtras {
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
}

/**
 * One benchmark: the API route under load and a bare server doing the same work, run with the same
 * client settings so the ratio between them is the framework's cost.
 */
export interface Scenario {
  readonly description: string
  readonly method: HttpMethod
  /** Requested on the API and on the baseline alike; the baseline answers the same path. */
  readonly apiPath: string
  /** A .ts file run with `node`; it listens on 127.0.0.1:$HTTP_PORT. */
  readonly baselineServerFile: string
  /**
   * Runs once against each server after it answers and before the warm-up (for example: sign a
   * test user in and return the bearer header). Its headers and body are sent with every request.
   */
  readonly setup?: (serverUrl: string) => Promise<RequestExtras>
  /** Checks one response before the load, so a run never measures error pages; a reason when wrong. */
  readonly checkResponse: (status: number, body: string) => string | undefined
}

const benchFile = (relativePath: string) => fileURLToPath(new URL(relativePath, import.meta.url))

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null

export const scenarios: Readonly<Record<string, Scenario>> = {
  "health-ready": {
    description: "GET /health/ready: Postgres SELECT 1 and Redis PING, concurrently",
    method: "GET",
    apiPath: "/health/ready",
    baselineServerFile: benchFile("./baselines/healthReadyBaseline.ts"),
    checkResponse: (status, body) => {
      if (status !== 200) return `status ${status}: ${body.slice(0, 300)}`
      const parsed: unknown = JSON.parse(body)
      const dependencies = isRecord(parsed) ? parsed["dependencies"] : undefined
      const isUp = (name: string) => {
        const dependency = isRecord(dependencies) ? dependencies[name] : undefined
        return isRecord(dependency) && dependency["status"] === "up"
      }
      const bothUp = isUp("postgres") && isUp("redis")
      return isRecord(parsed) && parsed["status"] === "ready" && bothUp ? undefined : `unexpected body: ${body.slice(0, 300)}`
    }
  }
}
