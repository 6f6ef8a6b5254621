import type { ProviderAtInstant } from "../catalogue/openingState.ts"
import type { StoredMenu } from "../catalogue/MenuRepository.ts"
import type { GasProduct, Product } from "../catalogue/Product.ts"
import { haversineMeters } from "../geo/haversineMeters.ts"
import type { Address } from "../users/Address.ts"
import { type Xof, xof } from "../shared/Xof.ts"
import { type Cart, type CartItem, isGasItem, maximumQuantity, minimumQuantity, type ProductItem } from "./Cart.ts"
import type { CartProblem } from "./CartProblem.ts"
import { deliveryFeeFor, type DeliveryFeeSchedule } from "./DeliveryFeeSchedule.ts"
import type { ChosenOption, GasLine, OrderLine, OrderTotals, ProductLine } from "./Order.ts"

/** What the rules need to price a cart, read by the use case. */
export interface CartFacts {
  readonly cart: Cart
  /** Null: no such provider. */
  readonly provider: ProviderAtInstant | null
  readonly menu: StoredMenu
  /** The customer's own address with that id; null when they have none. */
  readonly address: Address | null
  readonly radiusM: number
  readonly feeSchedule: DeliveryFeeSchedule
}

export interface PricedCart {
  /** The lines that could be priced (a line with a problem is left out). */
  readonly lines: ReadonlyArray<OrderLine>
  readonly subtotalXof: Xof
  /** Null when the distance is unknown (no provider or no address). */
  readonly distanceM: number | null
  readonly deliveryFeeXof: Xof
  /** Empty: the cart can be ordered (promotions and payment aside). */
  readonly problems: ReadonlyArray<CartProblem>
}

const sum = (amounts: ReadonlyArray<number>): Xof => xof(amounts.reduce((total, amount) => total + amount, 0))

/** The options chosen on a product, checked against its groups; the chosen ones, or the problems. */
const chooseOptions = (product: Product, item: ProductItem, line: number): { readonly chosen: ReadonlyArray<ChosenOption>; readonly problems: ReadonlyArray<CartProblem> } => {
  const problems: Array<CartProblem> = []
  const chosen: Array<ChosenOption> = []
  const seen = new Set<string>()
  for (const optionId of item.options) {
    const group = product.optionGroups.find((candidate) => candidate.options.some((option) => option.id === optionId))
    // A repeated option would be charged twice for one choice: taken as not offered.
    if (group === undefined || seen.has(optionId)) {
      problems.push({ _tag: "OptionNotOffered", line, name: product.name, optionId })
      continue
    }
    seen.add(optionId)
    const option = group.options.find((candidate) => candidate.id === optionId)!
    chosen.push({ id: option.id, groupName: group.name, name: option.name, priceDeltaXof: option.priceDeltaXof })
  }
  for (const group of product.optionGroups) {
    const count = group.options.filter((option) => seen.has(option.id)).length
    // A size is exactly one, whatever the group's numbers say: a dish has one size.
    const [minChoices, maxChoices] = group.kind === "size" ? [1, 1] : [group.minChoices, group.maxChoices]
    if (count < minChoices || count > maxChoices) {
      problems.push({ _tag: "OptionChoicesInvalid", line, name: product.name, group: group.name, minChoices, maxChoices, chosen: count })
    }
  }
  return { chosen, problems }
}

const productLine = (product: Product, item: ProductItem, chosen: ReadonlyArray<ChosenOption>): ProductLine => {
  const unitPriceXof = xof(product.priceXof + chosen.reduce((total, option) => total + option.priceDeltaXof, 0))
  return {
    kind: "product",
    productId: product.id,
    name: product.name,
    unitPriceXof,
    quantity: item.quantity,
    options: chosen,
    lineTotalXof: xof(unitPriceXof * item.quantity)
  }
}

const gasLine = (gas: GasProduct, item: { readonly quantity: number; readonly sale: "refill" | "new" }): GasLine => {
  const unitPriceXof = item.sale === "refill" ? gas.refillPriceXof : gas.newBottlePriceXof
  return {
    kind: "gas",
    gasProductId: gas.id,
    brand: gas.brand,
    bottleSizeKg: gas.bottleSizeKg,
    sale: item.sale,
    unitPriceXof,
    quantity: item.quantity,
    emptyBottlesToCollect: item.sale === "refill" ? item.quantity : 0,
    lineTotalXof: xof(unitPriceXof * item.quantity)
  }
}

const itemKey = (item: CartItem) => isGasItem(item) ? `gas:${item.gasProductId}` : `product:${item.productId}`

/**
 * Prices a cart and lists every reason it cannot be ordered as it is: the provider (exists, open,
 * in a zone), each line (of this provider, available, enough stock over all the lines of that item,
 * quantity 1..50, options fitting their groups), and the address (the customer's, in a zone, within
 * the provider's radius). Lines are priced at the menu's prices now: base plus options, times quantity.
 */
export const priceCart = (facts: CartFacts): PricedCart => {
  const { cart, menu } = facts
  const problems: Array<CartProblem> = []
  const lines: Array<OrderLine> = []
  const provider = facts.provider
  if (provider === null) problems.push({ _tag: "ProviderNotFound" })
  else {
    if (provider.provider.zone === null) problems.push({ _tag: "ProviderNotDelivering" })
    if (!provider.isOpen) problems.push({ _tag: "ProviderClosed", nextOpenAt: provider.nextOpenAtMs === undefined ? null : new Date(provider.nextOpenAtMs) })
  }

  // Stock is counted over every line of the same item: two lines of one dish take from one stock.
  const wanted = new Map<string, number>()
  for (const item of cart.items) if (Number.isInteger(item.quantity) && item.quantity >= minimumQuantity && item.quantity <= maximumQuantity) wanted.set(itemKey(item), (wanted.get(itemKey(item)) ?? 0) + item.quantity)

  cart.items.forEach((item, line) => {
    if (!Number.isInteger(item.quantity) || item.quantity < minimumQuantity || item.quantity > maximumQuantity) {
      problems.push({ _tag: "QuantityOutOfRange", line, minimum: minimumQuantity, maximum: maximumQuantity })
      return
    }
    if (isGasItem(item)) {
      const gas = menu.gasProducts.find((candidate) => candidate.id === item.gasProductId)
      if (gas === undefined) return void problems.push({ _tag: "ItemNotFound", line })
      const name = `${gas.brand} ${gas.bottleSizeKg} kg`
      if (!gas.available) return void problems.push({ _tag: "ItemUnavailable", line, name })
      if (gas.fullBottlesInStock !== null && wanted.get(itemKey(item))! > gas.fullBottlesInStock) {
        return void problems.push({ _tag: "OutOfStock", line, name, availableQuantity: gas.fullBottlesInStock })
      }
      lines.push(gasLine(gas, item))
      return
    }
    const product = menu.products.find((candidate) => candidate.id === item.productId)
    if (product === undefined) return void problems.push({ _tag: "ItemNotFound", line })
    if (!product.available) return void problems.push({ _tag: "ItemUnavailable", line, name: product.name })
    if (product.stock !== null && wanted.get(itemKey(item))! > product.stock) {
      return void problems.push({ _tag: "OutOfStock", line, name: product.name, availableQuantity: product.stock })
    }
    const options = chooseOptions(product, item, line)
    if (options.problems.length > 0) return void problems.push(...options.problems)
    lines.push(productLine(product, item, options.chosen))
  })

  let distanceM: number | null = null
  const address = facts.address
  if (address === null) problems.push({ _tag: "AddressNotFound" })
  else if (address.zone === null) problems.push({ _tag: "AddressOutsideZones" })
  if (address !== null && provider !== null) {
    distanceM = Math.round(haversineMeters(provider.provider.location, address.location))
    if (address.zone !== null && distanceM > facts.radiusM) problems.push({ _tag: "AddressTooFar", distanceM, radiusM: facts.radiusM })
  }
  return {
    lines,
    subtotalXof: sum(lines.map((line) => line.lineTotalXof)),
    distanceM,
    // A fee only where delivery is possible: an address outside the zones or beyond the radius has none to quote.
    deliveryFeeXof: distanceM === null || address?.zone === null || distanceM > facts.radiusM ? xof(0) : deliveryFeeFor(facts.feeSchedule, distanceM),
    problems
  }
}

/** The order's figures: subtotal + delivery fee − discount = total, the discount never more than the rest. */
export const totalsOf = (subtotalXof: Xof, deliveryFeeXof: Xof, discountXof: Xof): OrderTotals => {
  if (discountXof < 0 || discountXof > subtotalXof + deliveryFeeXof) throw new RangeError(`a discount of ${discountXof} does not fit ${subtotalXof} + ${deliveryFeeXof}`)
  return { subtotalXof, deliveryFeeXof, discountXof, totalXof: xof(subtotalXof + deliveryFeeXof - discountXof) }
}
