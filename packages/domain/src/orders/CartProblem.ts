import { Schema } from "effect"
import { Xof } from "../shared/Xof.ts"
import { PromotionRefusalReason } from "./Promotion.ts"

/**
 * Why a cart cannot be ordered, each reason a fact a person can act on. `line` is the item's index
 * in the cart as sent (0 first), so the app can point at it.
 */
export const CartProblem = Schema.Union([
  Schema.TaggedStruct("ProviderNotFound", {}),
  Schema.TaggedStruct("ProviderClosed", { nextOpenAt: Schema.NullOr(Schema.Date) }),
  Schema.TaggedStruct("ProviderNotDelivering", {}),
  Schema.TaggedStruct("ItemNotFound", { line: Schema.Int }),
  Schema.TaggedStruct("ItemUnavailable", { line: Schema.Int, name: Schema.String }),
  Schema.TaggedStruct("OutOfStock", { line: Schema.Int, name: Schema.String, availableQuantity: Schema.Int }),
  Schema.TaggedStruct("QuantityOutOfRange", { line: Schema.Int, minimum: Schema.Int, maximum: Schema.Int }),
  Schema.TaggedStruct("OptionNotOffered", { line: Schema.Int, name: Schema.String, optionId: Schema.String }),
  Schema.TaggedStruct("OptionChoicesInvalid", {
    line: Schema.Int,
    name: Schema.String,
    group: Schema.String,
    minChoices: Schema.Int,
    maxChoices: Schema.Int,
    chosen: Schema.Int
  }),
  Schema.TaggedStruct("AddressNotFound", {}),
  Schema.TaggedStruct("AddressOutsideZones", {}),
  Schema.TaggedStruct("AddressTooFar", { distanceM: Schema.Int, radiusM: Schema.Int }),
  Schema.TaggedStruct("PromotionRefused", { code: Schema.NullOr(Schema.String), reason: PromotionRefusalReason, minimumSubtotalXof: Schema.NullOr(Xof) }),
  Schema.TaggedStruct("CashAboveMaximum", { maximumXof: Xof }),
  Schema.TaggedStruct("CashRefusedAfterFailures", { failedOrders: Schema.Int })
])
export type CartProblem = typeof CartProblem.Type
