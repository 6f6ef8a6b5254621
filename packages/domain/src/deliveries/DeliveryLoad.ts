import { Schema } from "effect"

const Count = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 10_000 })))

/**
 * Gas bottles of one size in an order: `quantity` full bottles delivered, `emptiesToCollect` empty
 * ones handed to the driver at the door (a refill exchanges one for one; a new bottle takes none).
 */
export const GasBottles = Schema.Struct({
  sizeKg: Schema.Finite.pipe(Schema.check(Schema.isGreaterThan(0))),
  quantity: Count,
  emptiesToCollect: Count
})
export type GasBottles = typeof GasBottles.Type

/**
 * What a driver carries for an order, as matching sees it: `itemCount` counts the meal and grocery
 * items (quantities summed, gas bottles not among them), `gasBottles` the bottles.
 */
export const DeliveryLoad = Schema.Struct({
  itemCount: Count,
  gasBottles: Schema.Array(GasBottles)
})
export type DeliveryLoad = typeof DeliveryLoad.Type

/** The load of an order's lines: product quantities summed; each gas line its bottles and empties. */
export const deliveryLoadOf = (
  lines: ReadonlyArray<
    | { readonly kind: "product"; readonly quantity: number }
    | { readonly kind: "gas"; readonly bottleSizeKg: number; readonly quantity: number; readonly emptyBottlesToCollect: number }
  >
): DeliveryLoad => ({
  itemCount: lines.reduce((count, line) => line.kind === "product" ? count + line.quantity : count, 0),
  gasBottles: lines.flatMap((line) =>
    line.kind === "gas" ? [{ sizeKg: line.bottleSizeKg, quantity: line.quantity, emptiesToCollect: line.emptyBottlesToCollect }] : []
  )
})
