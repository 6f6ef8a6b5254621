import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { adminOf, cashOrder, customerOf, garbaItem, ok, placed, places, restaurantOf } from "../../support/orderClient.ts"
import { Bed, cleanly, confirmAndDispatch, type Driver, deliveryBedLayer, driverAt, expectProblemOf, offline, rawCall, readyOver } from "../../deliveries/http/deliveryFixtures.ts"

// The drivers' cash over HTTP (issue 13, "Driver cash"): an admin records cash a driver handed in
// (201, 200 when the same remittance is sent again), reads who holds cash (the report); bad input a
// 400 naming the field with nothing written; a non-admin 403; no token 401; an unknown driver 404.

const remitPath = (driverId: string) => `/api/v1/admin/drivers/${driverId}/cash-remittances`
const reportPath = "/api/v1/admin/drivers/cash"

interface ReportLine {
  readonly driverId: string
  readonly fullName: string
  readonly phone: string | null
  readonly cashHeldXof: number
  readonly capXof: number
  readonly overCap: boolean
  readonly oldestUnremittedAt: string | null
  readonly ageHours: number | null
  readonly shortfallXof: number
}

/** A driver who delivered a cash order of a new customer at a new restaurant (offline afterwards): he holds its total. */
const driverHoldingCash = Effect.gen(function*() {
  const bed = yield* Bed
  const shop = yield* restaurantOf(bed.api)
  const buyer = yield* customerOf(bed)
  const driver = yield* driverAt(places.market)
  const order = yield* placed(buyer, cashOrder(shop, buyer, [garbaItem(shop, 2)]))
  const { deliveryId, offers } = yield* confirmAndDispatch(shop, order.id)
  const offer = offers.find((candidate) => candidate.driverId === driver.userId)
  assert.isDefined(offer, "the cash order is offered to the driver")
  yield* ok(driver.api.drivers.acceptOffer({ params: { offerId: offer!.id } }))
  yield* readyOver(shop, order.id)
  yield* ok(driver.api.deliveries.pickUp({ params: { deliveryId } }))
  yield* ok(driver.api.deliveries.start({ params: { deliveryId } }))
  const done = yield* ok(driver.api.deliveries.complete({ params: { deliveryId }, payload: { code: order.deliveryCode!, cashCollectedXof: order.totalXof as never } }))
  assert.strictEqual(done.status, "delivered")
  yield* offline([driver])
  return { driver, totalXof: order.totalXof }
})

const lineOf = (token: string, driver: Driver, query = "") =>
  Effect.gen(function*() {
    const response = yield* rawCall("GET", `${reportPath}${query}`, token)
    assert.strictEqual(response.status, 200, JSON.stringify(response.body))
    const body = response.body as { readonly drivers: ReadonlyArray<ReportLine>; readonly capXof: number; readonly totalHeldXof: number }
    return { body, line: body.drivers.find((line) => line.driverId === driver.userId) }
  })

layer(deliveryBedLayer(), { excludeTestServices: true, timeout: "180 seconds" })("drivers' cash over HTTP", (it) => {
  it.effect("201 then 200 for the same remittance; the report shows what he holds; 409 over what he holds or a reference reused; all handed in, he leaves the report", () =>
    cleanly(Effect.gen(function*() {
      const bed = yield* Bed
      const admin = yield* adminOf(bed.api)
      const { driver, totalXof } = yield* driverHoldingCash

      const before = yield* lineOf(admin.token, driver)
      assert.deepInclude(before.line as unknown as Record<string, unknown>, { cashHeldXof: totalXof, capXof: 50_000, overCap: false, ageHours: 0, phone: `+225${driver.phone.slice(-10)}`, shortfallXof: totalXof })
      assert.isString(before.line!.oldestUnremittedAt)
      assert.isUndefined((yield* lineOf(admin.token, driver, "?olderThanHours=1")).line, "collected just now: not older than an hour")

      const body = { amountXof: 1_000, reference: "RECU-2026-001", via: "office", note: "deux billets de 500" }
      const first = yield* rawCall("POST", remitPath(driver.userId), admin.token, body)
      assert.strictEqual(first.status, 201, JSON.stringify(first.body))
      assert.deepInclude(first.body as Record<string, unknown>, { driverId: driver.userId, amountXof: 1_000, reference: "RECU-2026-001", via: "office", note: "deux billets de 500", recordedBy: admin.userId, cashHeldXof: totalXof - 1_000, replayed: false })
      const again = yield* rawCall("POST", remitPath(driver.userId), admin.token, body)
      assert.strictEqual(again.status, 200, JSON.stringify(again.body))
      assert.deepInclude(again.body as Record<string, unknown>, { transactionId: (first.body as { readonly transactionId: string }).transactionId, cashHeldXof: totalXof - 1_000, replayed: true })
      assert.strictEqual((yield* lineOf(admin.token, driver)).line?.cashHeldXof, totalXof - 1_000, "written once")

      const reused = yield* rawCall("POST", remitPath(driver.userId), admin.token, { ...body, amountXof: 2_000 })
      expectProblemOf(reused, 409, "remittance_reference_reused")
      assert.deepInclude(reused.body as Record<string, unknown>, { reference: "RECU-2026-001", recordedXof: 1_000, recordedVia: "office" })
      const over = yield* rawCall("POST", remitPath(driver.userId), admin.token, { amountXof: totalXof, reference: "WAVE-XYZ", via: "wave" })
      expectProblemOf(over, 409, "remittance_exceeds_held")
      assert.strictEqual((over.body as { readonly heldXof: number }).heldXof, totalXof - 1_000)

      const rest = yield* rawCall("POST", remitPath(driver.userId), admin.token, { amountXof: totalXof - 1_000, reference: "WAVE-XYZ", via: "wave" })
      assert.strictEqual(rest.status, 201, JSON.stringify(rest.body))
      assert.deepInclude(rest.body as Record<string, unknown>, { cashHeldXof: 0, via: "wave", note: null })
      assert.isUndefined((yield* lineOf(admin.token, driver)).line, "nothing held: not in the report")
    })))

  it.effect("bad input, each a 400 naming the field, nothing written; a non-admin 403; no token 401; an unknown driver 404", () =>
    cleanly(Effect.gen(function*() {
      const bed = yield* Bed
      const admin = yield* adminOf(bed.api)
      const { driver, totalXof } = yield* driverHoldingCash
      const good = { amountXof: 500, reference: "RECU-9", via: "office" }
      const bad: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
        ["amountXof", { ...good, amountXof: 0 }],
        ["amountXof", { ...good, amountXof: -500 }],
        ["amountXof", { ...good, amountXof: 10.5 }],
        ["amountXof", { ...good, amountXof: "500" }],
        ["amountXof", { reference: "RECU-9", via: "office" }],
        ["reference", { ...good, reference: "" }],
        ["reference", { ...good, reference: "avec espace" }],
        ["reference", { ...good, reference: "R".repeat(65) }],
        ["via", { ...good, via: "orange_money" }],
        ["via", { amountXof: 500, reference: "RECU-9" }],
        ["note", { ...good, note: "billets\u0000" }],
        ["note", { ...good, note: "x".repeat(501) }]
      ]
      for (const [field, body] of bad) {
        const response = yield* rawCall("POST", remitPath(driver.userId), admin.token, body)
        expectProblemOf(response, 400, "invalid_request", `${field}: ${JSON.stringify(body)}`)
        const paths = ((response.body as { readonly errors?: ReadonlyArray<{ readonly path: ReadonlyArray<string | number> }> }).errors ?? []).map((problem) => problem.path)
        assert.isTrue(paths.some((path) => path.includes(field)), `${field} named in ${JSON.stringify(response.body)}`)
      }
      expectProblemOf(yield* rawCall("POST", remitPath("pas-un-uuid"), admin.token, good), 400, "invalid_request")
      expectProblemOf(yield* rawCall("POST", remitPath(driver.userId), driver.token, good), 403, "forbidden")
      expectProblemOf(yield* rawCall("GET", reportPath, driver.token), 403, "forbidden")
      expectProblemOf(yield* rawCall("POST", remitPath(driver.userId), undefined, good), 401, "unauthenticated")
      expectProblemOf(yield* rawCall("GET", reportPath, undefined), 401, "unauthenticated")
      expectProblemOf(yield* rawCall("POST", remitPath(crypto.randomUUID()), admin.token, good), 404, "driver_not_registered")
      expectProblemOf(yield* rawCall("GET", `${reportPath}?olderThanHours=-1`, admin.token), 400, "invalid_request")
      assert.strictEqual((yield* lineOf(admin.token, driver)).line?.cashHeldXof, totalXof, "nothing written by the refusals")
    })))
})
