import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Promotion, PromotionBenefit } from "@nelo/domain/orders/Promotion"
import { bestAutomatic, discountOf, type PromotionContext, promotionRefusal, usageRefusal } from "@nelo/domain/orders/promotionRules"
import { totalsOf } from "@nelo/domain/orders/priceCart"
import { basisPoints, xof } from "@nelo/domain/shared/Xof"

const at = (iso: string) => new Date(iso)
const startsAt = at("2026-11-01T00:00:00Z")
const endsAt = at("2026-12-01T00:00:00Z")
const now = Date.parse("2026-11-15T12:00:00Z")

const percentOff = (bp: number): PromotionBenefit => ({ _tag: "PercentOff", basisPoints: basisPoints(bp) })
const amountOff = (amount: number): PromotionBenefit => ({ _tag: "AmountOff", amountXof: xof(amount) })
const deliveryOff = (bp: number): PromotionBenefit => ({ _tag: "DeliveryOff", basisPoints: basisPoints(bp) })

const promotion = (fields: Partial<Promotion> = {}): Promotion => ({
  id: "promo-1",
  code: "BIENVENUE",
  label: "−20 % sur votre commande",
  benefit: percentOff(2_000),
  minimumSubtotalXof: xof(0),
  maximumDiscountXof: null,
  startsAt,
  endsAt,
  maximumUses: null,
  budgetXof: null,
  perCustomerLimit: null,
  firstOrderOnly: false,
  providerId: null,
  fundedBy: "platform",
  active: true,
  usesCount: 0,
  discountTotalXof: xof(0),
  createdAt: startsAt,
  updatedAt: startsAt,
  ...fields
})

const context = (fields: Partial<PromotionContext> = {}): PromotionContext => ({
  nowMs: now,
  providerId: "maquis",
  subtotalXof: xof(10_000),
  deliveryFeeXof: xof(800),
  customerOrdersBefore: 0,
  ...fields
})

describe("discountOf", () => {
  it("a percentage in basis points of the subtotal, rounded down", () => {
    expect(discountOf(promotion({ benefit: percentOff(2_000) }), xof(10_000), xof(800))).toBe(2_000)
    // 15 % of 3,333 is 499.95: the customer gets 499.
    expect(discountOf(promotion({ benefit: percentOff(1_500) }), xof(3_333), xof(800))).toBe(499)
    expect(discountOf(promotion({ benefit: percentOff(1) }), xof(9_999), xof(800))).toBe(0)
    expect(discountOf(promotion({ benefit: percentOff(10_000) }), xof(7_450), xof(800))).toBe(7_450)
  })

  it("a fixed amount, never more than the subtotal (the delivery fee is not discounted by it)", () => {
    expect(discountOf(promotion({ benefit: amountOff(1_000) }), xof(10_000), xof(800))).toBe(1_000)
    expect(discountOf(promotion({ benefit: amountOff(2_000) }), xof(1_500), xof(800))).toBe(1_500)
  })

  it("delivery off: a share of the fee; 10,000 basis points is free delivery", () => {
    expect(discountOf(promotion({ benefit: deliveryOff(10_000) }), xof(10_000), xof(800))).toBe(800)
    expect(discountOf(promotion({ benefit: deliveryOff(5_000) }), xof(10_000), xof(500))).toBe(250)
    expect(discountOf(promotion({ benefit: deliveryOff(3_333) }), xof(10_000), xof(1_000))).toBe(333)
    expect(discountOf(promotion({ benefit: deliveryOff(10_000) }), xof(10_000), xof(0))).toBe(0)
  })

  it("the promotion's maximum caps every kind", () => {
    expect(discountOf(promotion({ benefit: percentOff(5_000), maximumDiscountXof: xof(1_000) }), xof(10_000), xof(800))).toBe(1_000)
    expect(discountOf(promotion({ benefit: percentOff(5_000), maximumDiscountXof: xof(6_000) }), xof(10_000), xof(800))).toBe(5_000)
    expect(discountOf(promotion({ benefit: amountOff(3_000), maximumDiscountXof: xof(2_500) }), xof(10_000), xof(800))).toBe(2_500)
    expect(discountOf(promotion({ benefit: deliveryOff(10_000), maximumDiscountXof: xof(300) }), xof(10_000), xof(800))).toBe(300)
  })

  it("property: 0 ≤ discount ≤ what it applies to and ≤ its cap; the total is never negative", () => {
    const benefit = fc.oneof(
      fc.integer({ min: 0, max: 10_000 }).map(percentOff),
      fc.integer({ min: 1, max: 10_000_000 }).map(amountOff),
      fc.integer({ min: 0, max: 10_000 }).map(deliveryOff)
    )
    fc.assert(fc.property(
      benefit,
      fc.option(fc.integer({ min: 1, max: 10_000_000 }), { nil: null }),
      fc.integer({ min: 0, max: 10_000_000 }),
      fc.integer({ min: 0, max: 100_000 }),
      (benefit, maximum, subtotal, fee) => {
        const discount = discountOf(promotion({ benefit, maximumDiscountXof: maximum === null ? null : xof(maximum) }), xof(subtotal), xof(fee))
        const base = benefit._tag === "DeliveryOff" ? fee : subtotal
        expect(Number.isSafeInteger(discount)).toBe(true)
        expect(discount).toBeGreaterThanOrEqual(0)
        expect(discount).toBeLessThanOrEqual(base)
        if (maximum !== null) expect(discount).toBeLessThanOrEqual(maximum)
        // Exactly the rate, floored, then capped.
        const raw = benefit._tag === "AmountOff" ? benefit.amountXof : Math.floor((base * benefit.basisPoints) / 10_000)
        expect(discount).toBe(Math.min(raw, base, maximum ?? Infinity))
        expect(totalsOf(xof(subtotal), xof(fee), discount).totalXof).toBeGreaterThanOrEqual(0)
      }
    ), { numRuns: 1_000 })
  })
})

describe("promotionRefusal", () => {
  it("a promotion that fits is not refused", () => {
    expect(promotionRefusal(promotion(), context())).toBeUndefined()
  })

  it("inactive", () => {
    expect(promotionRefusal(promotion({ active: false }), context())).toBe("inactive")
  })

  it("not started before startsAt; started at it", () => {
    expect(promotionRefusal(promotion(), context({ nowMs: startsAt.getTime() - 1 }))).toBe("not_started")
    expect(promotionRefusal(promotion(), context({ nowMs: startsAt.getTime() }))).toBeUndefined()
  })

  it("ended at endsAt (exclusive); no end never ends", () => {
    expect(promotionRefusal(promotion(), context({ nowMs: endsAt.getTime() - 1 }))).toBeUndefined()
    expect(promotionRefusal(promotion(), context({ nowMs: endsAt.getTime() }))).toBe("ended")
    expect(promotionRefusal(promotion({ endsAt: null }), context({ nowMs: Date.parse("2040-01-01T00:00:00Z") }))).toBeUndefined()
  })

  it("another provider's promotion; one for every provider fits all", () => {
    expect(promotionRefusal(promotion({ providerId: "depot-gaz" }), context())).toBe("other_provider")
    expect(promotionRefusal(promotion({ providerId: "maquis" }), context())).toBeUndefined()
  })

  it("below the minimum subtotal (the minimum itself is enough)", () => {
    expect(promotionRefusal(promotion({ minimumSubtotalXof: xof(5_000) }), context({ subtotalXof: xof(4_999) }))).toBe("below_minimum")
    expect(promotionRefusal(promotion({ minimumSubtotalXof: xof(5_000) }), context({ subtotalXof: xof(5_000) }))).toBeUndefined()
  })

  it("first order only: refused once the customer has an order", () => {
    expect(promotionRefusal(promotion({ firstOrderOnly: true }), context({ customerOrdersBefore: 1 }))).toBe("first_order_only")
    expect(promotionRefusal(promotion({ firstOrderOnly: true }), context({ customerOrdersBefore: 0 }))).toBeUndefined()
    expect(promotionRefusal(promotion({ firstOrderOnly: false }), context({ customerOrdersBefore: 7 }))).toBeUndefined()
  })

  it("no discount: nothing to take off", () => {
    expect(promotionRefusal(promotion({ benefit: deliveryOff(10_000) }), context({ deliveryFeeXof: xof(0) }))).toBe("no_discount")
    expect(promotionRefusal(promotion({ benefit: percentOff(1) }), context({ subtotalXof: xof(9_999) }))).toBe("no_discount")
    expect(promotionRefusal(promotion({ benefit: percentOff(0) }), context())).toBe("no_discount")
    expect(promotionRefusal(promotion({ benefit: amountOff(500) }), context({ subtotalXof: xof(0) }))).toBe("no_discount")
  })
})

describe("usageRefusal", () => {
  const usage = (usesCount: number, discountTotalXof: number, customerUses: number) => ({ usesCount, discountTotalXof: xof(discountTotalXof), customerUses })

  it("unlimited promotions are never refused", () => {
    expect(usageRefusal(promotion(), usage(1_000_000, 1_000_000_000, 1_000), xof(5_000))).toBeUndefined()
  })

  it("exhausted at maximumUses", () => {
    expect(usageRefusal(promotion({ maximumUses: 10 }), usage(9, 0, 0), xof(1_000))).toBeUndefined()
    expect(usageRefusal(promotion({ maximumUses: 10 }), usage(10, 0, 0), xof(1_000))).toBe("exhausted")
  })

  it("budget spent when this discount would pass the budget (reaching it exactly is fine)", () => {
    expect(usageRefusal(promotion({ budgetXof: xof(10_000) }), usage(3, 9_500, 0), xof(500))).toBeUndefined()
    expect(usageRefusal(promotion({ budgetXof: xof(10_000) }), usage(3, 9_500, 0), xof(501))).toBe("budget_spent")
  })

  it("the customer's own limit", () => {
    expect(usageRefusal(promotion({ perCustomerLimit: 2 }), usage(5, 0, 1), xof(1_000))).toBeUndefined()
    expect(usageRefusal(promotion({ perCustomerLimit: 2 }), usage(5, 0, 2), xof(1_000))).toBe("customer_limit_reached")
  })

  it("property: with a limit of n uses, exactly n successive orders get it", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 80 }), (maximumUses, attempts) => {
      const limited = promotion({ maximumUses })
      let uses = 0
      for (let attempt = 0; attempt < attempts; attempt++) if (usageRefusal(limited, usage(uses, 0, 0), xof(100)) === undefined) uses++
      expect(uses).toBe(Math.min(maximumUses, attempts))
    }))
  })

  it("property: a budget is never passed, however the discounts come", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 100_000 }), fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 40 }), (budget, discounts) => {
      const limited = promotion({ budgetXof: xof(budget) })
      let given = 0
      for (const discount of discounts) if (usageRefusal(limited, usage(0, given, 0), xof(discount)) === undefined) given += discount
      expect(given).toBeLessThanOrEqual(budget)
    }))
  })
})

describe("bestAutomatic", () => {
  const automatic = (id: string, benefit: PromotionBenefit, fields: Partial<Promotion> = {}) => promotion({ id, code: null, benefit, ...fields })

  it("picks the largest discount among the automatic ones that fit", () => {
    const tenPercent = automatic("a-10", percentOff(1_000))
    const freeDelivery = automatic("b-free", deliveryOff(10_000))
    const fifteenHundred = automatic("c-1500", amountOff(1_500))
    expect(bestAutomatic([tenPercent, freeDelivery, fifteenHundred], context())?.id).toBe("c-1500")
    expect(bestAutomatic([tenPercent, freeDelivery], context())?.id).toBe("a-10")
    expect(bestAutomatic([tenPercent, freeDelivery], context({ subtotalXof: xof(5_000) }))?.id).toBe("b-free")
  })

  it("ignores coded promotions and those refused", () => {
    const coded = promotion({ id: "a-coded", code: "GROS", benefit: amountOff(9_000) })
    const inactive = automatic("b-off", amountOff(8_000), { active: false })
    const firstOnly = automatic("c-first", amountOff(7_000), { firstOrderOnly: true })
    const otherProvider = automatic("d-other", amountOff(6_000), { providerId: "depot-gaz" })
    const small = automatic("e-small", amountOff(100))
    expect(bestAutomatic([coded, inactive, firstOnly, otherProvider, small], context({ customerOrdersBefore: 2 }))?.id).toBe("e-small")
    expect(bestAutomatic([coded, inactive, firstOnly, otherProvider, small], context({ customerOrdersBefore: 0 }))?.id).toBe("c-first")
    expect(bestAutomatic([coded, inactive], context())).toBeUndefined()
    expect(bestAutomatic([], context())).toBeUndefined()
  })

  it("a tie goes to the smallest id (the oldest), whatever the order given", () => {
    const younger = automatic("0192f000-0000-7000-8000-000000000002", amountOff(1_000))
    const older = automatic("0192f000-0000-7000-8000-000000000001", amountOff(1_000))
    expect(bestAutomatic([younger, older], context())?.id).toBe(older.id)
    expect(bestAutomatic([older, younger], context())?.id).toBe(older.id)
  })

  it("property: the choice gives the most, ties to the smallest id, and does not depend on the order given", () => {
    const candidate = fc.record({
      id: fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom("a", "b", "c", "d") }),
      coded: fc.boolean(),
      active: fc.boolean(),
      benefit: fc.oneof(
        fc.integer({ min: 0, max: 5_000 }).map(percentOff),
        fc.integer({ min: 1, max: 3_000 }).map(amountOff),
        fc.integer({ min: 0, max: 10_000 }).map(deliveryOff)
      )
    })
    fc.assert(fc.property(
      fc.uniqueArray(candidate, { selector: (raw) => raw.id, maxLength: 8 }),
      fc.integer({ min: 0, max: 20_000 }),
      fc.integer({ min: 0, max: 2_000 }),
      fc.nat(),
      (raws, subtotal, fee, seed) => {
        const promotions = raws.map((raw) => automatic(raw.id, raw.benefit, { code: raw.coded ? "CODE" : null, active: raw.active }))
        const orderContext = context({ subtotalXof: xof(subtotal), deliveryFeeXof: xof(fee) })
        const eligible = promotions.filter((candidate) => candidate.code === null && promotionRefusal(candidate, orderContext) === undefined)
        const best = bestAutomatic(promotions, orderContext)
        if (eligible.length === 0) {
          expect(best).toBeUndefined()
          return
        }
        const most = Math.max(...eligible.map((candidate) => discountOf(candidate, orderContext.subtotalXof, orderContext.deliveryFeeXof)))
        const expectedId = eligible
          .filter((candidate) => discountOf(candidate, orderContext.subtotalXof, orderContext.deliveryFeeXof) === most)
          .map((candidate) => candidate.id)
          .sort()[0]
        expect(best?.id).toBe(expectedId)
        // Rotated input, same answer.
        const shift = seed % promotions.length
        expect(bestAutomatic([...promotions.slice(shift), ...promotions.slice(0, shift)], orderContext)?.id).toBe(expectedId)
        expect(bestAutomatic([...promotions].reverse(), orderContext)?.id).toBe(expectedId)
      }
    ), { numRuns: 500 })
  })
})
