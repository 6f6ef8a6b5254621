import { fileURLToPath } from "node:url"
import type { Request } from "autocannon"
import { benchUserCount, openBenchSessions, removeBenchUsers } from "./authFixtures.ts"

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE"

/** What the requests of a load run carry besides method and path. */
export interface RequestExtras {
  /** Sent with the check request, and with every request of the load unless `requests` is given. */
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
  /**
   * For requests that must differ (a token per user, a refresh token used once): autocannon's
   * per-request hooks, which then build every request of the load. The check still uses
   * `headers` and `body`.
   */
  readonly requests?: ReadonlyArray<Request>
  /** A line printed after each load run (for example what is left of a pool of tokens). */
  readonly status?: () => string
  /**
   * So far, answers that were 2xx yet wrong (another user's data, no new token) and requests
   * that could not be made right (no unused token left). Any makes the run invalid.
   */
  readonly wrongCount?: () => number
}

/** How much load the servers will take, for a setup that must prepare consumable tokens. */
export interface LoadPlan {
  readonly connections: number
  /** Warm-ups and measured runs against this server. */
  readonly runs: number
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
  readonly setup?: (serverUrl: string, plan: LoadPlan) => Promise<RequestExtras>
  /** Runs once at the end of the run, failed or not (for example: delete the test users). */
  readonly teardown?: () => Promise<void>
  /** Checks one response before the load, so a run never measures error pages; a reason when wrong. */
  readonly checkResponse: (status: number, body: string) => string | undefined
}

const benchFile = (relativePath: string) => fileURLToPath(new URL(relativePath, import.meta.url))

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body)
  } catch {
    return undefined
  }
}

/** A problem with a views.ts userView of one of the bench users, or undefined. */
const userViewProblem = (user: unknown): string | undefined => {
  if (!isRecord(user)) return "no user object"
  const fields = ["id", "phone", "fullName", "language", "referralCode", "createdAt"]
  const missing = fields.filter((field) => typeof user[field] !== "string")
  if (missing.length > 0) return `user without ${missing.join(", ")}`
  if (!Array.isArray(user["roles"]) || typeof user["hasPassword"] !== "boolean" || typeof user["hasPin"] !== "boolean" || !("email" in user)) {
    return "user without roles, hasPassword, hasPin or email"
  }
  return typeof user["phone"] === "string" && user["phone"].startsWith("+22501000") ? undefined : `not a bench user: ${String(user["phone"])}`
}

const json = { "content-type": "application/json" }

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
  },

  // Bearer verification (jose), the revocation MGET (Redis) and the user's row (Postgres). The
  // requests take turns over one access token per bench user (200), so neither side answers from
  // a cache of one row; each answer is checked to be the token's own user.
  "users-me": {
    description: `GET /api/v1/users/me: JWT verification, Redis MGET of the revocation keys, SELECT of the user; ${benchUserCount} users in turn`,
    method: "GET",
    apiPath: "/api/v1/users/me",
    baselineServerFile: benchFile("./baselines/usersMeBaseline.ts"),
    setup: async () => {
      const sessions = await openBenchSessions(benchUserCount)
      const bearers = sessions.map((session) => ({ authorization: `Bearer ${session.accessToken}`, userId: session.user.id }))
      let next = 0
      let wrongAnswers = 0
      return {
        headers: { authorization: bearers[0]!.authorization },
        requests: [{
          setupRequest: (request, context) => {
            const bearer = bearers[next++ % bearers.length]!
            context["userId"] = bearer.userId
            request.headers = { ...request.headers, authorization: bearer.authorization }
            return request
          },
          onResponse: (status, body, context) => {
            if (status === 200 && !body.includes(`"id":"${String(context["userId"])}"`)) wrongAnswers += 1
          }
        }],
        wrongCount: () => wrongAnswers
      }
    },
    teardown: removeBenchUsers,
    checkResponse: (status, body) => {
      if (status !== 200) return `status ${status}: ${body.slice(0, 300)}`
      const problem = userViewProblem(parseJson(body))
      return problem === undefined ? undefined : `${problem}: ${body.slice(0, 300)}`
    }
  },

  // Rotation: each refresh token is accepted once, so every request must carry one never used.
  // A queue of refresh tokens, one per session: a request takes the token at the head, and its
  // answer's new refresh token goes back at the tail, so each session is refreshed in turn (over
  // hundreds of sessions) and a token is never presented twice. A request still in flight when a
  // run stops loses its session (its answer is never read): the pool is sized for that, and a
  // request finding it empty sends a dead token, which fails (a non-2xx: the run does not count).
  "auth-refresh": {
    description: "POST /api/v1/auth/refresh: HMAC digests, one transaction (SELECT FOR UPDATE, UPDATE, INSERT, UPDATE), SELECT of the user, JWT signature; every token used once",
    method: "POST",
    apiPath: "/api/v1/auth/refresh",
    baselineServerFile: benchFile("./baselines/authRefreshBaseline.ts"),
    setup: async (_serverUrl, plan) => {
      const poolSize = plan.connections * (plan.runs + 1) + benchUserCount
      const [checkSession, ...sessions] = await openBenchSessions(poolSize + 1)
      const pool = sessions.map((session) => session.refreshToken)
      let emptyPool = 0
      let answersWithoutToken = 0
      return {
        headers: json,
        body: JSON.stringify({ refreshToken: checkSession!.refreshToken }),
        requests: [{
          setupRequest: (request) => {
            const refreshToken = pool.shift()
            if (refreshToken === undefined) emptyPool += 1
            request.headers = { ...request.headers, ...json }
            request.body = JSON.stringify({ refreshToken: refreshToken ?? "the-pool-of-refresh-tokens-is-empty" })
            return request
          },
          onResponse: (status, body) => {
            if (status !== 200) return
            const parsed = parseJson(body)
            const next = isRecord(parsed) ? parsed["refreshToken"] : undefined
            if (typeof next === "string") pool.push(next)
            else answersWithoutToken += 1
          }
        }],
        status: () => `refresh tokens: ${pool.length} of ${poolSize} sessions ready, ${emptyPool} requests found none, ${answersWithoutToken} 200 answers without a new one`,
        wrongCount: () => emptyPool + answersWithoutToken
      }
    },
    teardown: removeBenchUsers,
    checkResponse: (status, body) => {
      if (status !== 200) return `status ${status}: ${body.slice(0, 300)}`
      const parsed = parseJson(body)
      if (!isRecord(parsed)) return `unexpected body: ${body.slice(0, 300)}`
      const tokens = ["accessToken", "accessTokenExpiresAt", "refreshToken", "refreshTokenExpiresAt"].filter((field) => typeof parsed[field] !== "string")
      if (tokens.length > 0) return `no ${tokens.join(", ")}: ${body.slice(0, 300)}`
      const problem = userViewProblem(parsed["user"])
      return problem === undefined ? undefined : `${problem}: ${body.slice(0, 300)}`
    }
  }
}
