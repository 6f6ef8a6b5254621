import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { randomMobile } from "../../support/apiClient.ts"
import { problemOf } from "../../support/neloClient.ts"
import { ok, places, restaurantOf } from "../../support/orderClient.ts"
import { Bed, deliveryBedLayer, driverAt, expectProblemOf, personOf, rawCall } from "../../deliveries/http/deliveryFixtures.ts"

// Payout numbers over HTTP (issue 13, "Payouts"), on the real server, Postgres and Redis: a driver
// (or a provider's owner, for his provider) registers a Wave number, confirmed by the code texted
// to it; a change is logged, holds payouts 24 h and tells the old number (an SMS in the outbox, for
// the worker); wrong codes, bad input, no pending number, other people's providers and callers who
// are not drivers are refused with problem+json, and nothing is stored.

const dayMs = 24 * 3600_000

/** A typed local number and its stored E.164 form. */
const aNumber = () => {
  const local = randomMobile()
  return { local, e164: `+225${local}` }
}

/** The last code texted to a number (the test server keeps the SMS in memory). */
const lastCodeTo = (e164: string) =>
  Effect.gen(function*() {
    const bed = yield* Bed
    const message = bed.api.sms.sent().filter((sms) => sms.to === e164).at(-1)
    assert.isDefined(message, `an SMS to ${e164}`)
    return /\b(\d{6})\b/u.exec(message!.body)![1]!
  })

const smsCountTo = (e164: string) =>
  Effect.gen(function*() {
    const bed = yield* Bed
    return bed.api.sms.sent().filter((sms) => sms.to === e164).length
  })

/** The SMS the worker will send about a payee's payout account (the outbox's notification requests). */
const outboxSmsOf = (payeeId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* sql<{ to: string; body: string }>`
      SELECT payload->>'to' AS to, payload->>'body' AS body
      FROM events.outbox WHERE aggregate_type = 'payout_account' AND aggregate_id = ${payeeId} AND type = 'notification.requested'
        AND payload->>'channel' = 'sms' ORDER BY sequence`
  })

/** A wrong code for this right one. */
const wrongCode = (code: string) => code === "000000" ? "111111" : "000000"

const driverPaths = {
  account: "/api/v1/drivers/me/payout-account",
  confirm: "/api/v1/drivers/me/payout-account/confirm",
  changes: "/api/v1/drivers/me/payout-account/changes"
}

const providerPaths = (providerId: string) => ({
  account: `/api/v1/providers/${providerId}/payout-account`,
  confirm: `/api/v1/providers/${providerId}/payout-account/confirm`,
  changes: `/api/v1/providers/${providerId}/payout-account/changes`
})

/** The four operations on an account's paths, as raw calls (with a valid body each). */
const everyOperation = (paths: { readonly account: string; readonly confirm: string; readonly changes: string }) => [
  ["GET", paths.account, undefined],
  ["PUT", paths.account, { mobile: randomMobile() }],
  ["POST", paths.confirm, { code: "123456" }],
  ["GET", paths.changes, undefined]
] as const

layer(deliveryBedLayer(), { excludeTestServices: true, timeout: "180 seconds" })("payout numbers over HTTP", (it) => {
  it.effect("a driver registers a number, confirms it with the texted code; a change is held 24 h, logged, and the old number told", () =>
    Effect.gen(function*() {
      const driver = yield* driverAt(places.market, { online: false })
      const accounts = driver.api.payoutAccounts

      const empty = yield* ok(accounts.driverAccount())
      assert.deepStrictEqual(empty, { mobile: null, confirmedAt: null, payoutsHeldUntil: null, pendingMobile: null, pendingSince: null, holderName: "Aya Kouassi" })
      const nothingPending = yield* problemOf(accounts.confirmDriverNumber({ payload: { code: "123456" } }))
      expectProblemOf(nothingPending, 409, "payout_number_not_pending", "confirm before any request")

      // First number: 202, pending; the confirmed one (none) unchanged until the code comes back.
      const first = aNumber()
      const requested = yield* ok(accounts.requestDriverNumber({ payload: { mobile: `${first.local.slice(0, 2)} ${first.local.slice(2, 4)} ${first.local.slice(4)}` } }), 202)
      assert.deepInclude(requested, { mobile: null, confirmedAt: null, pendingMobile: first.e164, holderName: "Aya Kouassi" })
      assert.isString(requested.pendingSince)
      const again = yield* problemOf(accounts.requestDriverNumber({ payload: { mobile: first.local } }))
      expectProblemOf(again, 429, "too_many_requests", "a second code within the cooldown")
      assert.strictEqual(again.body.limit, "otp_cooldown")
      assert.match(again.headers.get("retry-after")!, /^\d+$/u)
      assert.strictEqual(Number(again.headers.get("retry-after")), again.body.retryAfterSeconds)

      const firstCode = yield* lastCodeTo(first.e164)
      const before = Date.now()
      const confirmed = yield* ok(accounts.confirmDriverNumber({ payload: { code: firstCode } }))
      assert.deepInclude(confirmed, { mobile: first.e164, payoutsHeldUntil: null, pendingMobile: null, pendingSince: null })
      assert.isAtLeast(Date.parse(confirmed.confirmedAt!), before - 1_000)
      assert.deepStrictEqual(yield* ok(accounts.driverAccount()), confirmed)
      assert.lengthOf(yield* outboxSmsOf(driver.userId), 0, "a first number replaces nothing: nobody to tell")
      // The code is used up: confirming again finds nothing pending.
      expectProblemOf(yield* problemOf(accounts.confirmDriverNumber({ payload: { code: firstCode } })), 409, "payout_number_not_pending", "the same code again")

      // A change: the old number stays in use until the new one is confirmed; a wrong code first.
      const second = aNumber()
      const pending = yield* ok(accounts.requestDriverNumber({ payload: { mobile: second.local } }), 202)
      assert.deepInclude(pending, { mobile: first.e164, pendingMobile: second.e164, payoutsHeldUntil: null })
      const secondCode = yield* lastCodeTo(second.e164)
      const wrong = yield* problemOf(accounts.confirmDriverNumber({ payload: { code: wrongCode(secondCode) } }))
      expectProblemOf(wrong, 422, "otp_incorrect", "a wrong code")
      assert.strictEqual(wrong.body.attemptsLeft, 2)
      assert.deepInclude(yield* ok(accounts.driverAccount()), { mobile: first.e164, pendingMobile: second.e164 }, "a wrong code changes nothing")

      const changedAt = Date.now()
      const changed = yield* ok(accounts.confirmDriverNumber({ payload: { code: secondCode } }))
      const heldUntil = Date.parse(changed.payoutsHeldUntil!)
      assert.deepInclude(changed, { mobile: second.e164, pendingMobile: null, pendingSince: null })
      assert.isAtLeast(heldUntil, changedAt + dayMs - 1_000, "payouts held 24 h")
      assert.isAtMost(heldUntil, Date.now() + dayMs + 1_000, "payouts held 24 h")

      // The old number is told (the worker sends it), naming the new one only in part.
      const told = yield* outboxSmsOf(driver.userId)
      assert.lengthOf(told, 1)
      assert.strictEqual(told[0]!.to, first.e164)
      assert.include(told[0]!.body, "remplacé")
      assert.notInclude(told[0]!.body, second.e164)

      // The log: both confirmations, oldest first, by the driver.
      const log = yield* ok(accounts.driverChanges())
      assert.lengthOf(log.changes, 2)
      assert.deepInclude(log.changes[0]!, { previousMobile: null, mobile: first.e164, changedBy: driver.userId })
      assert.deepInclude(log.changes[1]!, { previousMobile: first.e164, mobile: second.e164, changedBy: driver.userId })
      assert.isTrue(Date.parse(log.changes[0]!.at) <= Date.parse(log.changes[1]!.at))
    }))

  it.effect("three wrong codes burn the code; a new request replaces the pending number", () =>
    Effect.gen(function*() {
      const driver = yield* driverAt(places.market, { online: false })
      const accounts = driver.api.payoutAccounts
      const number = aNumber()
      yield* ok(accounts.requestDriverNumber({ payload: { mobile: number.local } }), 202)
      const code = yield* lastCodeTo(number.e164)
      const lefts: Array<unknown> = []
      for (let attempt = 0; attempt < 2; attempt++) lefts.push((yield* problemOf(accounts.confirmDriverNumber({ payload: { code: wrongCode(code) } }))).body.attemptsLeft)
      assert.deepStrictEqual(lefts, [2, 1])
      expectProblemOf(yield* problemOf(accounts.confirmDriverNumber({ payload: { code: wrongCode(code) } })), 422, "otp_attempts_exhausted", "the third wrong code")
      expectProblemOf(yield* problemOf(accounts.confirmDriverNumber({ payload: { code } })), 422, "otp_expired", "the right code once burnt")
      assert.deepInclude(yield* ok(accounts.driverAccount()), { mobile: null, pendingMobile: number.e164 }, "still waiting: a new code is asked for")

      // Another number asked for: it replaces the pending one, and only its code confirms.
      const other = aNumber()
      yield* ok(accounts.requestDriverNumber({ payload: { mobile: other.local } }), 202)
      const confirmed = yield* ok(accounts.confirmDriverNumber({ payload: { code: yield* lastCodeTo(other.e164) } }))
      assert.deepInclude(confirmed, { mobile: other.e164, pendingMobile: null, payoutsHeldUntil: null })
    }))

  it.effect("bad input: a problem+json naming the field, or the phone's own refusal; nothing stored, nothing texted", () =>
    Effect.gen(function*() {
      const driver = yield* driverAt(places.market, { online: false })
      const badBodies: ReadonlyArray<readonly [string, string, unknown]> = [
        ["PUT", "mobile", { mobile: "12" }],
        ["PUT", "mobile", { mobile: "0".repeat(40) }],
        ["PUT", "mobile", { mobile: 707070707 }],
        ["PUT", "mobile", {}],
        ["POST", "code", { code: "12345" }],
        ["POST", "code", { code: "12a456" }],
        ["POST", "code", { code: 123456 }],
        ["POST", "code", {}]
      ]
      for (const [method, field, body] of badBodies) {
        const response = yield* driver.request(method, method === "PUT" ? driverPaths.account : driverPaths.confirm, body)
        expectProblemOf(response, 400, "invalid_request", `${method} ${JSON.stringify(body)}`)
        assert.isTrue(
          (response.body.errors as ReadonlyArray<{ readonly path: ReadonlyArray<string | number> }>).some((error) => error.path.includes(field)),
          `${JSON.stringify(body)} → ${JSON.stringify(response.body)}`
        )
      }
      const refusals: ReadonlyArray<readonly [string, number, string]> = [
        ["0912345678", 422, "phone_invalid"],
        ["+33612345678", 422, "phone_invalid"],
        ["2721000000", 422, "phone_cannot_receive_sms"]
      ]
      for (const [mobile, status, code] of refusals) {
        expectProblemOf(yield* driver.request("PUT", driverPaths.account, { mobile }), status, code, mobile)
      }
      assert.strictEqual(yield* smsCountTo("+2252721000000"), 0)
      assert.deepInclude(yield* ok(driver.api.payoutAccounts.driverAccount()), { mobile: null, pendingMobile: null, pendingSince: null }, "nothing stored")
      assert.deepStrictEqual(yield* ok(driver.api.payoutAccounts.driverChanges()), { changes: [] })
    }))

  it.effect("a provider's owner registers his provider's number (the provider's name as holder); another owner, a customer, a driver: 404", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const shop = yield* restaurantOf(bed.api)
      const accounts = shop.owner.api.payoutAccounts
      const params = { providerId: shop.providerId }
      const empty = yield* ok(accounts.providerAccount({ params }))
      assert.isNull(empty.mobile)
      assert.match(empty.holderName, /^Maquis /u)

      const number = aNumber()
      const requested = yield* ok(accounts.requestProviderNumber({ params, payload: { mobile: number.local } }), 202)
      assert.deepInclude(requested, { pendingMobile: number.e164, holderName: empty.holderName })
      const confirmed = yield* ok(accounts.confirmProviderNumber({ params, payload: { code: yield* lastCodeTo(number.e164) } }))
      assert.deepInclude(confirmed, { mobile: number.e164, pendingMobile: null, payoutsHeldUntil: null })
      const log = yield* ok(accounts.providerChanges({ params }))
      assert.deepStrictEqual(log.changes.map((change) => [change.previousMobile, change.mobile, change.changedBy]), [[null, number.e164, shop.owner.userId]])

      // Not his provider: not found, exactly like a provider that does not exist; nothing texted or stored.
      const other = yield* restaurantOf(bed.api)
      const customer = yield* personOf
      const driver = yield* driverAt(places.market, { online: false })
      const stranger = aNumber()
      for (const token of [other.owner.token, customer.token, driver.token]) {
        for (const [method, path, body] of everyOperation(providerPaths(shop.providerId))) {
          expectProblemOf(yield* rawCall(method, path, token, method === "PUT" ? { mobile: stranger.local } : body), 404, "not_found", `${method} ${path}`)
        }
      }
      for (const [method, path, body] of everyOperation(providerPaths(randomUUID()))) {
        expectProblemOf(yield* rawCall(method, path, other.owner.token, body), 404, "not_found", `${method} ${path} (no such provider)`)
      }
      expectProblemOf(yield* rawCall("GET", providerPaths("pas-un-id").account, other.owner.token), 400, "invalid_request", "a malformed provider id")
      assert.strictEqual(yield* smsCountTo(stranger.e164), 0)
      assert.deepStrictEqual(yield* ok(accounts.providerAccount({ params })), confirmed)
    }))

  it.effect("someone who is not a driver has no drivers/me account (404 driver_not_registered); nobody signed in: 401", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const customer = yield* personOf
      const number = aNumber()
      for (const [method, path, body] of everyOperation(driverPaths)) {
        expectProblemOf(yield* rawCall(method, path, customer.token, method === "PUT" ? { mobile: number.local } : body), 404, "driver_not_registered", `${method} ${path}`)
      }
      assert.strictEqual(yield* smsCountTo(number.e164), 0, "no code texted for someone who is not a driver")

      const shop = yield* restaurantOf(bed.api)
      for (const [method, path, body] of [...everyOperation(driverPaths), ...everyOperation(providerPaths(shop.providerId))]) {
        expectProblemOf(yield* rawCall(method, path, undefined, body), 401, "unauthenticated", `${method} ${path}`)
      }
    }))
})
