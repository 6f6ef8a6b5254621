import { Result, Schema } from "effect"
import type { Xof } from "../shared/Xof.ts"
import type { GasProduct, OptionGroup, Product } from "./Product.ts"

export class OptionGroupInvalid extends Schema.TaggedError<OptionGroupInvalid>()("OptionGroupInvalid", {
  groupId: Schema.String,
  reason: Schema.Literals(["min_above_max", "max_above_options", "duplicate_option", "size_not_single_choice"])
}) {}

export class ChoicesInvalid extends Schema.TaggedError<ChoicesInvalid>()("ChoicesInvalid", {
  groupId: Schema.String,
  reason: Schema.Literals(["too_few", "too_many", "unknown_option", "unknown_group", "chosen_twice"])
}) {}

export class OutOfStock extends Schema.TaggedError<OutOfStock>()("OutOfStock", {
  available: Schema.Number
}) {}

/** A group the customer can satisfy: minChoices ≤ maxChoices ≤ number of options, options distinct; a size is one choice exactly. */
export const checkOptionGroup = (group: OptionGroup): Result.Result<OptionGroup, OptionGroupInvalid> => {
  if (group.kind === "size" && (group.minChoices !== 1 || group.maxChoices !== 1)) {
    return Result.fail(new OptionGroupInvalid({ groupId: group.id, reason: "size_not_single_choice" }))
  }
  if (group.minChoices > group.maxChoices) return Result.fail(new OptionGroupInvalid({ groupId: group.id, reason: "min_above_max" }))
  if (group.maxChoices > group.options.length) return Result.fail(new OptionGroupInvalid({ groupId: group.id, reason: "max_above_options" }))
  if (new Set(group.options.map((option) => option.id)).size !== group.options.length) {
    return Result.fail(new OptionGroupInvalid({ groupId: group.id, reason: "duplicate_option" }))
  }
  return Result.succeed(group)
}

/**
 * The unit price of a product with the customer's choices (group id → option ids): the base price
 * plus each chosen option's delta, after checking every group's min and max. Whole francs.
 */
export const unitPrice = (product: Product, choices: Readonly<Record<string, ReadonlyArray<string>>>): Result.Result<Xof, ChoicesInvalid> => {
  for (const groupId of Object.keys(choices)) {
    if (!product.optionGroups.some((group) => group.id === groupId)) return Result.fail(new ChoicesInvalid({ groupId, reason: "unknown_group" }))
  }
  let total = product.priceXof as number
  for (const group of product.optionGroups) {
    const chosen = choices[group.id] ?? []
    if (new Set(chosen).size !== chosen.length) return Result.fail(new ChoicesInvalid({ groupId: group.id, reason: "chosen_twice" }))
    if (chosen.length < group.minChoices) return Result.fail(new ChoicesInvalid({ groupId: group.id, reason: "too_few" }))
    if (chosen.length > group.maxChoices) return Result.fail(new ChoicesInvalid({ groupId: group.id, reason: "too_many" }))
    for (const optionId of chosen) {
      const option = group.options.find((candidate) => candidate.id === optionId)
      if (!option) return Result.fail(new ChoicesInvalid({ groupId: group.id, reason: "unknown_option" }))
      total += option.priceDeltaXof
    }
  }
  return Result.succeed(total as Xof)
}

/** A customer can order it: offered, and not counted out of stock. */
export const isOrderable = (product: Pick<Product, "available" | "stock">) => product.available && (product.stock === null || product.stock > 0)

export const isGasOrderable = (gas: Pick<GasProduct, "available" | "fullBottlesInStock">) =>
  gas.available && (gas.fullBottlesInStock === null || gas.fullBottlesInStock > 0)

/** The consigne: what a new bottle costs above a refill (the bottle itself). */
export const depositXof = (gas: Pick<GasProduct, "newBottlePriceXof" | "refillPriceXof">) => gas.newBottlePriceXof - gas.refillPriceXof

/** Takes `quantity` units from a stock; null stock is not counted. Stock never goes below zero. */
export const takeFromStock = (stock: number | null, quantity: number): Result.Result<number | null, OutOfStock> => {
  if (stock === null) return Result.succeed(null)
  if (quantity > stock) return Result.fail(new OutOfStock({ available: stock }))
  return Result.succeed(stock - quantity)
}
