import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { GasLine, OrderLine, ProductLine } from "@nelo/domain/orders/Order"
import { stockMoves } from "@nelo/domain/orders/orderStock"
import { xof } from "@nelo/domain/shared/Xof"

const dish = (productId: string, quantity: number, name = productId): ProductLine => ({
  kind: "product",
  productId,
  name,
  unitPriceXof: xof(1_000),
  quantity,
  options: [],
  lineTotalXof: xof(1_000 * quantity)
})

const bottle = (gasProductId: string, quantity: number, sale: "refill" | "new" = "refill"): GasLine => ({
  kind: "gas",
  gasProductId,
  brand: "Oryx",
  bottleSizeKg: 12.5,
  sale,
  unitPriceXof: xof(5_000),
  quantity,
  emptyBottlesToCollect: sale === "refill" ? quantity : 0,
  lineTotalXof: xof(5_000 * quantity)
})

describe("stockMoves", () => {
  it("one move per item, quantities summed, sorted by kind then id, naming the item's first line", () => {
    expect(stockMoves([
      dish("b", 2, "Bissap"),
      bottle("a", 1, "refill"),
      dish("a", 3, "Alloco"),
      dish("b", 4, "Bissap"),
      bottle("a", 2, "new")
    ])).toEqual([
      { kind: "gas", id: "a", quantity: 3, line: 1, name: "Oryx 12.5 kg" },
      { kind: "product", id: "a", quantity: 3, line: 2, name: "Alloco" },
      { kind: "product", id: "b", quantity: 6, line: 0, name: "Bissap" }
    ])
  })

  it("no lines, no moves; one line, one move", () => {
    expect(stockMoves([])).toEqual([])
    expect(stockMoves([dish("garba", 2, "Garba")])).toEqual([{ kind: "product", id: "garba", quantity: 2, line: 0, name: "Garba" }])
  })

  it("property: per item the quantities sum, nothing is lost, the order is fixed whatever the lines' order", () => {
    const ids = fc.constantFrom("0192f000-aaaa", "0192f000-bbbb", "0192f001-0000", "a", "b:c", "b")
    const line: fc.Arbitrary<OrderLine> = fc.oneof(
      fc.tuple(ids, fc.integer({ min: 1, max: 50 })).map(([id, quantity]) => dish(id, quantity)),
      fc.tuple(ids, fc.integer({ min: 1, max: 50 }), fc.constantFrom("refill" as const, "new" as const)).map(([id, quantity, sale]) => bottle(id, quantity, sale))
    )
    fc.assert(fc.property(fc.array(line, { maxLength: 30 }), fc.nat(), (lines, seed) => {
      const moves = stockMoves(lines)
      const idOf = (line: OrderLine) => line.kind === "product" ? line.productId : line.gasProductId
      const items = [...new Set(lines.map((line) => `${line.kind}\u0000${idOf(line)}`))]
      expect(moves).toHaveLength(items.length)
      for (const move of moves) {
        const ofItem = lines.flatMap((line, index) => line.kind === move.kind && idOf(line) === move.id ? [{ line, index }] : [])
        expect(move.quantity).toBe(ofItem.reduce((total, { line }) => total + line.quantity, 0))
        expect(move.line).toBe(ofItem[0]!.index)
      }
      expect(moves.reduce((total, move) => total + move.quantity, 0)).toBe(lines.reduce((total, line) => total + line.quantity, 0))
      // Strictly ascending by (kind, id): two orders lock the same rows in the same order.
      for (let index = 1; index < moves.length; index++) {
        const [previous, current] = [moves[index - 1]!, moves[index]!]
        const ascending = previous.kind < current.kind || (previous.kind === current.kind && previous.id < current.id)
        expect(ascending, `${previous.kind}/${previous.id} before ${current.kind}/${current.id}`).toBe(true)
      }
      // Another order of the same lines: the same items in the same sequence, the same quantities.
      const shift = lines.length === 0 ? 0 : seed % lines.length
      const rotated = stockMoves([...lines.slice(shift), ...lines.slice(0, shift)])
      expect(rotated.map(({ id, kind, quantity }) => ({ id, kind, quantity }))).toEqual(moves.map(({ id, kind, quantity }) => ({ id, kind, quantity })))
    }), { numRuns: 500 })
  })
})
