import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Option } from "effect"
import { EarningsUnavailable } from "@nelo/domain/earnings/errors"
import type { RefundResponsible } from "@nelo/domain/earnings/keys"
import { type RefundRequest, RefundRequestStore } from "@nelo/domain/earnings/RefundRequestStore"
import { isXof, xof } from "@nelo/domain/shared/Xof"

const unavailable = (cause: unknown) => new EarningsUnavailable({ cause })

interface RequestRow {
  readonly idempotencyKey: string
  readonly adminId: string
  readonly reason: string
  readonly transactionId: string
  readonly orderId: string
  readonly reference: string
  readonly amountXof: bigint | string
  readonly responsible: string
  readonly chargedTo: string
  readonly refundedXof: bigint | string
  readonly refundableXof: bigint | string
  readonly createdAt: Date
}

const francsOf = (value: bigint | string) => {
  const amount = Number(value)
  if (!isXof(amount)) throw new Error(`refund request amount ${value} out of range`)
  return xof(amount)
}

/** earnings.refund_requests (migration 0025): one row per admin refund, keyed on the request's idempotency key. */
export const RefundRequestStorePostgres = Layer.effect(RefundRequestStore, Effect.gen(function*() {
  const sql = yield* PgClient.PgClient
  return RefundRequestStore.of({
    find: (idempotencyKey) =>
      sql<RequestRow>`
        SELECT idempotency_key, admin_id, reason, transaction_id, order_id, reference, amount_xof, responsible, charged_to,
          refunded_xof, refundable_xof, created_at
        FROM earnings.refund_requests WHERE idempotency_key = ${idempotencyKey}`.pipe(
        Effect.flatMap((rows) =>
          Effect.try({
            try: () =>
              Option.map(Option.fromNullishOr(rows[0]), (row): RefundRequest => ({
                idempotencyKey: row.idempotencyKey,
                adminId: row.adminId,
                reason: row.reason,
                refunded: {
                  transactionId: row.transactionId,
                  orderId: row.orderId,
                  reference: row.reference,
                  amountXof: francsOf(row.amountXof),
                  responsible: row.responsible as RefundResponsible,
                  to: "wallet",
                  chargedTo: row.chargedTo as "escrow" | "earnings",
                  refundedXof: francsOf(row.refundedXof),
                  refundableXof: francsOf(row.refundableXof),
                  createdAt: row.createdAt
                }
              })),
            catch: unavailable
          })
        ),
        Effect.mapError((error) => error instanceof EarningsUnavailable ? error : unavailable(error))
      ),
    record: (request) =>
      sql`INSERT INTO earnings.refund_requests ${sql.insert({
        idempotencyKey: request.idempotencyKey,
        adminId: request.adminId,
        reason: request.reason,
        transactionId: request.refunded.transactionId,
        orderId: request.refunded.orderId,
        reference: request.refunded.reference,
        amountXof: request.refunded.amountXof,
        responsible: request.refunded.responsible,
        chargedTo: request.refunded.chargedTo,
        refundedXof: request.refunded.refundedXof,
        refundableXof: request.refunded.refundableXof,
        createdAt: request.refunded.createdAt
      })}`.pipe(Effect.asVoid, Effect.mapError(unavailable))
  })
}))
