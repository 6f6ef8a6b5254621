import { Schema, SchemaTransformation } from "effect"

/**
 * A bigint column (money: whole francs) decoded by the model's own schema of the amount: the
 * number is refused (never rounded) if JavaScript cannot hold it exactly, and the model's bounds
 * apply. int8 columns arrive as `bigint` from the driver.
 */
export const bigintColumn = <To extends Schema.ConstraintCodec<unknown, number>>(to: To) =>
  Schema.BigInt.pipe(Schema.decodeTo(to, SchemaTransformation.transform({ decode: Number, encode: BigInt })))
