import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { commissionOf, type SettlementInput, splitSettlement } from "@nelo/domain/earnings/splitSettlement"
import type { PromotionFunder } from "@nelo/domain/orders/Order"
import type { PromotionBenefit } from "@nelo/domain/orders/Promotion"
import { totalsOf } from "@nelo/domain/orders/priceCart"
import { discountOf } from "@nelo/domain/orders/promotionRules"
import { type BasisPoints, basisPoints, type Xof, xof } from "@nelo/domain/shared/Xof"
import { promotionOf } from "../earningsFixtures.ts"

// The split of a delivered order (issue 13, "Settlement at delivery"), over random orders,
// promotions as the orders' own rules price them, and rates: the total is conserved to the franc,
// commissions are floored within the gross, and the rate moves them the right way.

/** Amounts of a town's orders, and some far past 2^53 / 10,000 (gross × rate would round as a float). */
const amount = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 500_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: Math.floor(Number.MAX_SAFE_INTEGER / 2) }) }
).map(xof)
const rate = fc.oneof(fc.constantFrom(0, 1, 1_000, 1_500, 9_999, 10_000), fc.integer({ min: 0, max: 10_000 })).map(basisPoints)

const benefit: fc.Arbitrary<PromotionBenefit> = fc.oneof(
  fc.record({ _tag: fc.constant("PercentOff" as const), basisPoints: rate }),
  fc.record({ _tag: fc.constant("AmountOff" as const), amountXof: fc.integer({ min: 1, max: 10_000_000 }).map(xof) }),
  fc.record({ _tag: fc.constant("DeliveryOff" as const), basisPoints: rate })
)

/** A promotion as an admin defines one: only what discountOf reads matters. */
const promotion = fc.record({
  benefit,
  maximumDiscountXof: fc.option(fc.integer({ min: 1, max: 10_000_000 }).map(xof), { nil: null }),
  fundedBy: fc.constantFrom<PromotionFunder>("provider", "platform")
}).map(({ benefit, fundedBy, maximumDiscountXof }) => ({ ...promotionOf(benefit, fundedBy, "promotion", null), maximumDiscountXof }))

/** A delivered order's figures, its discount priced by the orders' own rule (never more than what it applies to). */
const order = fc.record({ subtotalXof: amount, deliveryFeeXof: amount, promotion: fc.option(promotion, { nil: null }) }).map(({ deliveryFeeXof, promotion, subtotalXof }) => {
  const discountXof = promotion === null ? xof(0) : discountOf(promotion, subtotalXof, deliveryFeeXof)
  return {
    totals: totalsOf(subtotalXof, deliveryFeeXof, discountXof),
    // A promotion that gives nothing is not kept on the order.
    fundedBy: discountXof > 0 ? promotion!.fundedBy : null
  }
})

type RandomOrder = typeof order extends fc.Arbitrary<infer O> ? O : never

const inputOf = (placed: RandomOrder, providerBasisPoints: BasisPoints, driverBasisPoints: BasisPoints): SettlementInput => ({
  subtotalXof: placed.totals.subtotalXof,
  deliveryFeeXof: placed.totals.deliveryFeeXof,
  discountXof: placed.totals.discountXof,
  discountFundedBy: placed.fundedBy,
  providerBasisPoints,
  driverBasisPoints
})

const fundedBy = (placed: RandomOrder, funder: PromotionFunder) => placed.fundedBy === funder ? placed.totals.discountXof : 0
const exactFloor = (gross: Xof, rate: BasisPoints) => Number((BigInt(gross) * BigInt(rate)) / 10_000n)

describe("splitSettlement", () => {
  it("an example: 3,500 F of items and a 500 F fee at 15 % and 10 %", () => {
    expect(splitSettlement({ subtotalXof: xof(3_500), deliveryFeeXof: xof(500), discountXof: xof(0), discountFundedBy: null, providerBasisPoints: basisPoints(1_500), driverBasisPoints: basisPoints(1_000) }))
      .toStrictEqual({ providerCommissionXof: 525, driverCommissionXof: 50, providerXof: 2_975, driverXof: 450, platformXof: 575 })
  })

  it("the commission is floored, the remainder to the payee: 15 % of 1,001 F is 150 F, 10 % of 755 F is 75 F", () => {
    const split = splitSettlement({ subtotalXof: xof(1_001), deliveryFeeXof: xof(755), discountXof: xof(0), discountFundedBy: null, providerBasisPoints: basisPoints(1_500), driverBasisPoints: basisPoints(1_000) })
    expect([split.providerCommissionXof, split.providerXof, split.driverCommissionXof, split.driverXof, split.platformXof]).toStrictEqual([150, 851, 75, 680, 225])
  })

  it("a discount is charged to its funder: the provider's earnings, or the platform's revenue", () => {
    const base = { subtotalXof: xof(4_000), deliveryFeeXof: xof(600), discountXof: xof(800), providerBasisPoints: basisPoints(1_500), driverBasisPoints: basisPoints(1_000) }
    expect(splitSettlement({ ...base, discountFundedBy: "provider" })).toStrictEqual({ providerCommissionXof: 600, driverCommissionXof: 60, providerXof: 2_600, driverXof: 540, platformXof: 660 })
    expect(splitSettlement({ ...base, discountFundedBy: "platform" })).toStrictEqual({ providerCommissionXof: 600, driverCommissionXof: 60, providerXof: 3_400, driverXof: 540, platformXof: -140 })
  })

  it("a provider-funded free delivery larger than the provider's share leaves the provider owing (negative), the total still whole", () => {
    const split = splitSettlement({ subtotalXof: xof(500), deliveryFeeXof: xof(1_000), discountXof: xof(1_000), discountFundedBy: "provider", providerBasisPoints: basisPoints(1_500), driverBasisPoints: basisPoints(1_000) })
    expect(split).toStrictEqual({ providerCommissionXof: 75, driverCommissionXof: 100, providerXof: -575, driverXof: 900, platformXof: 175 })
    expect(split.providerXof + split.driverXof + split.platformXof).toBe(500)
  })

  it("property: the three shares are the order's total, exactly, whatever the order, its promotion and the rates", () => {
    fc.assert(fc.property(order, rate, rate, (placed, providerRate, driverRate) => {
      const split = splitSettlement(inputOf(placed, providerRate, driverRate))
      for (const share of Object.values(split)) expect(Number.isSafeInteger(share)).toBe(true)
      // Summed as bigint: a float sum of large shares could round and hide a lost franc.
      expect(BigInt(split.providerXof) + BigInt(split.driverXof) + BigInt(split.platformXof)).toBe(BigInt(placed.totals.totalXof))
      expect(placed.totals.totalXof).toBe(placed.totals.subtotalXof + placed.totals.deliveryFeeXof - placed.totals.discountXof)
    }), { numRuns: 2_000 })
  })

  it("property: each commission is floor(gross × rate / 10,000), never negative nor above its gross; each payee gets the rest less what he funds", () => {
    fc.assert(fc.property(order, rate, rate, (placed, providerRate, driverRate) => {
      const { deliveryFeeXof, subtotalXof } = placed.totals
      const split = splitSettlement(inputOf(placed, providerRate, driverRate))
      expect(split.providerCommissionXof).toBe(exactFloor(subtotalXof, providerRate))
      expect(split.driverCommissionXof).toBe(exactFloor(deliveryFeeXof, driverRate))
      for (const [commission, gross] of [[split.providerCommissionXof, subtotalXof], [split.driverCommissionXof, deliveryFeeXof]] as const) {
        expect(commission).toBeGreaterThanOrEqual(0)
        expect(commission).toBeLessThanOrEqual(gross)
      }
      expect(BigInt(split.providerXof) + BigInt(split.providerCommissionXof) + BigInt(fundedBy(placed, "provider"))).toBe(BigInt(subtotalXof))
      expect(split.driverXof + split.driverCommissionXof).toBe(deliveryFeeXof)
      expect(BigInt(split.platformXof)).toBe(BigInt(split.providerCommissionXof) + BigInt(split.driverCommissionXof) - BigInt(fundedBy(placed, "platform")))
    }), { numRuns: 2_000 })
  })

  it("property: a higher rate never takes less, and never leaves the payee more", () => {
    fc.assert(fc.property(order, rate, rate, rate, (placed, first, second, other) => {
      const [low, high] = first <= second ? [first, second] : [second, first]
      const byProvider = [splitSettlement(inputOf(placed, low, other)), splitSettlement(inputOf(placed, high, other))] as const
      expect(byProvider[0].providerCommissionXof).toBeLessThanOrEqual(byProvider[1].providerCommissionXof)
      expect(byProvider[0].providerXof).toBeGreaterThanOrEqual(byProvider[1].providerXof)
      const byDriver = [splitSettlement(inputOf(placed, other, low)), splitSettlement(inputOf(placed, other, high))] as const
      expect(byDriver[0].driverCommissionXof).toBeLessThanOrEqual(byDriver[1].driverCommissionXof)
      expect(byDriver[0].driverXof).toBeGreaterThanOrEqual(byDriver[1].driverXof)
    }), { numRuns: 1_000 })
  })

  it("property: a zero rate takes no commission; 10,000 bp takes everything to the platform, less the discounts", () => {
    fc.assert(fc.property(order, (placed) => {
      const { deliveryFeeXof, subtotalXof } = placed.totals
      const free = splitSettlement(inputOf(placed, basisPoints(0), basisPoints(0)))
      expect([free.providerCommissionXof, free.driverCommissionXof]).toStrictEqual([0, 0])
      expect(free.providerXof).toBe(subtotalXof - fundedBy(placed, "provider"))
      expect(free.driverXof).toBe(deliveryFeeXof)
      expect(free.platformXof).toBe(0 - fundedBy(placed, "platform"))
      const all = splitSettlement(inputOf(placed, basisPoints(10_000), basisPoints(10_000)))
      expect([all.providerCommissionXof, all.driverCommissionXof]).toStrictEqual([subtotalXof, deliveryFeeXof])
      expect(all.providerXof).toBe(0 - fundedBy(placed, "provider"))
      expect(all.driverXof).toBe(0)
      expect(BigInt(all.platformXof)).toBe(BigInt(subtotalXof) + BigInt(deliveryFeeXof) - BigInt(fundedBy(placed, "platform")))
    }), { numRuns: 1_000 })
  })

  it("commissionOf is exact past 2^53: 15 % of the largest safe amount", () => {
    expect(commissionOf(xof(Number.MAX_SAFE_INTEGER), basisPoints(1_500))).toBe(Number((BigInt(Number.MAX_SAFE_INTEGER) * 1_500n) / 10_000n))
  })

  it("inputs no order can have are its caller's bug: a RangeError", () => {
    const base = { subtotalXof: xof(1_000), deliveryFeeXof: xof(500), discountXof: xof(0), discountFundedBy: null, providerBasisPoints: basisPoints(1_500), driverBasisPoints: basisPoints(1_000) }
    expect(() => splitSettlement({ ...base, subtotalXof: xof(-1) })).toThrow(RangeError)
    expect(() => splitSettlement({ ...base, discountXof: xof(1_501), discountFundedBy: "platform" })).toThrow(RangeError)
    expect(() => splitSettlement({ ...base, discountXof: xof(100) })).toThrow(RangeError)
    expect(() => commissionOf(xof(-5), basisPoints(1_000))).toThrow(RangeError)
  })
})
