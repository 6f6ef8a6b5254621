import { Schema } from "effect"
import { isPlainText } from "../shared/plainText.ts"

export const CategoryName = Schema.String.pipe(Schema.check(isPlainText, Schema.isTrimmed(), Schema.isMinLength(1), Schema.isMaxLength(80)))

/** A section of a menu ("Plats", "Boissons"); shown in `position` order, 0 first. */
export const Category = Schema.Struct({
  id: Schema.String,
  providerId: Schema.String,
  name: CategoryName,
  position: Schema.Int
})
export type Category = typeof Category.Type
