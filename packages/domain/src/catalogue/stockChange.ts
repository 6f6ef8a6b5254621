import { maximumStock } from "./Product.ts"
import type { StockChange, StockOutcome } from "./MenuRepository.ts"

/**
 * What a stock change does to the stock as it is now (read under the row's lock by the store):
 * a set replaces it (null: stop counting); an adjustment adds a signed number of units to a counted
 * stock and keeps it within 0..maximumStock, else nothing changes and the outcome says why.
 */
export const applyStockChange = (change: StockChange) => (stock: number | null): StockOutcome => {
  if (change._tag === "Set") return { _tag: "Changed", stock: change.stock }
  if (stock === null) return { _tag: "NotCounted" }
  if (stock + change.by < 0) return { _tag: "BelowZero", stock }
  if (stock + change.by > maximumStock) return { _tag: "AboveMaximum", stock }
  return { _tag: "Changed", stock: stock + change.by }
}
