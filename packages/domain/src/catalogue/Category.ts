import { Schema } from "effect"

export const CategoryName = Schema.String.pipe(Schema.check(Schema.isTrimmed(), Schema.isMinLength(1), Schema.isMaxLength(80)))

/** A section of a menu ("Plats", "Boissons"); shown in `position` order, 0 first. */
export const Category = Schema.Struct({
  id: Schema.String,
  providerId: Schema.String,
  name: CategoryName,
  position: Schema.Int
})
export type Category = typeof Category.Type
