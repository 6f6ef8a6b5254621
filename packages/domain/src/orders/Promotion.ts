import { Schema } from "effect"
import { BasisPoints, Xof } from "../shared/Xof.ts"
import { isPlainText } from "../shared/plainText.ts"
import { PromotionFunder } from "./Order.ts"

/** Codes as people type them: letters and digits, read without regard to case (stored upper case). */
export const PromotionCode = Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Za-z0-9]{3,20}$/u)))

export const normalizePromotionCode = (code: string): string => code.trim().toUpperCase()

const PositiveXof = Xof.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1), Schema.isLessThanOrEqualTo(10_000_000)))
const NonNegativeXof = Xof.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0), Schema.isLessThanOrEqualTo(10_000_000)))

/**
 * What a promotion gives: a share of the items' subtotal (basis points), a fixed amount off the
 * items, or a share of the delivery fee (10,000 basis points: free delivery).
 */
export const PromotionBenefit = Schema.Union([
  Schema.TaggedStruct("PercentOff", { basisPoints: BasisPoints }),
  Schema.TaggedStruct("AmountOff", { amountXof: PositiveXof }),
  Schema.TaggedStruct("DeliveryOff", { basisPoints: BasisPoints })
])
export type PromotionBenefit = typeof PromotionBenefit.Type

/** The rules a promotion is defined with, as an admin writes them. */
export const PromotionTerms = Schema.Struct({
  /** Null: automatic, applied to every order it fits without a code. */
  code: Schema.NullOr(PromotionCode),
  /** What the customer reads: "−20 % sur votre première commande". */
  label: Schema.String.pipe(Schema.check(isPlainText, Schema.isTrimmed(), Schema.isMinLength(2), Schema.isMaxLength(120))),
  benefit: PromotionBenefit,
  minimumSubtotalXof: NonNegativeXof,
  /** The most one order gets off; null: no cap. */
  maximumDiscountXof: Schema.NullOr(PositiveXof),
  startsAt: Schema.Date,
  /** Null: no end. */
  endsAt: Schema.NullOr(Schema.Date),
  /** Uses over everyone; null: unlimited. */
  maximumUses: Schema.NullOr(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 10_000_000 })))),
  /** Francs given away over everyone; null: unlimited. */
  budgetXof: Schema.NullOr(PositiveXof),
  /** Uses per customer; null: unlimited. */
  perCustomerLimit: Schema.NullOr(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 1_000 })))),
  /** Only for a customer who never had an order that was not cancelled. */
  firstOrderOnly: Schema.Boolean,
  /** Null: every provider. */
  providerId: Schema.NullOr(Schema.String),
  /** Who pays the discount: earnings charge a provider-funded one to the provider. */
  fundedBy: PromotionFunder
})
export type PromotionTerms = typeof PromotionTerms.Type

export const Promotion = Schema.Struct({
  ...PromotionTerms.fields,
  id: Schema.String,
  active: Schema.Boolean,
  /** Counted under the promotion's lock, with each order that uses it (released when that order is cancelled). */
  usesCount: Schema.Int,
  discountTotalXof: Xof,
  createdAt: Schema.Date,
  updatedAt: Schema.Date
})
export type Promotion = typeof Promotion.Type

/** Why a promotion does not apply to an order. */
export const PromotionRefusalReason = Schema.Literals([
  "unknown_code",
  "inactive",
  "not_started",
  "ended",
  "other_provider",
  "below_minimum",
  "first_order_only",
  "exhausted",
  "budget_spent",
  "customer_limit_reached",
  "no_discount"
])
export type PromotionRefusalReason = typeof PromotionRefusalReason.Type

/** A promotion's usage as read under its lock, when an order is about to use it. */
export interface PromotionUsage {
  readonly usesCount: number
  readonly discountTotalXof: Xof
  /** Uses of this customer not released. */
  readonly customerUses: number
}
