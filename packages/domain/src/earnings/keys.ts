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

/** A payout's move from the payee's earnings to payouts in flight, written with the payout. */
export const payoutKey = (payoutId: string) => `payout:${payoutId}`

/** A payout confirmed paid: from payouts in flight to the gateway's clearing (or the office's cash). */
export const payoutPaidKey = (payoutId: string) => `payout-paid:${payoutId}`

/** A failed or reversed payout's money back to the payee's earnings: once, whichever way it came back. */
export const payoutReturnedKey = (payoutId: string) => `payout-returned:${payoutId}`

/** A driver's earnings set against the cash he holds, at a payout run (EARNINGS_PAYOUT_NET_CASH). */
export const cashNettingKey = (runId: string, driverId: string) => `cash-netting:${runId}:${driverId}`
