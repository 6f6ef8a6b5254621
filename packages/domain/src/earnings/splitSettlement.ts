import type { PromotionFunder } from "../orders/Order.ts"
import { type BasisPoints, type Xof, xof } from "../shared/Xof.ts"

/** What settling a delivered order needs: its figures, who funded its discount, and the rates in force when it was placed. */
export interface SettlementInput {
  readonly subtotalXof: Xof
  readonly deliveryFeeXof: Xof
  readonly discountXof: Xof
  /** Who pays the discount (the order's promotion); null only when there is no discount. */
  readonly discountFundedBy: PromotionFunder | null
  readonly providerBasisPoints: BasisPoints
  readonly driverBasisPoints: BasisPoints
}

/**
 * Where an order's money goes at delivery. providerXof + driverXof + platformXof is the order's
 * total (subtotal + fee − discount) exactly. The provider's and the platform's shares may be
 * negative (a discount larger than what they earn on the order): what they owe is recovered from
 * later earnings, never rounded away.
 */
export interface SettlementSplit {
  readonly providerCommissionXof: Xof
  readonly driverCommissionXof: Xof
  /** subtotal − provider commission − the discount when the provider funds it. */
  readonly providerXof: Xof
  /** delivery fee − driver commission. */
  readonly driverXof: Xof
  /** the two commissions − the discount when the platform funds it. */
  readonly platformXof: Xof
}

/**
 * A commission: floor(gross × rate / 10,000), so the payee keeps the remainder. Computed in bigint:
 * gross × 10,000 passes 2^53 for a gross past 900 billion francs, and a float would round it.
 */
export const commissionOf = (grossXof: Xof, rate: BasisPoints): Xof => {
  if (grossXof < 0) throw new RangeError(`a commission is taken on a gross of 0 or more, not ${grossXof}`)
  return xof(Number((BigInt(grossXof) * BigInt(rate)) / 10_000n))
}

/**
 * The split of a delivered order's total between its provider, its driver and the platform (the
 * issue's "Settlement at delivery"). Inputs a caller could not have built from an order (a negative
 * figure, a discount larger than the subtotal and fee, a discount without a funder) are its bug: a
 * RangeError, as `xof` does.
 */
export const splitSettlement = (input: SettlementInput): SettlementSplit => {
  const { deliveryFeeXof, discountFundedBy, discountXof, subtotalXof } = input
  if (subtotalXof < 0 || deliveryFeeXof < 0 || discountXof < 0) throw new RangeError("an order's figures are never negative")
  if (BigInt(discountXof) > BigInt(subtotalXof) + BigInt(deliveryFeeXof)) {
    throw new RangeError(`a discount of ${discountXof} does not fit ${subtotalXof} + ${deliveryFeeXof}`)
  }
  if (discountXof > 0 && discountFundedBy === null) throw new RangeError("a discount is funded by the provider or the platform")
  const providerCommissionXof = commissionOf(subtotalXof, input.providerBasisPoints)
  const driverCommissionXof = commissionOf(deliveryFeeXof, input.driverBasisPoints)
  const providerFunded = discountFundedBy === "provider" ? BigInt(discountXof) : 0n
  const platformFunded = discountFundedBy === "platform" ? BigInt(discountXof) : 0n
  // In bigint, then back to francs: each share is exact, or a RangeError when it cannot be held.
  return {
    providerCommissionXof,
    driverCommissionXof,
    providerXof: xof(Number(BigInt(subtotalXof) - BigInt(providerCommissionXof) - providerFunded)),
    driverXof: xof(deliveryFeeXof - driverCommissionXof),
    platformXof: xof(Number(BigInt(providerCommissionXof) + BigInt(driverCommissionXof) - platformFunded))
  }
}
