import { Schema } from "effect"

// Côte d'Ivoire numbers since 31 January 2021: +225 then 10 digits. Stored and passed around in
// E.164; turning the local spellings people type into this form belongs to the auth context.
export const Phone = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^\+225\d{10}$/u)),
  Schema.brand("Phone")
)
export type Phone = typeof Phone.Type
