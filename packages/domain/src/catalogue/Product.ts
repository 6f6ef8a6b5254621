import { Schema } from "effect"
import { Xof } from "../shared/Xof.ts"

/** More units than any shop in Tiassalé holds: a stock past it is a typo (or an overflow in the making). */
export const maximumStock = 1_000_000

export const NonNegativeXof = Xof.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))

export const ProductOption = Schema.Struct({
  id: Schema.String,
  name: Schema.String.pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(80))),
  /** Added to the product's price when chosen; zero for free choices ("piment à part"). */
  priceDeltaXof: NonNegativeXof
})
export type ProductOption = typeof ProductOption.Type

/**
 * A choice the customer makes on a product: "Accompagnement" (exactly one of attiéké, alloco,
 * riz: min 1, max 1), "Suppléments" (any of them: min 0, max n). A variation ("Taille": petit,
 * moyen, grand) is a group of kind `size`: exactly one choice, its delta added to the base price.
 */
export const OptionGroupKind = Schema.Literals(["choice", "size"])

export const OptionGroup = Schema.Struct({
  id: Schema.String,
  kind: OptionGroupKind,
  name: Schema.String.pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(80))),
  minChoices: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))),
  maxChoices: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1))),
  options: Schema.Array(ProductOption).pipe(Schema.check(Schema.isMinLength(1)))
})
export type OptionGroup = typeof OptionGroup.Type

export const Product = Schema.Struct({
  id: Schema.String,
  providerId: Schema.String,
  categoryId: Schema.NullOr(Schema.String),
  name: Schema.String.pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(120))),
  description: Schema.String.pipe(Schema.check(Schema.isMaxLength(1000))),
  priceXof: NonNegativeXof,
  available: Schema.Boolean,
  /** Units left; null means not counted (a dish cooked to order). Never negative. */
  stock: Schema.NullOr(Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))),
  optionGroups: Schema.Array(OptionGroup),
  /** Where its photo is in ObjectStorage (public); null without one. */
  photoKey: Schema.NullOr(Schema.String),
  /** Order within its category, 0 first. */
  position: Schema.Int
})
export type Product = typeof Product.Type

/** Butane bottle sizes sold in Côte d'Ivoire (REFERENCE.md); B6 is most of the volume. */
export const BottleSizeKg = Schema.Literals([6, 12.5, 15, 17.5, 25, 28])

/**
 * A gas bottle as a depot sells it: a refill (an empty bottle of the same brand and size is handed
 * back) or a new bottle, whose price includes the deposit (consigne) for the bottle itself.
 */
export const GasBrand = Schema.Literals(["Petroci", "Oryx", "Petro Ivoire", "Total", "Districom", "Sinam", "Ivoire Butane"])
export type GasBrand = typeof GasBrand.Type

export const GasProduct = Schema.Struct({
  id: Schema.String,
  providerId: Schema.String,
  brand: GasBrand,
  bottleSizeKg: BottleSizeKg,
  refillPriceXof: NonNegativeXof,
  newBottlePriceXof: NonNegativeXof,
  /** Full bottles on hand; null when the depot does not count them. */
  fullBottlesInStock: Schema.NullOr(Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))),
  available: Schema.Boolean
})
export type GasProduct = typeof GasProduct.Type
