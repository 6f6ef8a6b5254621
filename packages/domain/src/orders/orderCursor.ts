import { Effect, Schema } from "effect"
import { OrderCursorInvalid } from "./errors.ts"

/** Opaque position in a list of orders, newest first: after the order with this id. */
const OrderCursor = Schema.StringFromBase64Url.pipe(Schema.decodeTo(Schema.fromJsonString(Schema.Struct({
  kind: Schema.Literal("orders"),
  beforeId: Schema.String
}))))

const decode = Schema.decodeUnknownEffect(OrderCursor)
const encode = Schema.encodeSync(OrderCursor)

export const orderCursor = {
  encode: (beforeId: string) => encode({ kind: "orders", beforeId }),
  decode: (cursor: string) => Effect.map(Effect.mapError(decode(cursor), () => new OrderCursorInvalid()), (decoded) => decoded.beforeId)
}
