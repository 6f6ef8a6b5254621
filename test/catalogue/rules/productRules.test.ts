import fc from "fast-check"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import type { OptionGroup, Product } from "@nelo/domain/catalogue/Product"
import { checkOptionGroup, OptionGroupInvalid, takeFromStock, unitPrice } from "@nelo/domain/catalogue/productRules"
import type { Xof } from "@nelo/domain/shared/Xof"

const group = (id: string, minChoices: number, maxChoices: number, deltas: ReadonlyArray<number>): OptionGroup => ({
  kind: "choice",
  id,
  name: id,
  minChoices,
  maxChoices,
  options: deltas.map((delta, index) => ({ id: `${id}-${index}`, name: `${id} ${index}`, priceDeltaXof: delta as Xof }))
})

const garba: Product = {
  id: "garba",
  providerId: "maquis",
  categoryId: null,
  name: "Garba",
  description: "Attiéké, thon frit",
  priceXof: 1_000 as Xof,
  available: true,
  stock: null,
  optionGroups: [group("accompagnement", 1, 1, [0, 0, 200]), group("supplements", 0, 3, [100, 250, 500])],
  photoKey: null,
  position: 0
}

describe("product rules", () => {
  it("the unit price is the base price plus the chosen deltas, in whole francs", () => {
    expect(unitPrice(garba, { accompagnement: ["accompagnement-2"], supplements: ["supplements-0", "supplements-2"] })).toEqual(Result.succeed(1_800))
    expect(unitPrice(garba, { accompagnement: ["accompagnement-0"] })).toEqual(Result.succeed(1_000))
  })

  it("property: any valid choice costs base + the sum of its deltas", () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 100_000 }),
      fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 6 }),
      fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
      (base, deltas, picks) => {
        const product: Product = { ...garba, priceXof: base as Xof, optionGroups: [group("g", 0, deltas.length, deltas)] }
        const chosen = deltas.map((_, index) => index).filter((index) => picks[index])
        const price = unitPrice(product, { g: chosen.map((index) => `g-${index}`) })
        expect(price).toEqual(Result.succeed(base + chosen.reduce((sum, index) => sum + deltas[index]!, 0)))
      }
    ))
  })

  it("refuses choices that break a group: too few, too many, unknown, twice", () => {
    const reason = (choices: Record<string, Array<string>>) => Result.match(unitPrice(garba, choices), { onFailure: (error) => error.reason, onSuccess: () => "ok" })
    expect(reason({})).toBe("too_few")
    expect(reason({ accompagnement: ["accompagnement-0", "accompagnement-1"] })).toBe("too_many")
    expect(reason({ accompagnement: ["frites"] })).toBe("unknown_option")
    expect(reason({ accompagnement: ["accompagnement-0"], boisson: ["bissap"] })).toBe("unknown_group")
    expect(reason({ accompagnement: ["accompagnement-0"], supplements: ["supplements-0", "supplements-0"] })).toBe("chosen_twice")
  })

  it("an option group must be satisfiable: min ≤ max ≤ options, distinct options", () => {
    expect(Result.isSuccess(checkOptionGroup(group("taille", 1, 1, [0, 500])))).toBe(true)
    expect(Result.isFailure(checkOptionGroup(group("x", 2, 1, [0, 0])))).toBe(true)
    expect(Result.isFailure(checkOptionGroup(group("x", 0, 3, [0, 0])))).toBe(true)
    const duplicated = { ...group("x", 0, 1, [0, 0]), options: [{ id: "a", name: "a", priceDeltaXof: 0 as Xof }, { id: "a", name: "b", priceDeltaXof: 0 as Xof }] }
    expect(Result.isFailure(checkOptionGroup(duplicated))).toBe(true)
    // A size (variation) is exactly one choice.
    expect(Result.isSuccess(checkOptionGroup({ ...group("taille", 1, 1, [0, 500]), kind: "size" }))).toBe(true)
    expect(checkOptionGroup({ ...group("taille", 0, 1, [0, 500]), kind: "size" })).toEqual(Result.fail(new OptionGroupInvalid({ groupId: "taille", reason: "size_not_single_choice" })))
  })

  it("property: stock never goes below zero; null stock is not counted", () => {
    fc.assert(fc.property(fc.option(fc.integer({ min: 0, max: 1_000 }), { nil: null }), fc.integer({ min: 1, max: 1_500 }), (stock, quantity) => {
      const taken = takeFromStock(stock, quantity)
      if (stock === null) expect(taken).toEqual(Result.succeed(null))
      else if (quantity > stock) expect(Result.isFailure(taken)).toBe(true)
      else expect(taken).toEqual(Result.succeed(stock - quantity))
    }))
  })
})
