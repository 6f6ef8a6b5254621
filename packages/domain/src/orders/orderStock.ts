import { Clock, Effect, Option } from "effect"
import { MenuRepository } from "../catalogue/MenuRepository.ts"
import { applyStockChange } from "../catalogue/stockChange.ts"
import { CartRefused } from "./errors.ts"
import type { Order, OrderLine } from "./Order.ts"

interface StockMove {
  readonly kind: "product" | "gas"
  readonly id: string
  readonly quantity: number
  /** The first line of that item, named in a refusal. */
  readonly line: number
  readonly name: string
}

const nameOf = (line: OrderLine) => line.kind === "product" ? line.name : `${line.brand} ${line.bottleSizeKg} kg`

/**
 * One move per item, its lines' quantities summed, in a fixed order (kind, then id): concurrent
 * orders lock the stock rows in the same order, so they queue instead of deadlocking.
 */
export const stockMoves = (lines: ReadonlyArray<OrderLine>): ReadonlyArray<StockMove> => {
  const moves = new Map<string, StockMove>()
  lines.forEach((line, index) => {
    const id = line.kind === "product" ? line.productId : line.gasProductId
    const key = `${line.kind}:${id}`
    const seen = moves.get(key)
    moves.set(key, seen === undefined ? { kind: line.kind, id, quantity: line.quantity, line: index, name: nameOf(line) } : { ...seen, quantity: seen.quantity + line.quantity })
  })
  return [...moves.entries()].sort(([left], [right]) => left < right ? -1 : left > right ? 1 : 0).map(([, move]) => move)
}

/**
 * Takes an order's items out of stock when it is placed, and puts them back when it is cancelled,
 * each under the stock row's lock (applyStockChange): 50 orders racing for 10 units leave exactly
 * 10 orders and a stock of 0. Items not counted (a dish cooked to order) are left alone.
 */
export const makeOrderStock = Effect.gen(function*() {
  const menus = yield* MenuRepository
  const change = (providerId: string, move: StockMove, by: number, now: Date) =>
    move.kind === "product"
      ? menus.changeProductStock(providerId, move.id, applyStockChange({ _tag: "Adjust", by }), now)
      : menus.changeGasStock(providerId, move.id, applyStockChange({ _tag: "Adjust", by }), now)

  const reserve = Effect.fnUntraced(function*(order: Pick<Order, "providerId" | "lines">) {
    const now = new Date(yield* Clock.currentTimeMillis)
    for (const move of stockMoves(order.lines)) {
      const outcome = yield* change(order.providerId, move, -move.quantity, now)
      if (Option.isNone(outcome)) return yield* new CartRefused({ problems: [{ _tag: "ItemNotFound", line: move.line }] })
      if (outcome.value._tag === "BelowZero") {
        return yield* new CartRefused({ problems: [{ _tag: "OutOfStock", line: move.line, name: move.name, availableQuantity: outcome.value.stock }] })
      }
    }
  })

  /** Puts the items back; an item since deleted, or no longer counted, has nothing to take back. */
  const release = Effect.fnUntraced(function*(order: Pick<Order, "providerId" | "lines">) {
    const now = new Date(yield* Clock.currentTimeMillis)
    for (const move of stockMoves(order.lines)) yield* change(order.providerId, move, move.quantity, now)
  })

  return { reserve, release }
})
