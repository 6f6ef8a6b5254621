/** The one settlement transaction of an order: its idempotency key. */
export const settlementKey = (orderId: string) => `order-settlement:${orderId}`

/** Who pays a refund back: charged to their share at settlement, or to their earnings after it. */
export type RefundResponsible = "provider" | "driver" | "platform"

export const refundResponsibles: ReadonlyArray<RefundResponsible> = ["provider", "driver", "platform"]

/**
 * The key of an order's `n`-th admin refund (1, 2, ...), numbered under the order's lock. It names
 * the responsible party: a refund made before settlement is charged to that party's share when the
 * order settles, and the ledger transaction holds no other field for it.
 */
export const adminRefundKey = (orderId: string, n: number, responsible: RefundResponsible) => `order-refund:${orderId}:${n}:${responsible}`
