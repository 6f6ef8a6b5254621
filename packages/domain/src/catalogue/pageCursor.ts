import { Effect, Schema } from "effect"
import { GeoPoint } from "../geo/GeoPoint.ts"
import { CursorInvalid } from "./errors.ts"

/**
 * Opaque pagination cursors: the position after the last item given out, as base64url JSON. A
 * cursor says which list it belongs to (`kind`), so one list's cursor given to another is refused.
 */
const cursorCodec = <Fields extends Schema.Struct.Fields>(fields: Fields) =>
  Schema.StringFromBase64Url.pipe(Schema.decodeTo(Schema.fromJsonString(Schema.Struct(fields))))

export const NameCursor = cursorCodec({ kind: Schema.Literal("name"), searchName: Schema.String, id: Schema.String })

/** Nearby pages are ordered from a cell's centre (see nearbyCellOf): the cursor keeps that centre. */
export const DistanceCursor = cursorCodec({
  kind: Schema.Literal("distance"),
  centre: GeoPoint,
  distanceM: Schema.Finite.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))),
  id: Schema.String
})

const decodeName = Schema.decodeUnknownEffect(NameCursor)
const encodeName = Schema.encodeSync(NameCursor)
const decodeDistance = Schema.decodeUnknownEffect(DistanceCursor)
const encodeDistance = Schema.encodeSync(DistanceCursor)

export const nameCursor = {
  encode: (position: { readonly searchName: string; readonly id: string }) => encodeName({ kind: "name", ...position }),
  decode: (cursor: string) => Effect.mapError(decodeName(cursor), () => new CursorInvalid())
}

export const distanceCursor = {
  encode: (position: typeof DistanceCursor.Type extends infer T ? Omit<T, "kind"> : never) => encodeDistance({ kind: "distance", ...position }),
  decode: (cursor: string) => Effect.mapError(decodeDistance(cursor), () => new CursorInvalid())
}
