import { Schema, SchemaTransformation } from "effect"
import { Phone } from "@nelo/domain/shared/Phone"

/**
 * A list held in one variable, comma-separated ("3000,5000,8000"): the text is split, each piece
 * trimmed and decoded by `item` (which reads text); an empty text is the empty list. A piece that
 * does not decode stops start-up naming the variable, through Config.schema's error.
 */
export const commaList = <T, RD, RE>(item: Schema.Codec<T, string, RD, RE>) =>
  Schema.String.pipe(
    Schema.decodeTo(Schema.Array(item), SchemaTransformation.transform<ReadonlyArray<string>, string>({
      decode: (text) => text.trim() === "" ? [] : text.split(",").map((piece) => piece.trim()),
      encode: (pieces) => pieces.join(",")
    }))
  )

/** A whole number written in digits only ("3000"; not "", "3e3", "-1" or "3000.5"). */
export const WholeFromString = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^\d{1,15}$/u, { expected: "a whole number in digits" })),
  Schema.decodeTo(Schema.Int, SchemaTransformation.numberFromString)
)

/**
 * An Ivorian mobile in E.164 (+2250701020304): what can receive an SMS. Fixed lines (21, 25, 27)
 * are valid phones but would swallow alerts.
 */
export const MobilePhone = Phone.pipe(
  Schema.check(Schema.isPattern(/^\+225(?:01|05|07)\d{8}$/u, { expected: "an Ivorian mobile in E.164 (+2250701020304)" }))
)
