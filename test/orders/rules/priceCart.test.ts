import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { StoredMenu } from "@nelo/domain/catalogue/MenuRepository"
import { providerAt } from "@nelo/domain/catalogue/openingState"
import type { GasProduct, OptionGroup, Product } from "@nelo/domain/catalogue/Product"
import type { Provider } from "@nelo/domain/catalogue/Provider"
import type { Schedule } from "@nelo/domain/catalogue/Schedule"
import { earthRadiusMeters } from "@nelo/domain/geo/haversineMeters"
import type { Cart, CartItem } from "@nelo/domain/orders/Cart"
import { defaultDeliveryFeeSchedule } from "@nelo/domain/orders/DeliveryFeeSchedule"
import { type CartFacts, priceCart, totalsOf } from "@nelo/domain/orders/priceCart"
import { type Xof, xof } from "@nelo/domain/shared/Xof"
import type { Address } from "@nelo/domain/users/Address"
import type { UserId } from "@nelo/domain/users/User"

// ---------------------------------------------------------------------------------------------
// Fixtures: a maquis in Tiassalé open Monday to Saturday 08:00–22:00 (Abidjan is UTC+0, no DST).

const at = (iso: string) => Date.parse(iso)
/** Wednesday 4 November 2026, noon: open. */
const wednesdayNoon = at("2026-11-04T12:00:00Z")
/** Sunday 8 November 2026, noon: closed all day; opens Monday 08:00. */
const sundayNoon = at("2026-11-08T12:00:00Z")
const mondayEight = at("2026-11-09T08:00:00Z")

const schedule: Schedule = {
  timeZone: "Africa/Abidjan",
  weekly: [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, intervals: [{ opens: "08:00", closes: "22:00" }] })),
  exceptions: [],
  paused: false
}

const zone = { id: "zone-commerce", slug: "commerce", name: "Commerce" }
const maquisLocation = { lat: 5.898, lng: -4.822 }

const maquis: Provider = {
  id: "maquis",
  ownerId: "owner-1",
  type: "restaurant",
  name: "Maquis Chez Tanti",
  description: "",
  location: maquisLocation,
  landmark: "face à la gare routière",
  zone,
  schedule,
  ratingSum: 0,
  ratingCount: 0
}

/** Meters north of the maquis, as a latitude: along a meridian the haversine is R × Δφ exactly. */
const northOf = (meters: number) => ({ lat: maquisLocation.lat + (meters / earthRadiusMeters) * (180 / Math.PI), lng: maquisLocation.lng })

const addressAt = (meters: number, addressZone: Address["zone"] = zone): Address => ({
  id: "address-1",
  userId: "customer-1" as UserId,
  label: "Maison",
  location: northOf(meters),
  landmark: "derrière la pharmacie",
  isDefault: true,
  zone: addressZone,
  createdAt: new Date(0),
  updatedAt: new Date(0)
})

const group = (id: string, kind: "choice" | "size", minChoices: number, maxChoices: number, deltas: ReadonlyArray<number>): OptionGroup => ({
  id,
  kind,
  name: id,
  minChoices,
  maxChoices,
  options: deltas.map((delta, index) => ({ id: `${id}-${index}`, name: `${id} ${index}`, priceDeltaXof: xof(delta) }))
})

const product = (id: string, priceXof: number, fields: Partial<Product> = {}): Product => ({
  id,
  providerId: "maquis",
  categoryId: null,
  name: id,
  description: "",
  priceXof: xof(priceXof),
  available: true,
  stock: null,
  optionGroups: [],
  photoKey: null,
  position: 0,
  ...fields
})

const garba = product("garba", 1_000, {
  name: "Garba",
  // Accompagnement: exactly one; suppléments: up to two.
  optionGroups: [group("accompagnement", "choice", 1, 1, [0, 0, 200]), group("supplements", "choice", 0, 2, [100, 250, 500])]
})
const poulet = product("poulet", 3_000, {
  name: "Poulet braisé",
  // A size group whose numbers say otherwise: a size is still exactly one.
  optionGroups: [group("taille", "size", 0, 3, [0, 1_500, 3_000])]
})
const bissap = product("bissap", 300, { name: "Bissap", stock: 5 })
const kedjenou = product("kedjenou", 4_000, { name: "Kedjenou", available: false })

const oryx: GasProduct = {
  id: "oryx-6",
  providerId: "maquis",
  brand: "Oryx",
  bottleSizeKg: 6,
  refillPriceXof: xof(2_000),
  newBottlePriceXof: xof(14_000),
  fullBottlesInStock: 4,
  available: true
}
const petroci: GasProduct = { ...oryx, id: "petroci-12", brand: "Petroci", bottleSizeKg: 12.5, refillPriceXof: xof(5_200), fullBottlesInStock: null, available: false }

const menu: StoredMenu = { categories: [], products: [garba, poulet, bissap, kedjenou], gasProducts: [oryx, petroci] }
/** Another provider's dish: not in the menu given to the rule, so not found. */
const otherProvidersDish = product("attieke-poisson", 1_500, { providerId: "other-maquis" })

const cartOf = (items: ReadonlyArray<CartItem>): Cart => ({ providerId: "maquis", items, addressId: "address-1", promoCode: null, paymentMethod: null })

const facts = (items: ReadonlyArray<CartItem>, overrides: Partial<CartFacts> = {}): CartFacts => ({
  cart: cartOf(items),
  provider: providerAt(maquis, wednesdayNoon),
  menu,
  address: addressAt(1_500),
  radiusM: 5_000,
  feeSchedule: defaultDeliveryFeeSchedule,
  ...overrides
})

const garbaItem = (quantity = 1, options: ReadonlyArray<string> = ["accompagnement-0"]) => ({ productId: "garba", quantity, options })

// ---------------------------------------------------------------------------------------------

describe("priceCart: prices", () => {
  it("a valid cart has no problems; each line is (base + option deltas) × quantity and they sum to the subtotal", () => {
    const priced = priceCart(facts([
      garbaItem(2, ["accompagnement-2", "supplements-0", "supplements-2"]),
      { productId: "poulet", quantity: 1, options: ["taille-1"] },
      { gasProductId: "oryx-6", quantity: 2, sale: "refill" }
    ]))
    expect(priced.problems).toEqual([])
    expect(priced.lines).toEqual([
      {
        kind: "product",
        productId: "garba",
        name: "Garba",
        unitPriceXof: 1_800,
        quantity: 2,
        options: [
          { id: "accompagnement-2", groupName: "accompagnement", name: "accompagnement 2", priceDeltaXof: 200 },
          { id: "supplements-0", groupName: "supplements", name: "supplements 0", priceDeltaXof: 100 },
          { id: "supplements-2", groupName: "supplements", name: "supplements 2", priceDeltaXof: 500 }
        ],
        lineTotalXof: 3_600
      },
      {
        kind: "product",
        productId: "poulet",
        name: "Poulet braisé",
        unitPriceXof: 4_500,
        quantity: 1,
        options: [{ id: "taille-1", groupName: "taille", name: "taille 1", priceDeltaXof: 1_500 }],
        lineTotalXof: 4_500
      },
      {
        kind: "gas",
        gasProductId: "oryx-6",
        brand: "Oryx",
        bottleSizeKg: 6,
        sale: "refill",
        unitPriceXof: 2_000,
        quantity: 2,
        emptyBottlesToCollect: 2,
        lineTotalXof: 4_000
      }
    ])
    expect(priced.subtotalXof).toBe(12_100)
    expect(priced.distanceM).toBe(1_500)
    expect(priced.deliveryFeeXof).toBe(500)
  })

  it("gas: a refill at the refill price collects as many empty bottles; a new bottle at its own price collects none", () => {
    const refill = priceCart(facts([{ gasProductId: "oryx-6", quantity: 3, sale: "refill" }]))
    const bought = priceCart(facts([{ gasProductId: "oryx-6", quantity: 3, sale: "new" }]))
    expect(refill.lines).toMatchObject([{ sale: "refill", unitPriceXof: 2_000, lineTotalXof: 6_000, emptyBottlesToCollect: 3 }])
    expect(bought.lines).toMatchObject([{ sale: "new", unitPriceXof: 14_000, lineTotalXof: 42_000, emptyBottlesToCollect: 0 }])
    expect(refill.subtotalXof).toBe(6_000)
    expect(bought.subtotalXof).toBe(42_000)
  })

  it("the fee follows the distance to the address", () => {
    expect(priceCart(facts([garbaItem()], { address: addressAt(3_000) }))).toMatchObject({ distanceM: 3_000, deliveryFeeXof: 800, problems: [] })
    expect(priceCart(facts([garbaItem()], { address: addressAt(4_999) }))).toMatchObject({ distanceM: 4_999, deliveryFeeXof: 800, problems: [] })
  })
})

describe("priceCart: every problem, each naming its line", () => {
  const problemsOf = (items: ReadonlyArray<CartItem>, overrides: Partial<CartFacts> = {}) => priceCart(facts(items, overrides)).problems

  it("an unknown product, and another provider's product, are not found", () => {
    const priced = priceCart(facts([garbaItem(), { productId: "nope", quantity: 1, options: [] }, { productId: otherProvidersDish.id, quantity: 1, options: [] }, { gasProductId: "nope", quantity: 1, sale: "new" }]))
    expect(priced.problems).toEqual([{ _tag: "ItemNotFound", line: 1 }, { _tag: "ItemNotFound", line: 2 }, { _tag: "ItemNotFound", line: 3 }])
    // The lines with a problem are left out of the price.
    expect(priced.lines.map((line) => line.kind === "product" ? line.productId : line.gasProductId)).toEqual(["garba"])
    expect(priced.subtotalXof).toBe(1_000)
  })

  it("an unavailable product or bottle", () => {
    expect(problemsOf([{ productId: "kedjenou", quantity: 1, options: [] }, garbaItem(), { gasProductId: "petroci-12", quantity: 1, sale: "refill" }])).toEqual([
      { _tag: "ItemUnavailable", line: 0, name: "Kedjenou" },
      { _tag: "ItemUnavailable", line: 2, name: "Petroci 12.5 kg" }
    ])
  })

  it("stock is counted over every line of the same item: two lines of 3 against a stock of 5 are refused", () => {
    const bissapLine = (quantity: number) => ({ productId: "bissap", quantity, options: [] })
    expect(problemsOf([bissapLine(3), garbaItem(), bissapLine(3)])).toEqual([
      { _tag: "OutOfStock", line: 0, name: "Bissap", availableQuantity: 5 },
      { _tag: "OutOfStock", line: 2, name: "Bissap", availableQuantity: 5 }
    ])
    expect(problemsOf([bissapLine(2), bissapLine(3)])).toEqual([])
    expect(problemsOf([bissapLine(5)])).toEqual([])
    expect(problemsOf([bissapLine(6)])).toEqual([{ _tag: "OutOfStock", line: 0, name: "Bissap", availableQuantity: 5 }])
    // Full bottles too, whatever the sale: 4 on hand.
    const oryxLine = (quantity: number, sale: "refill" | "new") => ({ gasProductId: "oryx-6", quantity, sale })
    expect(problemsOf([oryxLine(2, "refill"), oryxLine(3, "new")])).toEqual([
      { _tag: "OutOfStock", line: 0, name: "Oryx 6 kg", availableQuantity: 4 },
      { _tag: "OutOfStock", line: 1, name: "Oryx 6 kg", availableQuantity: 4 }
    ])
    expect(problemsOf([oryxLine(2, "refill"), oryxLine(2, "new")])).toEqual([])
  })

  it("a line refused for its quantity takes nothing from the stock the other lines of that item are counted against", () => {
    const bissapLine = (quantity: number) => ({ productId: "bissap", quantity, options: [] })
    // 51 is refused as a quantity; the 1 beside it fits a stock of 5.
    expect(problemsOf([bissapLine(51), bissapLine(1)])).toEqual([{ _tag: "QuantityOutOfRange", line: 0, minimum: 1, maximum: 50 }])
    // −5 is refused as a quantity; it must not make room for 8 out of 5.
    expect(problemsOf([bissapLine(-5), bissapLine(8)])).toEqual([
      { _tag: "QuantityOutOfRange", line: 0, minimum: 1, maximum: 50 },
      { _tag: "OutOfStock", line: 1, name: "Bissap", availableQuantity: 5 }
    ])
  })

  it("a quantity is a whole number from 1 to 50", () => {
    expect(problemsOf([garbaItem(0), garbaItem(51), garbaItem(1), garbaItem(50), garbaItem(2.5), { gasProductId: "oryx-6", quantity: -1, sale: "new" }])).toEqual([
      { _tag: "QuantityOutOfRange", line: 0, minimum: 1, maximum: 50 },
      { _tag: "QuantityOutOfRange", line: 1, minimum: 1, maximum: 50 },
      { _tag: "QuantityOutOfRange", line: 4, minimum: 1, maximum: 50 },
      { _tag: "QuantityOutOfRange", line: 5, minimum: 1, maximum: 50 }
    ])
  })

  it("an option the product does not offer, and an option chosen twice, are not offered", () => {
    expect(problemsOf([garbaItem(1, ["accompagnement-0", "taille-1"])])).toEqual([{ _tag: "OptionNotOffered", line: 0, name: "Garba", optionId: "taille-1" }])
    // Charged twice for one choice otherwise.
    expect(problemsOf([garbaItem(), garbaItem(1, ["accompagnement-0", "supplements-1", "supplements-1"])])).toEqual([
      { _tag: "OptionNotOffered", line: 1, name: "Garba", optionId: "supplements-1" }
    ])
  })

  it("each group's minimum and maximum", () => {
    expect(problemsOf([garbaItem(1, [])])).toEqual([
      { _tag: "OptionChoicesInvalid", line: 0, name: "Garba", group: "accompagnement", minChoices: 1, maxChoices: 1, chosen: 0 }
    ])
    expect(problemsOf([garbaItem(1, ["accompagnement-0", "accompagnement-1"])])).toEqual([
      { _tag: "OptionChoicesInvalid", line: 0, name: "Garba", group: "accompagnement", minChoices: 1, maxChoices: 1, chosen: 2 }
    ])
    expect(problemsOf([garbaItem(1, ["accompagnement-0", "supplements-0", "supplements-1", "supplements-2"])])).toEqual([
      { _tag: "OptionChoicesInvalid", line: 0, name: "Garba", group: "supplements", minChoices: 0, maxChoices: 2, chosen: 3 }
    ])
    expect(problemsOf([garbaItem(1, ["accompagnement-1", "supplements-2"])])).toEqual([])
  })

  it("a size group needs exactly one choice, whatever its numbers say", () => {
    const pouletItem = (options: ReadonlyArray<string>) => ({ productId: "poulet", quantity: 1, options })
    expect(problemsOf([pouletItem([])])).toEqual([
      { _tag: "OptionChoicesInvalid", line: 0, name: "Poulet braisé", group: "taille", minChoices: 1, maxChoices: 1, chosen: 0 }
    ])
    expect(problemsOf([pouletItem(["taille-0", "taille-2"])])).toEqual([
      { _tag: "OptionChoicesInvalid", line: 0, name: "Poulet braisé", group: "taille", minChoices: 1, maxChoices: 1, chosen: 2 }
    ])
    expect(problemsOf([pouletItem(["taille-2"])])).toEqual([])
  })

  it("a closed provider, with when it next opens; a paused one, with no date", () => {
    const closed = priceCart(facts([garbaItem()], { provider: providerAt(maquis, sundayNoon) }))
    expect(closed.problems).toEqual([{ _tag: "ProviderClosed", nextOpenAt: new Date(mondayEight) }])
    // Priced all the same, so the customer sees what it would cost.
    expect(closed.subtotalXof).toBe(1_000)
    const paused = { ...maquis, schedule: { ...schedule, paused: true } }
    expect(problemsOf([garbaItem()], { provider: providerAt(paused, wednesdayNoon) })).toEqual([{ _tag: "ProviderClosed", nextOpenAt: null }])
    // Open from 08:00 inclusive to 22:00 exclusive.
    expect(problemsOf([garbaItem()], { provider: providerAt(maquis, at("2026-11-04T08:00:00Z")) })).toEqual([])
    expect(problemsOf([garbaItem()], { provider: providerAt(maquis, at("2026-11-04T22:00:00Z")) })).toEqual([
      { _tag: "ProviderClosed", nextOpenAt: new Date(at("2026-11-05T08:00:00Z")) }
    ])
  })

  it("a provider outside every zone does not deliver; no provider at all is not found, with no distance and no fee", () => {
    expect(problemsOf([garbaItem()], { provider: providerAt({ ...maquis, zone: null }, wednesdayNoon) })).toEqual([{ _tag: "ProviderNotDelivering" }])
    const none = priceCart(facts([{ productId: "garba", quantity: 1, options: ["accompagnement-0"] }], { provider: null, menu: { categories: [], products: [], gasProducts: [] } }))
    expect(none.problems).toEqual([{ _tag: "ProviderNotFound" }, { _tag: "ItemNotFound", line: 0 }])
    expect(none.distanceM).toBeNull()
    expect(none.deliveryFeeXof).toBe(0)
  })

  it("the address: missing, outside every zone, or beyond the radius (with the distance)", () => {
    const missing = priceCart(facts([garbaItem()], { address: null }))
    expect(missing.problems).toEqual([{ _tag: "AddressNotFound" }])
    expect(missing.distanceM).toBeNull()
    expect(missing.deliveryFeeXof).toBe(0)
    expect(problemsOf([garbaItem()], { address: addressAt(1_000, null) })).toEqual([{ _tag: "AddressOutsideZones" }])
    expect(problemsOf([garbaItem()], { address: addressAt(5_000) })).toEqual([])
    expect(problemsOf([garbaItem()], { address: addressAt(5_001) })).toEqual([{ _tag: "AddressTooFar", distanceM: 5_001, radiusM: 5_000 }])
    expect(problemsOf([garbaItem()], { address: addressAt(7_200), radiusM: 3_000 })).toEqual([{ _tag: "AddressTooFar", distanceM: 7_200, radiusM: 3_000 }])
  })

  it("every problem at once, provider first, then the lines in order, then the address", () => {
    expect(problemsOf([{ productId: "kedjenou", quantity: 1, options: [] }, garbaItem(0)], {
      provider: providerAt({ ...maquis, zone: null }, sundayNoon),
      address: addressAt(9_000)
    })).toEqual([
      { _tag: "ProviderNotDelivering" },
      { _tag: "ProviderClosed", nextOpenAt: new Date(mondayEight) },
      { _tag: "ItemUnavailable", line: 0, name: "Kedjenou" },
      { _tag: "QuantityOutOfRange", line: 1, minimum: 1, maximum: 50 },
      { _tag: "AddressTooFar", distanceM: 9_000, radiusM: 5_000 }
    ])
  })
})

// ---------------------------------------------------------------------------------------------
// Properties over random menus and carts.

interface RandomGroup {
  readonly kind: "choice" | "size"
  readonly deltas: ReadonlyArray<number>
  readonly minChoices: number
  readonly maxChoices: number
}

const randomGroup: fc.Arbitrary<RandomGroup> = fc.record({
  kind: fc.constantFrom("choice" as const, "size" as const),
  deltas: fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 4 }),
  a: fc.nat(),
  b: fc.nat()
}).map(({ a, b, deltas, kind }) => {
  const minChoices = a % (deltas.length + 1)
  const lowestMax = Math.max(1, minChoices)
  return { kind, deltas, minChoices, maxChoices: lowestMax + (b % (deltas.length - lowestMax + 1)) }
})

const randomMenu: fc.Arbitrary<StoredMenu> = fc.record({
  products: fc.array(fc.record({
    price: fc.integer({ min: 0, max: 50_000 }),
    groups: fc.array(randomGroup, { maxLength: 3 }),
    stock: fc.constantFrom(null, 10_000)
  }), { minLength: 1, maxLength: 6 }),
  gas: fc.array(fc.record({
    refill: fc.integer({ min: 0, max: 20_000 }),
    fresh: fc.integer({ min: 0, max: 60_000 }),
    stock: fc.constantFrom(null, 10_000)
  }), { maxLength: 3 })
}).map(({ gas, products }) => ({
  categories: [],
  products: products.map((raw, index) => product(`p${index}`, raw.price, {
    name: `Plat ${index}`,
    stock: raw.stock,
    optionGroups: raw.groups.map((raw, groupIndex) => group(`p${index}-g${groupIndex}`, raw.kind, raw.minChoices, raw.maxChoices, raw.deltas))
  })),
  gasProducts: gas.map((raw, index) => ({ ...oryx, id: `gas${index}`, refillPriceXof: xof(raw.refill), newBottlePriceXof: xof(raw.fresh), fullBottlesInStock: raw.stock }))
}))

/** A valid item of the menu: each group's choices within its bounds (a size: exactly one), in any order. */
const validItem = (menu: StoredMenu): fc.Arbitrary<CartItem> => {
  const quantity = fc.integer({ min: 1, max: 50 })
  const productItem = fc.integer({ min: 0, max: menu.products.length - 1 }).chain((index) => {
    const chosen = menu.products[index]!.optionGroups.map((optionGroup) => {
      const [min, max] = optionGroup.kind === "size" ? [1, 1] : [optionGroup.minChoices, optionGroup.maxChoices]
      return fc.shuffledSubarray(optionGroup.options.map((option) => option.id), { minLength: min, maxLength: max })
    })
    return fc.record({ productId: fc.constant(menu.products[index]!.id), quantity, options: fc.tuple(...chosen).map((ids) => ids.flat()) })
  })
  if (menu.gasProducts.length === 0) return productItem
  const gasItem = fc.record({
    gasProductId: fc.constantFrom(...menu.gasProducts.map((gas) => gas.id)),
    quantity,
    sale: fc.constantFrom("refill" as const, "new" as const)
  })
  return fc.oneof(productItem, gasItem)
}

const menuAndValidCart = randomMenu.chain((menu) => fc.tuple(fc.constant(menu), fc.array(validItem(menu), { minLength: 1, maxLength: 12 })))

/** The expected line total, computed from the menu alone. */
const expectedLineTotal = (menu: StoredMenu, item: CartItem): number => {
  if ("gasProductId" in item) {
    const gas = menu.gasProducts.find((candidate) => candidate.id === item.gasProductId)!
    return (item.sale === "refill" ? gas.refillPriceXof : gas.newBottlePriceXof) * item.quantity
  }
  const dish = menu.products.find((candidate) => candidate.id === item.productId)!
  const deltas = dish.optionGroups.flatMap((optionGroup) => optionGroup.options).filter((option) => item.options.includes(option.id)).map((option) => option.priceDeltaXof)
  return (dish.priceXof + deltas.reduce((total, delta) => total + delta, 0)) * item.quantity
}

describe("priceCart (properties)", () => {
  it("a valid cart of any menu has no problems; each line is (base + deltas) × quantity; the lines sum to the subtotal", () => {
    fc.assert(fc.property(menuAndValidCart, fc.integer({ min: 0, max: 5_000 }), ([randomMenu, items], meters) => {
      const priced = priceCart(facts(items, { menu: randomMenu, address: addressAt(meters) }))
      expect(priced.problems).toEqual([])
      expect(priced.lines).toHaveLength(items.length)
      priced.lines.forEach((line, index) => {
        const item = items[index]!
        expect(line.quantity).toBe(item.quantity)
        expect(line.lineTotalXof).toBe(expectedLineTotal(randomMenu, item))
        expect(line.lineTotalXof).toBe(line.unitPriceXof * line.quantity)
        expect(Number.isSafeInteger(line.lineTotalXof)).toBe(true)
        if (line.kind === "gas") expect(line.emptyBottlesToCollect).toBe(line.sale === "refill" ? line.quantity : 0)
        else expect([...line.options.map((option) => option.id)].sort()).toEqual([...(item as { options: ReadonlyArray<string> }).options].sort())
      })
      expect(priced.subtotalXof).toBe(items.reduce((total, item) => total + expectedLineTotal(randomMenu, item), 0))
      expect(priced.distanceM).toBe(meters)
      expect(priced.deliveryFeeXof).toBe(meters <= 2_000 ? 500 : 800)
    }), { numRuns: 300 })
  })

  it("any cart: each line is either priced or named by a problem, never both, and the subtotal is the priced lines'", () => {
    const anyItem = (menu: StoredMenu): fc.Arbitrary<CartItem> => fc.oneof(
      validItem(menu),
      fc.record({ productId: fc.constantFrom("nope", ...menu.products.map((dish) => dish.id)), quantity: fc.integer({ min: -2, max: 60 }), options: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }) })
    )
    const menuAndCart = randomMenu.chain((menu) => fc.tuple(fc.constant(menu), fc.array(anyItem(menu), { minLength: 1, maxLength: 12 })))
    fc.assert(fc.property(menuAndCart, ([randomMenu, items]) => {
      const priced = priceCart(facts(items, { menu: randomMenu }))
      const named = new Set(priced.problems.flatMap((problem) => "line" in problem ? [problem.line] : []))
      for (const line of named) expect(line >= 0 && line < items.length).toBe(true)
      const pricedCount = items.length - named.size
      expect(priced.lines).toHaveLength(pricedCount)
      // Priced lines keep the cart's order.
      const expectedIds = items.flatMap((item, index) => named.has(index) ? [] : ["gasProductId" in item ? item.gasProductId : item.productId])
      expect(priced.lines.map((line) => line.kind === "gas" ? line.gasProductId : line.productId)).toEqual(expectedIds)
      expect(priced.subtotalXof).toBe(priced.lines.reduce((total, line) => total + line.lineTotalXof, 0))
    }), { numRuns: 300 })
  })
})

describe("totalsOf", () => {
  it("subtotal + fee − discount = total", () => {
    expect(totalsOf(xof(12_100), xof(800), xof(1_000))).toEqual({ subtotalXof: 12_100, deliveryFeeXof: 800, discountXof: 1_000, totalXof: 11_900 })
    expect(totalsOf(xof(1_000), xof(500), xof(1_500))).toEqual({ subtotalXof: 1_000, deliveryFeeXof: 500, discountXof: 1_500, totalXof: 0 })
    expect(totalsOf(xof(0), xof(0), xof(0)).totalXof).toBe(0)
  })

  it("refuses a discount above subtotal + fee, or below zero", () => {
    expect(() => totalsOf(xof(1_000), xof(500), xof(1_501))).toThrow(RangeError)
    expect(() => totalsOf(xof(1_000), xof(500), xof(-1))).toThrow(RangeError)
  })

  it("property: whole francs, total = subtotal + fee − discount, never negative; any larger discount refused", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (subtotal, fee, fraction) => {
      const discount = Math.floor((subtotal + fee) * fraction)
      const totals = totalsOf(xof(subtotal), xof(fee), xof(discount))
      expect(totals.totalXof).toBe(subtotal + fee - discount)
      expect(totals.totalXof).toBeGreaterThanOrEqual(0)
      for (const figure of Object.values(totals)) expect(Number.isSafeInteger(figure)).toBe(true)
      expect(() => totalsOf(xof(subtotal), xof(fee), xof(subtotal + fee + 1))).toThrow(RangeError)
    }))
  })

  it("figures that are not whole francs cannot even be built", () => {
    expect(() => totalsOf(xof(1_000), xof(500), xof(0.5))).toThrow(RangeError)
    expect(() => totalsOf(1_000.5 as Xof, xof(500), xof(0))).toThrow(RangeError)
  })
})
