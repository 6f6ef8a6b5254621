import { fileURLToPath } from "node:url"
import type { Request } from "autocannon"
import { benchUserCount, openBenchSessions, removeBenchUsers } from "./authFixtures.ts"
import {
  cachedCells,
  catalogueProductsPerProvider,
  closeCatalogueFixtures,
  ensureDemoCatalogue,
  firstMenuProviderId,
  menuPath,
  menuProviderIds,
  nearbyPageSize,
  nearbyPath,
  nearbyVersionBumper,
  redisLookupCounter,
  uncachedCells,
  warmMenus,
  warmNearby
} from "./catalogueFixtures.ts"
import { deliveryScenarios } from "./deliveryScenarios.ts"
import { orderScenarios } from "./orderScenarios.ts"

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE"

/** What the requests of a load run carry besides method and path. */
export interface RequestExtras {
  /** The check request's path when it is not the scenario's apiPath (a resource the setup made). */
  readonly checkPath?: string
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
  /** Variables both servers get on top of the harness's environment (a database of the scenario's own). */
  readonly environment?: Readonly<Record<string, string>>
  /** Seconds the run's deadline adds for a setup that may first have to make its data (default 0). */
  readonly setupSeconds?: number
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

// ---------------------------------------------------------------------------------------------
// Catalogue (issue 4): checks of the answers, and the load's per-request paths.

/** A problem with a nearby page (catalogue/views.ts nearbyProviderView items), or undefined. */
const nearbyPageProblem = (page: unknown, expectedItems: number | undefined): string | undefined => {
  if (!isRecord(page) || !Array.isArray(page["items"])) return "no items"
  const items: ReadonlyArray<unknown> = page["items"]
  if (items.length === 0) return "no provider at all"
  if (expectedItems !== undefined && items.length !== expectedItems) return `${items.length} items, not ${expectedItems}`
  if (page["nextCursor"] !== null && typeof page["nextCursor"] !== "string") return "nextCursor neither a string nor null"
  let previous = -1
  for (const item of items) {
    if (!isRecord(item)) return "an item is no object"
    if (typeof item["id"] !== "string" || typeof item["name"] !== "string" || typeof item["isOpen"] !== "boolean" || typeof item["paused"] !== "boolean" || !isRecord(item["location"])) {
      return "an item without id, name, isOpen, paused or location"
    }
    const distanceM = item["distanceM"]
    if (typeof distanceM !== "number" || !Number.isFinite(distanceM) || distanceM < 0) return `distanceM ${String(distanceM)}`
    // The requests are made at cell centres, where the caller's distances are the page's order.
    if (distanceM < previous) return `distances not sorted (${previous} then ${distanceM})`
    previous = distanceM
  }
  return undefined
}

/** A problem with a restaurant's menu (catalogue/views.ts menuView), or undefined. */
const menuProblem = (menu: unknown, providerId: string | undefined): string | undefined => {
  if (!isRecord(menu) || !isRecord(menu["provider"])) return "no provider"
  const provider = menu["provider"]
  if (providerId !== undefined && provider["id"] !== providerId) return `the menu of ${String(provider["id"])}, not ${providerId}`
  if (provider["type"] !== "restaurant" || typeof provider["isOpen"] !== "boolean") return "provider not a restaurant, or without isOpen"
  if (!Array.isArray(menu["categories"]) || menu["categories"].length === 0) return "no categories"
  if (!Array.isArray(menu["uncategorized"]) || !Array.isArray(menu["gasBrands"])) return "no uncategorized or gasBrands"
  let products = menu["uncategorized"].length
  for (const category of menu["categories"] as ReadonlyArray<unknown>) {
    if (!isRecord(category) || typeof category["name"] !== "string" || !Array.isArray(category["products"])) return "a category without name or products"
    for (const product of category["products"] as ReadonlyArray<unknown>) {
      if (!isRecord(product) || typeof product["id"] !== "string" || typeof product["name"] !== "string" || typeof product["priceXof"] !== "number" || typeof product["orderable"] !== "boolean") {
        return "a product without id, name, priceXof or orderable"
      }
      products += 1
    }
  }
  return products === catalogueProductsPerProvider ? undefined : `${products} products, not ${catalogueProductsPerProvider}`
}

// Every this many 200 answers, one is parsed and checked in full (the others are checked cheaply):
// parsing every 10–15 kB answer would cost the load generator more than it is worth.
const fullCheckEvery = 50

/** Counts of the nearby answers a server gave during the load: pages, short pages, wrong answers. */
const nearbyTally = () => {
  let pages = 0
  let shortPages = 0
  let fewestItems = Number.POSITIVE_INFINITY
  let checked = 0
  let wrong = 0
  let firstProblem: string | undefined
  return {
    onAnswer: (status: number, body: string) => {
      if (status !== 200) return
      pages += 1
      let items = 0
      for (let at = body.indexOf("\"distanceM\":"); at !== -1; at = body.indexOf("\"distanceM\":", at + 12)) items += 1
      if (items < nearbyPageSize) shortPages += 1
      fewestItems = Math.min(fewestItems, items)
      const problem = items === 0 ? "no provider at all" : pages % fullCheckEvery === 0 ? nearbyPageProblem(parseJson(body), undefined) : undefined
      if (pages % fullCheckEvery === 0) checked += 1
      if (problem !== undefined) {
        wrong += 1
        firstProblem ??= problem
      }
    },
    /** Since the previous line (warm-up included), but wrong answers since the start. */
    line: () => {
      const text = `${pages} pages, ${pages - shortPages} full (${nearbyPageSize} items), ${shortPages} short (fewest ${Number.isFinite(fewestItems) ? fewestItems : "-"} items), ` +
        `${checked} parsed and checked; ${wrong} wrong so far${firstProblem === undefined ? "" : ` (${firstProblem})`}`
      pages = 0
      shortPages = 0
      fewestItems = Number.POSITIVE_INFINITY
      checked = 0
      return text
    },
    wrong: () => wrong
  }
}

// One Redis lookup counter for the whole run (both servers); each status line shows what happened since the previous one.
let lookupCounter: ReturnType<typeof redisLookupCounter> | undefined
const lookupsLine = async () => {
  const counter = await (lookupCounter ??= redisLookupCounter())
  return () => {
    const { hits, misses } = counter.since()
    return `Redis lookups since the previous line (all clients, warm-up included): ${hits} hits, ${misses} misses`
  }
}
const closeCatalogue = async () => {
  const counter = lookupCounter
  lookupCounter = undefined
  if (counter !== undefined) (await counter).stop()
  await closeCatalogueFixtures()
}

// The uncached walk is shared by both servers, so that neither ever requests a cell the other (or
// itself) stored under the current version: one position over all requests of the run, and the
// nearby version bumped twice per pass over the cells (at its start and half way). Every cell is
// then requested again only after a bump issued at least a quarter of a pass (≈ 500 requests)
// after its previous request and before this one, far longer than any request takes: every read
// misses, as after a provider write.
let uncachedWalk = 0
let bumps = 0
let bumpNearby: Promise<() => void> | undefined
const halfPass = Math.floor(uncachedCells.length / 2)

const catalogueChecked = (problem: string | undefined, body: string) =>
  problem === undefined ? undefined : `${problem}: ${body.slice(0, 300)}`

export const scenarios: Readonly<Record<string, Scenario>> = {
  ...orderScenarios,
  ...deliveryScenarios,
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
  },

  // Issue 4, with the demo catalogue of 10,000 providers × 20 products (seeded when missing).
  // Uncached: each request a ~110 m cell within 3 km of the centre of Tiassalé (full pages of 20),
  // and no page ever found in the cache (see the walk above): the API's path is the cache read (a
  // miss), the KNN query, the SET of the page, then opening state and distances per item. The
  // baseline does the same read, the same SQL (nearbyStatement) and the same SET.
  "catalogue-nearby-uncached": {
    description: `GET /api/v1/providers/nearby, every read a cache miss: Redis EVALSHA, the nearby SQL (KNN, limit 21), SET of the page, opening state and distances; ${uncachedCells.length} cells within 3 km in turn, the nearby version bumped twice per pass`,
    method: "GET",
    apiPath: nearbyPath({ lat: 5.898, lng: -4.823 }),
    baselineServerFile: benchFile("./baselines/catalogueBaseline.ts"),
    setup: async () => {
      await ensureDemoCatalogue()
      const bump = await (bumpNearby ??= nearbyVersionBumper())
      const lookups = await lookupsLine()
      const tally = nearbyTally()
      return {
        requests: [{
          setupRequest: (request) => {
            const index = uncachedWalk++
            if (index % halfPass === 0) {
              bump()
              bumps += 1
            }
            request.path = nearbyPath(uncachedCells[index % uncachedCells.length]!)
            return request
          },
          onResponse: (status, body) => tally.onAnswer(status, body)
        }],
        status: () =>
          `${tally.line()}; walk at request ${uncachedWalk} of both servers (pass ${Math.floor(uncachedWalk / uncachedCells.length) + 1} over ${uncachedCells.length} cells), ${bumps} version bumps; ${lookups()}`,
        wrongCount: tally.wrong
      }
    },
    teardown: closeCatalogue,
    checkResponse: (status, body) =>
      status !== 200 ? `status ${status}: ${body.slice(0, 300)}` : catalogueChecked(nearbyPageProblem(parseJson(body), nearbyPageSize), body)
  },

  // Cached: 50 cells over the same disc requested in turn, stored first by the domain's own
  // nearbyProviders (so after a few requests every read hits). A page lives 20 s in the cache, so
  // each cell misses again every 20 s (both servers then read the database and store it again).
  "catalogue-nearby-cached": {
    description: `GET /api/v1/providers/nearby from the cache: Redis EVALSHA (a hit), JSON.parse of the page, opening state and distances; ${cachedCells.length} cells in turn`,
    method: "GET",
    apiPath: nearbyPath(cachedCells[0]!),
    baselineServerFile: benchFile("./baselines/catalogueBaseline.ts"),
    setup: async () => {
      await ensureDemoCatalogue()
      await warmNearby(cachedCells)
      const lookups = await lookupsLine()
      const tally = nearbyTally()
      let next = 0
      return {
        requests: [{
          setupRequest: (request) => {
            request.path = nearbyPath(cachedCells[next++ % cachedCells.length]!)
            return request
          },
          onResponse: (status, body) => tally.onAnswer(status, body)
        }],
        status: () => `${tally.line()}; ${lookups()}`,
        wrongCount: tally.wrong
      }
    },
    teardown: closeCatalogue,
    checkResponse: (status, body) =>
      status !== 200 ? `status ${status}: ${body.slice(0, 300)}` : catalogueChecked(nearbyPageProblem(parseJson(body), nearbyPageSize), body)
  },

  // The menus of 200 restaurants (20 products each) in turn, read first through the domain's
  // readMenu so that every one is in the cache (5 minutes). Each answer is checked to be the
  // requested provider's menu; one in 50 is parsed and checked in full.
  "catalogue-menu-cached": {
    description: "GET /api/v1/providers/{id}/menu from the cache: Redis EVALSHA (a hit), JSON.parse, opening state, the menu view; 200 restaurants of 20 products in turn",
    method: "GET",
    apiPath: menuPath(firstMenuProviderId),
    baselineServerFile: benchFile("./baselines/catalogueBaseline.ts"),
    setup: async () => {
      const ids = await menuProviderIds()
      await warmMenus(ids)
      const lookups = await lookupsLine()
      let next = 0
      let menus = 0
      let checked = 0
      let wrong = 0
      let firstProblem: string | undefined
      return {
        requests: [{
          setupRequest: (request, context) => {
            const id = ids[next++ % ids.length]!
            context["providerId"] = id
            request.path = menuPath(id)
            return request
          },
          onResponse: (status, body, context) => {
            if (status !== 200) return
            menus += 1
            const id = String(context["providerId"])
            let problem = body.startsWith(`{"provider":{"id":"${id}"`) ? undefined : "not the requested provider's menu"
            if (problem === undefined && menus % fullCheckEvery === 0) {
              checked += 1
              problem = menuProblem(parseJson(body), id)
            }
            if (problem !== undefined) {
              wrong += 1
              firstProblem ??= problem
            }
          }
        }],
        status: () => {
          const text = `${menus} menus, ${checked} parsed and checked (since the previous line); ${wrong} wrong so far${firstProblem === undefined ? "" : ` (${firstProblem})`}; ${lookups()}`
          menus = 0
          checked = 0
          return text
        },
        wrongCount: () => wrong
      }
    },
    teardown: closeCatalogue,
    checkResponse: (status, body) =>
      status !== 200 ? `status ${status}: ${body.slice(0, 300)}` : catalogueChecked(menuProblem(parseJson(body), firstMenuProviderId), body)
  }
}
