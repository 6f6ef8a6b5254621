import { Schema } from "effect"

// XOF has no minor unit (ISO 4217 exponent 0): amounts are whole francs, kept in safe integers,
// never floats. Postgres stores them as bigint; the API speaks JSON numbers.
export const Xof = Schema.Int.pipe(
  Schema.check(Schema.isGreaterThanOrEqualTo(Number.MIN_SAFE_INTEGER), Schema.isLessThanOrEqualTo(Number.MAX_SAFE_INTEGER)),
  Schema.brand("Xof")
)
export type Xof = typeof Xof.Type

/** A rate in basis points: 1500 = 15 %. */
export const BasisPoints = Schema.Int.pipe(
  Schema.check(Schema.isBetween({ minimum: 0, maximum: 10_000 })),
  Schema.brand("BasisPoints")
)
export type BasisPoints = typeof BasisPoints.Type
