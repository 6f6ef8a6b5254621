import { Schema } from "effect"

// XOF has no minor unit (ISO 4217 exponent 0): amounts are whole francs, kept in safe integers,
// never floats. Postgres stores them as bigint; the API speaks JSON numbers.
export const Xof = Schema.Int.pipe(
  Schema.check(Schema.isGreaterThanOrEqualTo(Number.MIN_SAFE_INTEGER), Schema.isLessThanOrEqualTo(Number.MAX_SAFE_INTEGER)),
  Schema.brand("Xof")
)
export type Xof = typeof Xof.Type

/** Whether a number is whole francs JavaScript holds exactly: what `xof` accepts. */
export const isXof = (value: number): value is Xof => Number.isSafeInteger(value)

/**
 * The one constructor of francs from a number: a safe integer, else a RangeError (a bug of the
 * caller: numbers from outside are checked where they enter, with the context's own refusal, before
 * they become francs). Arithmetic on francs gives numbers: they become francs again through here.
 */
export const xof = (value: number): Xof => {
  if (!isXof(value)) throw new RangeError(`${value} is not a whole number of francs held exactly`)
  return value
}

/** A rate in basis points: 1500 = 15 %. */
export const BasisPoints = Schema.Int.pipe(
  Schema.check(Schema.isBetween({ minimum: 0, maximum: 10_000 })),
  Schema.brand("BasisPoints")
)
export type BasisPoints = typeof BasisPoints.Type

/** The one constructor of a rate: a whole number of basis points from 0 to 10,000, else a RangeError. */
export const basisPoints = (value: number): BasisPoints => {
  if (!Number.isInteger(value) || value < 0 || value > 10_000) throw new RangeError(`${value} is not a rate in basis points (0 to 10,000)`)
  return value as BasisPoints
}
