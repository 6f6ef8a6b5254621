import { assert, layer } from "@effect/vitest"
import { Effect, Layer, Stream } from "effect"
import { EarningsLive } from "@nelo/adapters/contexts/EarningsLive"
import { LedgerPostgres } from "@nelo/adapters/postgres/LedgerPostgres"
import { Earnings } from "@nelo/domain/earnings/Earnings"
import { xof } from "@nelo/domain/shared/Xof"
import type { UserId } from "@nelo/domain/users/User"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { adminOf, type Customer, customerOf, garbaItem, ok, placed, places, type Restaurant, restaurantOf, walletOrder } from "../../support/orderClient.ts"
import { Bed, confirmAndDispatch, type Driver, deliveryBedLayer, driverAt, expectProblemOf, offline, rawCall, readyOver } from "../../deliveries/http/deliveryFixtures.ts"

// Statements over HTTP (issue 13, "Statements"), on the real server and Postgres: the JSON pages
// and the CSV download are the same lines, and they are the ledger's entries of the earnings
// account; another provider's owner and a customer get 404, nobody signed in 401, bad periods a
// 400 naming the parameter; the revenue report is for admins.

const anOrder = (shop: Restaurant, buyer: Customer) => placed(buyer, walletOrder(shop, buyer, [garbaItem(shop, 2)]))

const delivered = (shop: Restaurant, order: { readonly id: string; readonly deliveryCode?: string | undefined }, driver: Driver) =>
  Effect.gen(function*() {
    const { deliveryId, offers } = yield* confirmAndDispatch(shop, order.id)
    const offer = offers.find((candidate) => candidate.driverId === driver.userId)
    assert.isDefined(offer, "the order is offered to the driver")
    yield* ok(driver.api.drivers.acceptOffer({ params: { offerId: offer!.id } }))
    yield* readyOver(shop, order.id)
    yield* ok(driver.api.deliveries.pickUp({ params: { deliveryId } }))
    yield* ok(driver.api.deliveries.start({ params: { deliveryId } }))
    yield* ok(driver.api.deliveries.complete({ params: { deliveryId }, payload: { code: order.deliveryCode! } }))
  })

// The earnings context and the ledger on the same Postgres, in this process: the settlement the worker would run.
const BedLayer = Layer.fresh(Layer.mergeAll(EarningsLive, LedgerPostgres)).pipe(Layer.provideMerge(deliveryBedLayer()))

const today = () => new Date().toISOString().slice(0, 10)

/** A GET as a client sends it, the body as text (CSV) or JSON. */
const get = (path: string, token: string | undefined, accept = "application/json") =>
  Effect.gen(function*() {
    const bed = yield* Bed
    return yield* Effect.promise(async () => {
      const response = await fetch(`${bed.api.url}${path}`, { headers: { accept, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) } })
      const text = await response.text()
      return { status: response.status, headers: response.headers, text, json: response.headers.get("content-type")?.includes("json") === true ? JSON.parse(text) : undefined }
    })
  })

/** Every line of a JSON statement, page by page (limit 2: the cursor is exercised). */
const jsonLines = (path: string, token: string) =>
  Effect.gen(function*() {
    const lines: Array<Record<string, unknown>> = []
    let cursor: string | null = null
    let totals: Record<string, number> | undefined
    for (;;) {
      const page: { readonly status: number; readonly text: string; readonly json: any } = yield* get(`${path}&limit=2${cursor === null ? "" : `&cursor=${cursor}`}`, token)
      assert.strictEqual(page.status, 200, page.text)
      totals ??= page.json.totals
      lines.push(...page.json.lines)
      if (page.json.nextCursor === null) return { lines, totals: totals! }
      cursor = page.json.nextCursor
    }
  })

/** A CSV body's rows as records of the header's columns (no field here holds a comma or a quote). */
const csvRecords = (text: string) => {
  const [header, ...rows] = text.split("\r\n").filter((row) => row.length > 0)
  const columns = header!.split(",")
  return rows.map((row) => Object.fromEntries(row.split(",").map((value, index) => [columns[index]!, value])))
}

/** A JSON line as the CSV writes it. */
const asCsv = (line: Record<string, unknown>): Record<string, string> => ({
  date: String(line.at),
  type: String(line.type),
  kind: String(line.kind),
  reference: String(line.reference ?? ""),
  orderId: String(line.orderId ?? ""),
  grossXof: line.grossXof === null ? "" : String(line.grossXof),
  commissionXof: line.commissionXof === null ? "" : String(line.commissionXof),
  discountXof: line.discountXof === null ? "" : String(line.discountXof),
  refundsXof: line.refundsXof === null ? "" : String(line.refundsXof),
  amountXof: String(line.amountXof),
  balanceXof: String(line.balanceXof),
  transactionId: String(line.transactionId),
  note: String(line.note ?? "")
})

layer(BedLayer, { excludeTestServices: true, timeout: "180 seconds" })("statements over HTTP", (it) => {
  it.effect("a provider's and a driver's statement: JSON pages and CSV download equal, and equal to the ledger; refunds before and after settlement; BOLA 404; 401", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const earnings = yield* Earnings
      const ledger = yield* Ledger
      const admin = yield* adminOf(bed.api)
      const adminActor = { userId: admin.userId as UserId, roles: ["client", "admin"] as const }
      const shop = yield* restaurantOf(bed.api)
      const driver = yield* driverAt(places.market)
      const orders = []
      for (let index = 0; index < 3; index++) {
        const buyer = yield* customerOf(bed, { funds: 20_000 })
        const order = yield* anOrder(shop, buyer)
        yield* delivered(shop, order, driver)
        orders.push(order)
      }
      yield* offline([driver])
      // Before settlement (charged to the provider's share), settled, then after (from the driver's earnings).
      yield* earnings.refund(adminActor, orders[0]!.id, { amountXof: xof(700), reason: "Boisson manquante", responsible: "provider", to: "wallet", idempotencyKey: crypto.randomUUID() })
      for (const order of orders) assert.strictEqual(yield* earnings.settle(order.id), "settled")
      yield* earnings.refund(adminActor, orders[1]!.id, { amountXof: xof(200), reason: "Retard", responsible: "driver", to: "wallet", idempotencyKey: crypto.randomUUID() })

      const period = `from=${today()}&to=${today()}`
      for (const [path, token, account, name] of [
        [`/api/v1/providers/${shop.providerId}/earnings?${period}`, shop.owner.token, yield* ledger.providerEarningsOf(shop.providerId), "releve-commerce-"],
        [`/api/v1/drivers/me/earnings?${period}`, driver.token, yield* ledger.driverEarningsOf(driver.userId), "releve-livreur-"]
      ] as const) {
        const { lines, totals } = yield* jsonLines(path, token)
        const entries = [...(yield* ledger.history({ accountId: account.id, beforeId: null, types: null, limit: 1_000 }))].reverse()
        assert.deepStrictEqual(lines.map((line) => [line.transactionId, line.amountXof]), entries.map((entry) => [entry.transaction.id, entry.amountXof]), "every entry of the account, in order")
        const balance = (yield* ledger.stateOf(account.id)).balanceXof
        assert.deepInclude(totals, { openingBalanceXof: 0, closingBalanceXof: balance, lines: entries.length, settledOrders: 3 })
        assert.strictEqual(lines.at(-1)!.balanceXof, balance)
        for (const line of lines.filter((line) => line.kind === "settlement")) {
          assert.strictEqual((line.grossXof as number) - (line.commissionXof as number) - (line.discountXof as number) - (line.refundsXof as number), line.amountXof)
          assert.match(line.reference as string, /^ORD-/u)
        }
        assert.strictEqual(lines.filter((line) => line.kind === "refund").length, name === "releve-livreur-" ? 1 : 0, "the refund after settlement is the driver's")

        const csv = yield* get(path, token, "text/csv")
        assert.strictEqual(csv.status, 200)
        assert.strictEqual(csv.headers.get("content-type"), "text/csv; charset=utf-8")
        assert.match(csv.headers.get("content-disposition")!, new RegExp(`^attachment; filename="${name}[^"]*${today()}-${today()}\\.csv"$`, "u"))
        assert.deepStrictEqual(csvRecords(csv.text), lines.map(asCsv), "the CSV is the JSON's lines")
        const exportedLines = yield* Stream.runCollect(ledger.entriesBetween({ accountId: account.id, from: new Date(`${today()}T00:00:00Z`), to: new Date(Date.parse(`${today()}T00:00:00Z`) + 86_400_000), afterId: null, limit: null }))
        assert.deepStrictEqual(csvRecords(csv.text).map((row) => [row.transactionId, Number(row.amountXof)]), exportedLines.map((entry) => [entry.transaction.id, entry.amountXof]), "the CSV equals the ledger")
      }
      const providerTotals = (yield* jsonLines(`/api/v1/providers/${shop.providerId}/earnings?${period}`, shop.owner.token)).totals
      assert.strictEqual(providerTotals.refundsXof, 700)

      // BOLA: another provider's owner, a customer, the driver: not found, in JSON and CSV alike. An admin sees it.
      const other = yield* restaurantOf(bed.api)
      const customer = yield* customerOf(bed)
      const path = `/api/v1/providers/${shop.providerId}/earnings?${period}`
      for (const token of [other.owner.token, customer.token, driver.token]) {
        for (const accept of ["application/json", "text/csv"]) {
          const refused = yield* get(path, token, accept)
          assert.strictEqual(refused.status, 404, refused.text)
          assert.strictEqual(refused.json?.code, "not_found")
        }
      }
      assert.strictEqual((yield* get(path, admin.token)).status, 200)
      assert.strictEqual((yield* get(`/api/v1/providers/${crypto.randomUUID()}/earnings?${period}`, other.owner.token)).status, 404)
      expectProblemOf(yield* rawCall("GET", path), 401, "unauthenticated")
      expectProblemOf(yield* rawCall("GET", `/api/v1/drivers/me/earnings?${period}`), 401, "unauthenticated")
      // Someone who is not a driver has no driver's statement.
      expectProblemOf(yield* rawCall("GET", `/api/v1/drivers/me/earnings?${period}`, customer.token), 404, "driver_not_registered")

      // The revenue report: the day's three orders, admins only.
      const report = yield* get(`/api/v1/admin/reports/revenue?${period}`, admin.token)
      assert.strictEqual(report.status, 200, report.text)
      assert.lengthOf(report.json.days, 1)
      assert.isAtLeast(report.json.totals.orders, 3)
      assert.isAtLeast(report.json.totals.refundsXof, 900)
      expectProblemOf(yield* rawCall("GET", `/api/v1/admin/reports/revenue?${period}`, shop.owner.token), 403, "forbidden")
    }))

  it.effect("bad input: each a problem+json 400 with its code, the parameter's path and a French message", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const admin = yield* adminOf(bed.api)
      const shop = yield* restaurantOf(bed.api)
      const base = `/api/v1/providers/${shop.providerId}/earnings`
      const cases: ReadonlyArray<readonly [string, string, string]> = [
        ["from=2026-02-30&to=2026-03-01", "invalid_date", "from"],
        ["from=2026-03-01&to=2026-03-32", "invalid_date", "to"],
        ["from=2026-03-02&to=2026-03-01", "period_reversed", "to"],
        ["from=2025-01-01&to=2026-01-02", "period_too_long", "to"],
        ["from=01/03/2026&to=2026-03-01", "invalid_request", "from"],
        ["to=2026-03-01", "invalid_request", "from"],
        ["from=2026-03-01&to=2026-03-01&cursor=nope", "invalid_request", "cursor"],
        ["from=2026-03-01&to=2026-03-01&limit=0", "invalid_request", "limit"],
        ["from=2026-03-01&to=2026-03-01&limit=501", "invalid_request", "limit"]
      ]
      for (const [query, code, field] of cases) {
        // The CSV is the whole period: it takes no cursor (nor limit, which the contract checks all the same).
        for (const accept of field === "cursor" ? ["application/json"] : ["application/json", "text/csv"]) {
          const response = yield* get(`${base}?${query}`, shop.owner.token, accept)
          const where = `${query} (${accept}) → ${response.status} ${response.text}`
          assert.strictEqual(response.status, 400, where)
          assert.strictEqual(response.headers.get("content-type"), "application/problem+json", where)
          assert.strictEqual(response.json.code, code, where)
          assert.isTrue(response.json.errors.some((error: { readonly path: ReadonlyArray<string> }) => error.path.includes(field)), where)
          assert.match(response.json.message, /[a-zé]/u, where)
        }
      }
      const reversed = yield* get(`/api/v1/admin/reports/revenue?from=2026-03-02&to=2026-03-01`, admin.token)
      assert.deepStrictEqual([reversed.status, reversed.json.code], [400, "period_reversed"])
      assert.match(reversed.json.message, /après la date de fin/u)
    }))
})
