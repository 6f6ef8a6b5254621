import { Effect, Schema } from "effect"
import { OrderCursorInvalid } from "./errors.ts"

/**
 * Opaque position in a list, newest first: after the item with this id (a time-ordered UUID). The
 * cursor names its list, so one list's cursor given to another is refused.
 */
const listCursor = <const Kind extends string>(kind: Kind) => {
  const codec = Schema.StringFromBase64Url.pipe(Schema.decodeTo(Schema.fromJsonString(Schema.Struct({
    kind: Schema.Literal(kind),
    beforeId: Schema.String.pipe(Schema.check(Schema.isUUID()))
  }))))
  const decode = Schema.decodeUnknownEffect(codec)
  const encode = Schema.encodeSync(codec)
  return {
    encode: (beforeId: string) => encode({ kind, beforeId } as never),
    decode: (cursor: string) => Effect.map(Effect.mapError(decode(cursor), () => new OrderCursorInvalid()), (decoded) => decoded.beforeId)
  }
}

export const orderCursor = listCursor("orders")
export const promotionCursor = listCursor("promotions")
