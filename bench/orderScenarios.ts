// The orders scenarios (orders-place, orders-tracking): requests, and the check of every answer.
// Data: bench/orderFixtures.ts (a database of their own); baseline: bench/baselines/ordersBaseline.ts.
import { fileURLToPath } from "node:url"
import { defaultDeliveryFeeSchedule, deliveryFeeFor } from "@nelo/domain/orders/DeliveryFeeSchedule"
import { haversineMeters } from "@nelo/domain/geo/haversineMeters"
import {
  advanceOrders,
  benchPin,
  benchPromotion,
  closeOrdersFixtures,
  createPromotion,
  deactivatePromotions,
  newKey,
  openSessions,
  ordersByKeyPrefix,
  ordersEnvironment,
  ordersWorld,
  type OrdersWorld,
  placeOrders,
  promotionUsage
} from "./orderFixtures.ts"
import type { Scenario } from "./scenarios.ts"

const baselineFile = fileURLToPath(new URL("./baselines/ordersBaseline.ts", import.meta.url))
const json = { "content-type": "application/json" }

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null
const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body)
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------
// orders-place: request n, and what its answer must say.

interface PlannedOrder {
  readonly customerIndex: number
  readonly body: Record<string, unknown>
  readonly expected: { readonly customerId: string; readonly providerId: string; readonly subtotalXof: number; readonly deliveryFeeXof: number; readonly discountXof: number; readonly totalXof: number; readonly lines: number; readonly promotion: boolean }
}

/**
 * The n-th order of a run: customers in turn (never two orders of one customer in flight: 1,000
 * customers, 32 connections), restaurants spread over all 200, and 3 lines with options that vary:
 * a dish (half of them with counted stock) with a size and a side, two grills with a size and 0 to
 * 2 extras, a drink with a size; the promotion's code and the PIN. The totals are computed here from
 * the menu's prices, the distance (haversine, as the domain computes it) and the default fee bands.
 */
const planOrder = (world: OrdersWorld, promoCode: string | undefined, n: number): PlannedOrder => {
  const customerIndex = n % world.customers.length
  const customer = world.customers[customerIndex]!
  const provider = world.providers[(n * 7 + Math.floor(n / world.customers.length)) % world.providers.length]!
  const dish = provider.products[n % 10]!
  const grill = provider.products[10 + (n % 5)]!
  const drink = provider.products[15 + ((n >> 1) % 5)]!
  const pick = (product: typeof dish, group: string, name: string) => product.options[group]![name]!
  const dishOptions = [pick(dish, "Taille", n % 2 === 0 ? "Normal" : "Grand"), pick(dish, "Accompagnement", ["Attiéké", "Alloco", "Riz"][n % 3]!)]
  const grillExtras = [[], ["Piment"], ["Oignons", "Mayonnaise"]][n % 3]!
  const grillOptions = [pick(grill, "Taille", n % 4 < 2 ? "Normal" : "Grand"), ...grillExtras.map((name) => pick(grill, "Suppléments", name))]
  const drinkOptions = [pick(drink, "Taille", n % 3 === 0 ? "Grand" : "Normal")]
  const lineTotal = (product: typeof dish, options: ReadonlyArray<{ readonly priceDeltaXof: number }>, quantity: number) =>
    (product.priceXof + options.reduce((sum, option) => sum + option.priceDeltaXof, 0)) * quantity
  const subtotalXof = lineTotal(dish, dishOptions, 1) + lineTotal(grill, grillOptions, 2) + lineTotal(drink, drinkOptions, 1)
  const distanceM = Math.round(haversineMeters(provider.location, customer.location))
  const deliveryFeeXof = deliveryFeeFor(defaultDeliveryFeeSchedule, distanceM)
  const discountXof = promoCode === undefined ? 0 : Math.min(Math.floor((subtotalXof * benchPromotion.basisPoints) / 10_000), subtotalXof, benchPromotion.maximumDiscountXof)
  return {
    customerIndex,
    body: {
      providerId: provider.id,
      addressId: customer.addressId,
      items: [
        { productId: dish.id, quantity: 1, options: dishOptions.map((option) => option.id) },
        { productId: grill.id, quantity: 2, options: grillOptions.map((option) => option.id) },
        { productId: drink.id, quantity: 1, options: drinkOptions.map((option) => option.id) }
      ],
      ...(promoCode === undefined ? {} : { promoCode }),
      paymentMethod: "wallet",
      pin: benchPin
    },
    expected: { customerId: customer.id, providerId: provider.id, subtotalXof, deliveryFeeXof, discountXof, totalXof: subtotalXof + deliveryFeeXof - discountXof, lines: 3, promotion: promoCode !== undefined }
  }
}

/** What is wrong with a placed order's answer (views.ts orderView), or undefined. */
const placedOrderProblem = (order: unknown, expected: PlannedOrder["expected"] | undefined): string | undefined => {
  if (!isRecord(order)) return "no order object"
  if (typeof order["id"] !== "string" || typeof order["reference"] !== "string" || !/^ORD-[0-9A-Z]{8}$/u.test(order["reference"])) return "no id or reference"
  if (order["status"] !== "pending" || order["paymentMethod"] !== "wallet" || order["paymentStatus"] !== "paid") return `status ${String(order["status"])}, payment ${String(order["paymentMethod"])} ${String(order["paymentStatus"])}`
  if (!Array.isArray(order["lines"]) || !("promotion" in order) || !isRecord(order["pickup"]) || !isRecord(order["destination"])) return "no lines, promotion, pickup or destination"
  // The customer placing the order is shown its delivery code.
  if (typeof order["deliveryCode"] !== "string" || !/^[0-9]{4}$/u.test(order["deliveryCode"])) return "no 4-digit delivery code"
  if (expected === undefined) return undefined
  if (isRecord(order["promotion"]) !== expected.promotion) return expected.promotion ? "no promotion applied" : "a promotion applied"
  if (order["customerId"] !== expected.customerId) return `the order of ${String(order["customerId"])}, not ${expected.customerId}`
  if (order["providerId"] !== expected.providerId) return `an order at ${String(order["providerId"])}, not ${expected.providerId}`
  if (order["lines"].length !== expected.lines) return `${order["lines"].length} lines, not ${expected.lines}`
  for (const field of ["subtotalXof", "deliveryFeeXof", "discountXof", "totalXof"] as const) {
    if (order[field] !== expected[field]) return `${field} ${String(order[field])}, not ${expected[field]}`
  }
  return undefined
}

let placeWorld: OrdersWorld | undefined
const runPromotions: Array<string> = []

const closeOrders = async () => {
  try {
    if (runPromotions.length > 0) await deactivatePromotions(runPromotions.splice(0))
  } finally {
    await closeOrdersFixtures()
  }
}

// ---------------------------------------------------------------------------------------------
// orders-tracking: the orders followed, each with a timeline of 1 to 4 changes.

const trackingKeyPrefix = "bench-tracking-"
const trackedOrderCount = 2_000
const trackedStates = ["pending", "confirmed", "preparing", "ready"] as const

/** 2,000 orders of the bench customers (2 each), placed once by the orders' use case, a quarter of them at each of the first four states. */
const trackedOrders = async (world: OrdersWorld) => {
  const key = (index: number) => `${trackingKeyPrefix}${String(index).padStart(5, "0")}`
  const existing = new Map((await ordersByKeyPrefix(trackingKeyPrefix)).map((order) => [order.idempotencyKey, order]))
  const missing = Array.from({ length: trackedOrderCount }, (_, index) => index).filter((index) => !existing.has(key(index)))
  if (missing.length > 0) {
    process.stdout.write(`  orders: placing ${missing.length} orders to track (the orders' own use case), then moving them on...\n`)
    const placed = await placeOrders(missing.map((index) => {
      const planned = planOrder(world, undefined, index)
      const body = planned.body
      const items = (body["items"] as ReadonlyArray<{ productId: string; quantity: number; options: ReadonlyArray<string> }>)
      return {
        customerId: world.customers[planned.customerIndex]!.id,
        input: { providerId: body["providerId"] as string, addressId: body["addressId"] as string, items, promoCode: null, paymentMethod: "wallet" as const, note: null, pin: benchPin, idempotencyKey: key(index) }
      }
    }))
    const owners = new Map(world.providers.map((provider) => [provider.id, provider.ownerId]))
    await advanceOrders(missing.flatMap((index, at) => {
      const state = trackedStates[index % trackedStates.length]!
      const order = placed[at]!
      return state === "pending" ? [] : [{ ownerId: owners.get(order.providerId)!, orderId: order.id, to: state }]
    }))
  }
  const orders = await ordersByKeyPrefix(trackingKeyPrefix)
  const wrongState = orders.filter((order) => order.status !== trackedStates[Number(order.idempotencyKey.slice(trackingKeyPrefix.length)) % trackedStates.length])
  if (orders.length !== trackedOrderCount || wrongState.length > 0) throw new Error(`expected ${trackedOrderCount} tracked orders in their states, found ${orders.length} (${wrongState.length} in another state)`)
  return orders.map((order) => ({ ...order, changes: trackedStates.indexOf(order.status as typeof trackedStates[number]) + 1 }))
}

/** What is wrong with a tracking answer (views.ts trackingView), or undefined. */
const trackingProblem = (tracking: unknown, orderId: string | undefined, changes: number | undefined): string | undefined => {
  if (!isRecord(tracking) || typeof tracking["orderId"] !== "string" || typeof tracking["reference"] !== "string" || typeof tracking["status"] !== "string") return "no orderId, reference or status"
  if (!Array.isArray(tracking["timeline"]) || !isRecord(tracking["pickup"]) || !isRecord(tracking["destination"]) || !("delivery" in tracking)) return "no timeline, pickup, destination or delivery"
  // Read with the order's customer's token: the delivery code is in it.
  if (typeof tracking["deliveryCode"] !== "string" || !/^[0-9]{4}$/u.test(tracking["deliveryCode"])) return "no 4-digit delivery code"
  if (orderId !== undefined && tracking["orderId"] !== orderId) return `the tracking of ${tracking["orderId"]}, not ${orderId}`
  if (changes !== undefined && tracking["timeline"].length !== changes) return `${tracking["timeline"].length} changes, not ${changes}`
  const timeline = tracking["timeline"] as ReadonlyArray<unknown>
  if (!timeline.every((entry) => isRecord(entry) && typeof entry["position"] === "number" && typeof entry["at"] === "string" && typeof entry["status"] === "string")) return "a timeline entry without position, at or status"
  return undefined
}

/**
 * Issue: POST /api/v1/orders paid by wallet, 1,000 customers, 200 restaurants, every request a fresh
 * idempotency key; each server its own promotion code (the same terms). Every 201 is parsed and
 * checked: the customer's order, at the restaurant asked, with the totals computed here.
 */
const placeScenario = (withCode: boolean): Scenario => ({
  description: `POST /api/v1/orders (wallet, 3 lines with options, ${withCode ? "a promotion code" : "no promotion code"}, the PIN): the key look-up, the PIN (keyed digest + Redis attempt), the quote (provider, whole menu, addresses, fee bands, promotion), one transaction (order + feed position, 3 stock savepoints, the promotion's locked use, the KYC level, the ledger's locked payment, the provider and owner again, 3 outbox rows), then 2 PUBLISH and the menu's version; 1,000 customers, 200 restaurants`,
  method: "POST",
  apiPath: "/api/v1/orders",
  baselineServerFile: baselineFile,
  environment: ordersEnvironment,
  // A first run makes the database, 200 restaurants and 1,000 customers (≈ 25 s here).
  setupSeconds: 300,
  setup: async () => {
    const world = placeWorld ??= await ordersWorld()
    const promotion = withCode ? await createPromotion() : undefined
    if (promotion !== undefined) runPromotions.push(promotion.id)
    const tokens = await openSessions(world.customers.map((customer) => ({ id: customer.id, roles: ["client"] })))
    const bearer = (index: number) => `Bearer ${tokens[index]!}`
    // The check request: the last customer's order, outside the load's sequence.
    const check = planOrder(world, promotion?.code, world.customers.length - 1)
    let next = 0
    let placed = 0
    let wrong = 0
    let firstProblem: string | undefined
    return {
      headers: { ...json, authorization: bearer(check.customerIndex) },
      body: JSON.stringify({ ...check.body, idempotencyKey: newKey() }),
      requests: [{
        setupRequest: (request, context) => {
          const planned = planOrder(world, promotion?.code, next++)
          context["expected"] = planned.expected
          request.headers = { ...request.headers, ...json, authorization: bearer(planned.customerIndex) }
          request.body = JSON.stringify({ ...planned.body, idempotencyKey: newKey() })
          return request
        },
        onResponse: (status, body, context) => {
          if (status < 200 || status >= 300) return
          placed += 1
          const problem = status !== 201 ? `status ${status}` : placedOrderProblem(parseJson(body), context["expected"] as PlannedOrder["expected"])
          if (problem !== undefined) {
            wrong += 1
            firstProblem ??= `${problem}: ${body.slice(0, 200)}`
          }
        }
      }],
      status: () => {
        const text = `${placed} orders placed since the previous line (every answer parsed and checked), ${wrong} wrong so far${firstProblem === undefined ? "" : ` (${firstProblem})`}`
        placed = 0
        return text
      },
      wrongCount: () => wrong
    }
  },
  teardown: async () => {
    for (const id of runPromotions) {
      const usage = await promotionUsage(id).catch(() => undefined)
      if (usage !== undefined) process.stdout.write(`  orders: promotion ${id}: ${usage.uses} uses, ${usage.discountTotalXof} F of its 10,000,000 F budget\n`)
    }
    await closeOrders()
  },
  checkResponse: (status, body) => {
    if (status !== 201) return `status ${status}: ${body.slice(0, 300)}`
    const problem = placedOrderProblem(parseJson(body), undefined)
    return problem === undefined ? undefined : `${problem}: ${body.slice(0, 300)}`
  }
})

export const orderScenarios: Readonly<Record<string, Scenario>> = {
  "orders-place": placeScenario(true),
  // Diagnosis only (not the issue's measure): the same orders without a promotion code, so that no
  // row is shared by every order of the run (see BENCHMARKS.md "Orders": the promotion's row lock).
  "orders-place-without-code": placeScenario(false),

  // Issue: GET /api/v1/orders/{id}/tracking over 2,000 orders (a quarter each pending, confirmed,
  // preparing, ready: 1 to 4 changes) with their own customers' tokens. Every answer is checked to
  // be the order asked for with its number of changes.
  "orders-tracking": {
    description: "GET /api/v1/orders/{id}/tracking: JWT + revocation MGET, SELECT of the order, SELECT of its changes, the tracking view; 2,000 orders of 1,000 customers in turn, 1 to 4 changes each",
    method: "GET",
    apiPath: "/api/v1/orders/00000000-0000-7000-8000-000000000000/tracking",
    baselineServerFile: baselineFile,
    environment: ordersEnvironment,
    // A first run also places and moves on the 2,000 tracked orders.
    setupSeconds: 600,
    setup: async () => {
      const world = placeWorld ??= await ordersWorld()
      const orders = await trackedOrders(world)
      const customerIndex = new Map(world.customers.map((customer, index) => [customer.id, index]))
      const tokens = await openSessions(world.customers.map((customer) => ({ id: customer.id, roles: ["client"] })))
      const requests = orders.map((order) => ({ path: `/api/v1/orders/${order.id}/tracking`, authorization: `Bearer ${tokens[customerIndex.get(order.customerId)!]!}`, orderId: order.id, changes: order.changes }))
      let next = 0
      let answered = 0
      let wrong = 0
      let firstProblem: string | undefined
      return {
        headers: { authorization: requests[0]!.authorization },
        checkPath: requests[0]!.path,
        requests: [{
          setupRequest: (request, context) => {
            const planned = requests[next++ % requests.length]!
            context["orderId"] = planned.orderId
            context["changes"] = planned.changes
            request.path = planned.path
            request.headers = { ...request.headers, authorization: planned.authorization }
            return request
          },
          onResponse: (status, body, context) => {
            if (status !== 200) return
            answered += 1
            const problem = trackingProblem(parseJson(body), context["orderId"] as string, context["changes"] as number)
            if (problem !== undefined) {
              wrong += 1
              firstProblem ??= `${problem}: ${body.slice(0, 200)}`
            }
          }
        }],
        status: () => {
          const text = `${answered} trackings since the previous line (every answer parsed and checked), ${wrong} wrong so far${firstProblem === undefined ? "" : ` (${firstProblem})`}`
          answered = 0
          return text
        },
        wrongCount: () => wrong
      }
    },
    teardown: closeOrders,
    checkResponse: (status, body) => {
      if (status !== 200) return `status ${status}: ${body.slice(0, 300)}`
      const problem = trackingProblem(parseJson(body), undefined, undefined)
      return problem === undefined ? undefined : `${problem}: ${body.slice(0, 300)}`
    }
  }
}
