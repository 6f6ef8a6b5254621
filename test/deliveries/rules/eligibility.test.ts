import { assert, describe, it } from "@effect/vitest"
import { type DriverFacts, eligibility, type OrderFacts } from "@nelo/domain/deliveries/eligibility"
import { defaultDriverPolicy } from "@nelo/domain/deliveries/DriverPolicy"
import { xof } from "@nelo/domain/shared/Xof"

const now = Date.parse("2026-12-07T12:00:00.000Z")
const minute = 60_000
const policy = defaultDriverPolicy

const driver = (fields: Partial<DriverFacts> = {}): DriverFacts => ({
  online: true,
  locationAtMs: now - 10_000,
  hasActiveDelivery: false,
  kycStatus: "approved",
  vehicle: "motorbike",
  cashInHandXof: xof(0),
  ...fields
})

const order = (fields: Partial<OrderFacts> = {}): OrderFacts => ({
  load: { itemCount: 2, gasBottles: [] },
  paymentMethod: "wallet",
  totalXof: xof(4_500),
  ...fields
})

const reason = (driverFacts: DriverFacts, orderFacts: OrderFacts = order()) => {
  const verdict = eligibility(driverFacts, orderFacts, policy, now)
  return verdict._tag === "Eligible" ? "eligible" : verdict.reason
}

describe("eligibility", () => {
  it("an online, located, free, approved driver whose vehicle fits is eligible", () => {
    assert.deepStrictEqual(eligibility(driver(), order(), policy, now), { _tag: "Eligible" })
  })

  it("offline", () => {
    assert.deepStrictEqual(eligibility(driver({ online: false }), order(), policy, now), { _tag: "Ineligible", reason: "offline" })
  })

  it("a position older than 2 minutes, or none, is stale; exactly 2 minutes still counts; one from a clock ahead is fresh", () => {
    assert.strictEqual(policy.freshLocationMs, 2 * minute)
    assert.strictEqual(reason(driver({ locationAtMs: now - 2 * minute })), "eligible")
    assert.strictEqual(reason(driver({ locationAtMs: now - 2 * minute - 1 })), "location_stale")
    assert.strictEqual(reason(driver({ locationAtMs: now - 60 * minute })), "location_stale")
    assert.strictEqual(reason(driver({ locationAtMs: null })), "location_stale")
    assert.strictEqual(reason(driver({ locationAtMs: now + 5_000 })), "eligible")
  })

  it("a driver on a delivery is not offered another", () => {
    assert.strictEqual(reason(driver({ hasActiveDelivery: true })), "on_delivery")
  })

  it("only an approved KYC", () => {
    for (const kycStatus of ["none", "pending", "rejected"] as const) assert.strictEqual(reason(driver({ kycStatus })), "kyc_not_approved", kycStatus)
  })

  it("the vehicle must be able to carry the load", () => {
    const b28 = order({ load: { itemCount: 0, gasBottles: [{ sizeKg: 28, quantity: 1, emptiesToCollect: 1 }] } })
    assert.strictEqual(reason(driver({ vehicle: "bicycle" }), b28), "vehicle_unfit")
    assert.strictEqual(reason(driver({ vehicle: "car" }), b28), "vehicle_unfit")
    assert.strictEqual(reason(driver({ vehicle: "motorbike" }), b28), "eligible")
    assert.strictEqual(reason(driver({ vehicle: "tricycle" }), b28), "eligible")
    const twoB6 = order({ load: { itemCount: 0, gasBottles: [{ sizeKg: 6, quantity: 2, emptiesToCollect: 2 }] } })
    assert.strictEqual(reason(driver({ vehicle: "bicycle" }), twoB6), "vehicle_unfit")
  })

  it("cash: what he holds plus the order's total, at most 50,000 F; other payments ignore his cash", () => {
    assert.strictEqual(policy.cashInHandCapXof, 50_000)
    const cash = (totalXof: number) => order({ paymentMethod: "cash", totalXof: xof(totalXof) })
    assert.strictEqual(reason(driver({ cashInHandXof: xof(45_500) }), cash(4_500)), "eligible")
    assert.strictEqual(reason(driver({ cashInHandXof: xof(45_501) }), cash(4_500)), "cash_cap_exceeded")
    assert.strictEqual(reason(driver({ cashInHandXof: xof(0) }), cash(50_001)), "cash_cap_exceeded")
    for (const paymentMethod of ["wallet", "wave", "cinetpay"] as const) {
      assert.strictEqual(reason(driver({ cashInHandXof: xof(80_000) }), order({ paymentMethod, totalXof: xof(20_000) })), "eligible", paymentMethod)
    }
  })

  it("the first reason, in order: offline, stale, busy, KYC, vehicle, cash", () => {
    const worst = driver({ online: false, locationAtMs: null, hasActiveDelivery: true, kycStatus: "pending", vehicle: "bicycle", cashInHandXof: xof(60_000) })
    const heavyCash = order({ paymentMethod: "cash", load: { itemCount: 0, gasBottles: [{ sizeKg: 25, quantity: 1, emptiesToCollect: 0 }] } })
    const expected = ["offline", "location_stale", "on_delivery", "kyc_not_approved", "vehicle_unfit", "cash_cap_exceeded", "eligible"]
    const fixes: ReadonlyArray<Partial<DriverFacts>> = [
      { online: true },
      { locationAtMs: now },
      { hasActiveDelivery: false },
      { kycStatus: "approved" },
      { vehicle: "motorbike" },
      { cashInHandXof: xof(0) }
    ]
    let facts = worst
    const seen = [reason(facts, heavyCash)]
    for (const fix of fixes) {
      facts = { ...facts, ...fix }
      seen.push(reason(facts, heavyCash))
    }
    assert.deepStrictEqual(seen, expected)
  })

  it("the policy's numbers are the ones used", () => {
    const strict = { freshLocationMs: 30_000, cashInHandCapXof: xof(10_000) }
    assert.deepStrictEqual(eligibility(driver({ locationAtMs: now - 31_000 }), order(), strict, now), { _tag: "Ineligible", reason: "location_stale" })
    assert.deepStrictEqual(eligibility(driver(), order({ paymentMethod: "cash", totalXof: xof(10_001) }), strict, now), { _tag: "Ineligible", reason: "cash_cap_exceeded" })
  })
})
