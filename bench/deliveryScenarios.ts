// The deliveries scenario of the main harness (issue 12): drivers-location. Data:
// bench/deliveryFixtures.ts (a database of its own); baseline: bench/baselines/driversLocationBaseline.ts.
import { fileURLToPath } from "node:url"
import type { GeoPoint } from "@nelo/domain/geo/GeoPoint"
import { type BenchDriver, closeDeliveriesFixtures, driversHoldingDeliveries, ensureDrivers, locationEnvironment, openDriverSessions } from "./deliveryFixtures.ts"
import type { Scenario } from "./scenarios.ts"

const baselineFile = fileURLToPath(new URL("./baselines/driversLocationBaseline.ts", import.meta.url))
const json = { "content-type": "application/json" }

/** Drivers whose tokens the load takes in turn (BENCH_LOCATION_DRIVERS to change it). */
export const locationDriverCount = Number(process.env["BENCH_LOCATION_DRIVERS"] ?? "1000")

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null
const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body)
  } catch {
    return undefined
  }
}

/**
 * The n-th point a driver sends: a few meters from the last (≈ 4 m north and 3 m east a step, back
 * home every 100 steps), recorded now, 10 m accuracy, no heading or speed.
 */
const pointAt = (home: GeoPoint, step: number) => ({
  lat: Math.round((home.lat + (step % 100) * 0.000036) * 1e6) / 1e6,
  lng: Math.round((home.lng + (step % 100) * 0.000027) * 1e6) / 1e6,
  accuracyM: 10,
  recordedAt: new Date().toISOString()
})
type Point = ReturnType<typeof pointAt>

/** What is wrong with a location answer (deliveries/views.ts locationUpdateView), or undefined: one point sent, kept, echoed. */
const locationProblem = (update: unknown, sent: Point | undefined): string | undefined => {
  if (!isRecord(update) || typeof update["kept"] !== "number" || !Array.isArray(update["dropped"])) return "no kept or dropped"
  if (update["kept"] !== 1 || update["dropped"].length !== 0) return `kept ${update["kept"]}, dropped ${JSON.stringify(update["dropped"])}`
  const position = update["position"]
  if (!isRecord(position) || !isRecord(position["location"])) return "no position"
  if (position["accuracyM"] !== 10 || position["headingDeg"] !== null || position["speedMps"] !== null) return `accuracy ${String(position["accuracyM"])}, heading ${String(position["headingDeg"])}, speed ${String(position["speedMps"])}`
  if (sent === undefined) return undefined
  if (position["location"]["lat"] !== sent.lat || position["location"]["lng"] !== sent.lng) return `position ${JSON.stringify(position["location"])}, not ${sent.lat},${sent.lng}`
  if (position["recordedAt"] !== sent.recordedAt) return `recordedAt ${String(position["recordedAt"])}, not ${sent.recordedAt}`
  return undefined
}

let drivers: Promise<ReadonlyArray<BenchDriver>> | undefined

export const deliveryScenarios: Readonly<Record<string, Scenario>> = {
  // Issue 12: PUT /api/v1/drivers/me/location with one point, 1,000 registered drivers (KYC
  // approved, offline, holding no delivery) in turn, each point a few meters from that driver's
  // last and recorded now. Every answer is parsed and checked: kept 1, nothing dropped, the
  // position the point sent (latitude, longitude, accuracy, instant).
  "drivers-location": {
    description: `PUT /api/v1/drivers/me/location, one point: JWT + revocation MGET, SELECT of the driver, HGETALL of his position, the acceptance rule, MULTI (GEOADD, HSET, EXPIRE); ${locationDriverCount} drivers in turn`,
    method: "PUT",
    apiPath: "/api/v1/drivers/me/location",
    baselineServerFile: baselineFile,
    environment: locationEnvironment,
    // A first run makes the database and registers the drivers.
    setupSeconds: 300,
    setup: async () => {
      const all = await (drivers ??= ensureDrivers("location", locationDriverCount))
      const holding = await driversHoldingDeliveries(all.map((driver) => driver.id))
      if (holding.length > 0) throw new Error(`${holding.length} location drivers hold a delivery: their points would feed a trail the baseline does not keep`)
      const tokens = await openDriverSessions(all.map((driver) => driver.id))
      const bearer = (index: number) => `Bearer ${tokens[index]!}`
      let next = 0
      let answered = 0
      let wrong = 0
      let firstProblem: string | undefined
      // The check request: the last driver, a step of his own.
      const last = all.length - 1
      return {
        headers: { ...json, authorization: bearer(last) },
        body: JSON.stringify(pointAt(all[last]!.home, 0)),
        requests: [{
          setupRequest: (request, context) => {
            const n = next++
            const index = n % all.length
            const point = pointAt(all[index]!.home, Math.floor(n / all.length))
            context["sent"] = point
            request.headers = { ...request.headers, ...json, authorization: bearer(index) }
            request.body = JSON.stringify(point)
            return request
          },
          onResponse: (status, body, context) => {
            if (status !== 200) return
            answered += 1
            const problem = locationProblem(parseJson(body), context["sent"] as Point)
            if (problem !== undefined) {
              wrong += 1
              firstProblem ??= `${problem}: ${body.slice(0, 200)}`
            }
          }
        }],
        status: () => {
          const text = `${answered} points since the previous line (every answer parsed and checked), ${wrong} wrong so far${firstProblem === undefined ? "" : ` (${firstProblem})`}`
          answered = 0
          return text
        },
        wrongCount: () => wrong
      }
    },
    teardown: async () => {
      drivers = undefined
      await closeDeliveriesFixtures()
    },
    checkResponse: (status, body) => {
      if (status !== 200) return `status ${status}: ${body.slice(0, 300)}`
      const problem = locationProblem(parseJson(body), undefined)
      return problem === undefined ? undefined : `${problem}: ${body.slice(0, 300)}`
    }
  }
}
