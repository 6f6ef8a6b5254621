import { Context, type Effect, type Option } from "effect"
import type { EarningsUnavailable } from "./errors.ts"
import type { OrderRefunded } from "./refundOrder.ts"

/** An admin refund as it was asked and written: the answer its idempotency key gives again. */
export interface RefundRequest {
  readonly idempotencyKey: string
  readonly adminId: string
  readonly reason: string
  readonly refunded: OrderRefunded
}

/**
 * The admin refunds by their idempotency key: a request sent twice (a double click, a retry after a
 * lost answer) finds the refund the first wrote instead of writing a second. Only ever inserted.
 */
export class RefundRequestStore extends Context.Service<RefundRequestStore, {
  readonly find: (idempotencyKey: string) => Effect.Effect<Option.Option<RefundRequest>, EarningsUnavailable>
  /** Records a refund written in the same transaction; a key already taken fails (the caller looked first, under the order's lock). */
  readonly record: (request: RefundRequest) => Effect.Effect<void, EarningsUnavailable>
}>()("nelo/earnings/RefundRequestStore") {}
