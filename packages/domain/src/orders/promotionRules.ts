import { type Xof, xof } from "../shared/Xof.ts"
import type { Promotion, PromotionRefusalReason, PromotionUsage } from "./Promotion.ts"

export interface PromotionContext {
  readonly nowMs: number
  readonly providerId: string
  readonly subtotalXof: Xof
  readonly deliveryFeeXof: Xof
  /** Orders of this customer that were not cancelled: a first order has none. */
  readonly customerOrdersBefore: number
}

/** A share in basis points of an amount, rounded down: the customer never gets a franc more than the rate says. */
const share = (amountXof: Xof, basisPoints: number): number => Math.floor((amountXof * basisPoints) / 10_000)

/**
 * The discount a promotion gives an order: its benefit, capped by its maximum, and never more than
 * what it applies to (the items, or the delivery fee), so that a total never goes below zero.
 */
export const discountOf = (promotion: Promotion, subtotalXof: Xof, deliveryFeeXof: Xof): Xof => {
  const benefit = promotion.benefit
  const [raw, ceiling] = benefit._tag === "PercentOff"
    ? [share(subtotalXof, benefit.basisPoints), subtotalXof]
    : benefit._tag === "AmountOff"
    ? [benefit.amountXof, subtotalXof]
    : [share(deliveryFeeXof, benefit.basisPoints), deliveryFeeXof]
  return xof(Math.min(raw, ceiling, promotion.maximumDiscountXof ?? Number.MAX_SAFE_INTEGER))
}

/** Whether a promotion fits an order, before its usage is counted: the reason when it does not. */
export const promotionRefusal = (promotion: Promotion, context: PromotionContext): PromotionRefusalReason | undefined => {
  if (!promotion.active) return "inactive"
  if (context.nowMs < promotion.startsAt.getTime()) return "not_started"
  if (promotion.endsAt !== null && context.nowMs >= promotion.endsAt.getTime()) return "ended"
  if (promotion.providerId !== null && promotion.providerId !== context.providerId) return "other_provider"
  if (context.subtotalXof < promotion.minimumSubtotalXof) return "below_minimum"
  if (promotion.firstOrderOnly && context.customerOrdersBefore > 0) return "first_order_only"
  if (discountOf(promotion, context.subtotalXof, context.deliveryFeeXof) <= 0) return "no_discount"
  return undefined
}

/**
 * Whether one more use fits the promotion's limits, read under its lock by the store: with the
 * uses of everyone, the francs given away and this customer's own uses. Exactly `maximumUses`
 * orders get it however many try at once.
 */
export const usageRefusal = (promotion: Promotion, usage: PromotionUsage, discountXof: Xof): PromotionRefusalReason | undefined => {
  if (promotion.maximumUses !== null && usage.usesCount >= promotion.maximumUses) return "exhausted"
  if (promotion.budgetXof !== null && usage.discountTotalXof + discountXof > promotion.budgetXof) return "budget_spent"
  if (promotion.perCustomerLimit !== null && usage.customerUses >= promotion.perCustomerLimit) return "customer_limit_reached"
  // The first-order check before the lock sees none of a newcomer's orders racing this one; under
  // the lock, a use of this promotion already held means this is not the first order.
  if (promotion.firstOrderOnly && usage.customerUses >= 1) return "first_order_only"
  return undefined
}

/** Of the automatic promotions that fit, the one giving the most (ties: the oldest, by id). */
export const bestAutomatic = (promotions: ReadonlyArray<Promotion>, context: PromotionContext): Promotion | undefined => {
  let best: { readonly promotion: Promotion; readonly discountXof: number } | undefined
  for (const promotion of [...promotions].sort((left, right) => left.id < right.id ? -1 : left.id > right.id ? 1 : 0)) {
    if (promotion.code !== null || promotionRefusal(promotion, context) !== undefined) continue
    const discountXof = discountOf(promotion, context.subtotalXof, context.deliveryFeeXof)
    if (best === undefined || discountXof > best.discountXof) best = { promotion, discountXof }
  }
  return best?.promotion
}
