import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { demoOwner, demoProvider, demoProviders, providersPerDemoOwner, regulatedRefillPriceXof } from "@nelo/adapters/seeds/demoCatalogue"
import { Category } from "@nelo/domain/catalogue/Category"
import { GasProduct, Product } from "@nelo/domain/catalogue/Product"
import { checkOptionGroup } from "@nelo/domain/catalogue/productRules"
import { Provider } from "@nelo/domain/catalogue/Provider"
import { haversineMeters } from "@nelo/domain/geo/haversineMeters"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { canReceiveSms, parsePhone } from "@nelo/domain/shared/Phone"

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u
// Plain predicates (not type guards), so that a refused value keeps its type for the report.
const isProvider: (value: unknown) => boolean = Schema.is(Provider)
const isProduct: (value: unknown) => boolean = Schema.is(Product)
const isGasProduct: (value: unknown) => boolean = Schema.is(GasProduct)
const isCategory: (value: unknown) => boolean = Schema.is(Category)

describe("the demo catalogue", () => {
  const catalogue = demoProviders({ seed: 7, productsPerProvider: 20 }, 0, 2_000)

  it("is deterministic: the same seed gives the same providers, whatever the batch they are made in", () => {
    expect(JSON.stringify(demoProviders({ seed: 7, productsPerProvider: 20 }, 0, 2_000))).toBe(JSON.stringify(catalogue))
    expect(demoProviders({ seed: 7, productsPerProvider: 20 }, 1_234, 3)).toEqual(catalogue.slice(1_234, 1_237))
    expect(demoProvider({ seed: 7, productsPerProvider: 20 }, 1_999)).toEqual(catalogue[1_999])
    const other = demoProviders({ seed: 8, productsPerProvider: 20 }, 0, 50)
    expect(other.map((entry) => entry.provider.name)).not.toEqual(catalogue.slice(0, 50).map((entry) => entry.provider.name))
    expect(new Set([...other, ...catalogue].map((entry) => entry.provider.id)).size).toBe(2_050)
  })

  it("every provider, category, product and gas line passes the domain's schemas, and every option group its rules", () => {
    // Checked in plain code and reported at once: 40,000 expect calls would take seconds.
    const refused: Array<string> = []
    for (const entry of catalogue) {
      if (!isProvider({ ...entry.provider, ownerId: "owner", zone: null, ratingSum: 0, ratingCount: 0 })) refused.push(`provider ${entry.provider.name}`)
      for (const category of entry.categories) if (!isCategory(category)) refused.push(`category ${category.name}`)
      for (const product of entry.products) {
        if (!isProduct(product)) refused.push(`product ${product.name}`)
        for (const group of product.optionGroups) if (Result.isFailure(checkOptionGroup(group))) refused.push(`${product.name}: ${group.name}`)
      }
      for (const gas of entry.gasProducts) if (!isGasProduct(gas)) refused.push(`gas ${gas.brand} ${gas.bottleSizeKg}`)
    }
    expect(refused).toEqual([])
    const groups = catalogue.flatMap((entry) => entry.products.flatMap((product) => product.optionGroups))
    expect(groups.some((group) => group.kind === "size")).toBe(true)
    expect(groups.some((group) => group.kind === "choice" && group.minChoices === 1 && group.maxChoices === 1)).toBe(true)
    expect(groups.some((group) => group.kind === "choice" && group.minChoices === 0 && group.maxChoices > 1)).toBe(true)
  })

  it("prices are whole francs, 100 to 5,000 for food and groceries; gas at or above the regulated refill price, a new bottle dearer", () => {
    const products = catalogue.flatMap((entry) => entry.products)
    expect(products.filter((product) => !Number.isSafeInteger(product.priceXof) || product.priceXof < 100 || product.priceXof > 5_000)).toEqual([])
    const deltas = products.flatMap((product) => product.optionGroups.flatMap((group) => group.options.map((option) => option.priceDeltaXof)))
    expect(deltas.filter((delta) => !Number.isSafeInteger(delta) || delta < 0)).toEqual([])
    for (const entry of catalogue.filter((candidate) => candidate.provider.type === "gas_depot")) {
      expect(entry.gasProducts.length).toBeGreaterThanOrEqual(4)
      expect(entry.gasProducts.length).toBeLessThanOrEqual(10)
      expect(new Set(entry.gasProducts.map((gas) => `${gas.brand}/${gas.bottleSizeKg}`)).size).toBe(entry.gasProducts.length)
      for (const gas of entry.gasProducts) {
        expect(gas.refillPriceXof).toBeGreaterThanOrEqual(regulatedRefillPriceXof[gas.bottleSizeKg])
        expect(gas.newBottlePriceXof).toBeGreaterThan(gas.refillPriceXof)
        expect(Number.isSafeInteger(gas.refillPriceXof) && Number.isSafeInteger(gas.newBottlePriceXof)).toBe(true)
      }
      // B6 and B12.5 are sold at the official price.
      for (const gas of entry.gasProducts.filter((line) => line.bottleSizeKg <= 12.5)) expect(gas.refillPriceXof).toBe(regulatedRefillPriceXof[gas.bottleSizeKg])
    }
  })

  it("mixes restaurants, groceries and gas depots about 60/25/15, with names that do not repeat", () => {
    const share = (type: string) => catalogue.filter((entry) => entry.provider.type === type).length / catalogue.length
    expect(share("restaurant")).toBeCloseTo(0.6, 1)
    expect(share("grocery")).toBeCloseTo(0.25, 1)
    expect(share("gas_depot")).toBeCloseTo(0.15, 1)
    const large = demoProviders({ seed: 3, productsPerProvider: 0 }, 0, 10_000)
    expect(new Set(large.map((entry) => entry.provider.name)).size).toBe(10_000)
    expect(large.some((entry) => /[éèêàôï]/u.test(entry.provider.name))).toBe(true)
    expect(large.some((entry) => entry.provider.name.startsWith("Maquis Chez Tantie"))).toBe(true)
    expect(large.some((entry) => entry.provider.name.startsWith("Dépôt de gaz"))).toBe(true)
  })

  it("gives non-gas providers exactly the products asked for, named once each, positions 0.. in each category", () => {
    for (const productsPerProvider of [0, 1, 20, 200]) {
      for (const entry of demoProviders({ seed: 11, productsPerProvider }, 0, 40)) {
        if (entry.provider.type === "gas_depot") {
          expect(entry.products).toEqual([])
          continue
        }
        expect(entry.products.length).toBe(productsPerProvider)
        expect(new Set(entry.products.map((product) => product.name)).size).toBe(productsPerProvider)
        expect(entry.categories.map((category) => category.position)).toEqual(entry.categories.map((_, index) => index))
        for (const category of entry.categories) {
          const positions = entry.products.filter((product) => product.categoryId === category.id).map((product) => product.position)
          expect(positions.length).toBeGreaterThan(0)
          expect(positions).toEqual(positions.map((_, index) => index))
        }
      }
    }
  })

  it("ids are UUIDs, none used twice across providers, categories, products, gas lines, option groups and options", () => {
    const ids = catalogue.flatMap((entry) => [
      entry.provider.id,
      ...entry.categories.map((category) => category.id),
      ...entry.products.flatMap((product) => [product.id, ...product.optionGroups.flatMap((group) => [group.id, ...group.options.map((option) => option.id)])]),
      ...entry.gasProducts.map((gas) => gas.id)
    ])
    expect(ids.filter((id) => !uuid.test(id))).toEqual([])
    expect(new Set(ids).size).toBe(ids.length)
  })

  it("places most providers within 3 km of the town centre, the rest in the commune's towns; realistic hours", () => {
    const distances = catalogue.map((entry) => haversineMeters(tiassale.center, entry.provider.location))
    expect(distances.filter((meters) => meters <= 3_000).length / distances.length).toBeGreaterThan(0.7)
    expect(Math.max(...distances)).toBeLessThan(55_000)
    for (const entry of catalogue) expect(entry.provider.landmark.length).toBeGreaterThan(5)
    const schedules = catalogue.map((entry) => entry.provider.schedule)
    expect(schedules.every((schedule) => schedule.timeZone === "Africa/Abidjan")).toBe(true)
    // Maquis past midnight, Sundays shorter or closed, a few holidays closed.
    expect(schedules.some((schedule) => schedule.weekly.some((day) => day.intervals.some((interval) => interval.closes === "02:00" && interval.opens === "18:00")))).toBe(true)
    expect(schedules.some((schedule) => !schedule.weekly.some((day) => day.weekday === 7))).toBe(true)
    expect(schedules.some((schedule) => schedule.exceptions.some((exception) => exception.date === "2026-12-25" && exception.intervals.length === 0))).toBe(true)
  })

  it("demo owners have Ivorian mobile numbers in the +225 07 00 block, one per 50 providers, distinct within a seed", () => {
    expect(catalogue[49]!.ownerIndex).toBe(0)
    expect(catalogue[50]!.ownerIndex).toBe(1)
    expect(providersPerDemoOwner).toBe(50)
    const owners = Array.from({ length: 2_000 }, (_, index) => demoOwner(123, index))
    expect(new Set(owners.map((owner) => owner.phone)).size).toBe(2_000)
    for (const owner of owners) {
      const parsed = parsePhone(owner.phone)
      expect(Result.isSuccess(parsed) && canReceiveSms(parsed.success)).toBe(true)
      expect(owner.phone).toMatch(/^\+2250700\d{6}$/u)
      expect(owner.fullName.length).toBeGreaterThan(3)
    }
    expect(demoOwner(123, 5)).toEqual(owners[5])
  })
})
