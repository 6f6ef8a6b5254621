import { Schema } from "effect"
import { Xof } from "../shared/Xof.ts"
import { Gateway } from "../wallet/Account.ts"

/**
 * pending: the checkout is open, nothing credited. succeeded: the gateway confirmed and the wallet was
 * credited (ledgerTransactionId). failed / expired: nothing will come. mismatch: the gateway reports
 * an amount or currency other than the intent's: nothing credited, admins alerted.
 */
export const PaymentIntentStatus = Schema.Literals(["pending", "succeeded", "failed", "expired", "mismatch"])
export type PaymentIntentStatus = typeof PaymentIntentStatus.Type

/**
 * A payment someone started at a gateway: a top-up of their wallet, or an order's payment (`orderId`):
 * what they asked for, through which gateway, and what became of it.
 */
export const PaymentIntent = Schema.Struct({
  id: Schema.String,
  userId: Schema.String,
  /** The order it pays; null for a top-up. */
  orderId: Schema.NullOr(Schema.String),
  gateway: Gateway,
  amountXof: Xof,
  currency: Schema.Literal("XOF"),
  status: PaymentIntentStatus,
  /** The client's key, unique per user: the same top-up asked twice opens one checkout. */
  idempotencyKey: Schema.String,
  gatewayReference: Schema.NullOr(Schema.String),
  paymentUrl: Schema.NullOr(Schema.String),
  ledgerTransactionId: Schema.NullOr(Schema.String),
  /** Why it failed or mismatched, for support. */
  failureReason: Schema.NullOr(Schema.String),
  createdAt: Schema.Date,
  updatedAt: Schema.Date
})
export type PaymentIntent = typeof PaymentIntent.Type
