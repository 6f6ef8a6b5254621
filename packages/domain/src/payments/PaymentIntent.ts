import { Schema } from "effect"
import type { Gateway } from "../wallet/Account.ts"
import type { Xof } from "../shared/Xof.ts"

/**
 * pending: the checkout is open, nothing credited. succeeded: the gateway confirmed and the wallet was
 * credited (ledgerTransactionId). failed / expired: nothing will come. mismatch: the gateway reports
 * an amount or currency other than the intent's: nothing credited, admins alerted.
 */
export const PaymentIntentStatus = Schema.Literals(["pending", "succeeded", "failed", "expired", "mismatch"])
export type PaymentIntentStatus = typeof PaymentIntentStatus.Type

/** A top-up someone started: what they asked for, through which gateway, and what became of it. */
export interface PaymentIntent {
  readonly id: string
  readonly userId: string
  readonly gateway: Gateway
  readonly amountXof: Xof
  readonly currency: "XOF"
  readonly status: PaymentIntentStatus
  /** The client's key, unique per user: the same top-up asked twice opens one checkout. */
  readonly idempotencyKey: string
  readonly gatewayReference: string | null
  readonly paymentUrl: string | null
  readonly ledgerTransactionId: string | null
  /** Why it failed or mismatched, for support. */
  readonly failureReason: string | null
  readonly createdAt: Date
  readonly updatedAt: Date
}
