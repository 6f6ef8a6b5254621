import { Schema } from "effect"
import { Gateway } from "../wallet/Account.ts"

const Amount = Schema.Struct({ amountXof: Schema.Number, currency: Schema.String })

/** Payload of `payment.mismatch`: a gateway reported another amount or currency than the intent's; nothing was credited. */
export const PaymentMismatch = Schema.Struct({
  intentId: Schema.String,
  gateway: Gateway,
  expected: Amount,
  reported: Amount
})
export type PaymentMismatch = typeof PaymentMismatch.Type
