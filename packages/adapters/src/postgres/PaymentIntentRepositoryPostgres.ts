import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Option, Schema, SchemaTransformation } from "effect"
import { PaymentIntent } from "@nelo/domain/payments/PaymentIntent"
import { PaymentIntentRepository, type StoredWebhookEvent } from "@nelo/domain/payments/PaymentIntentRepository"
import { LedgerUnavailable } from "@nelo/domain/wallet/errors"
import { isUuid } from "./isUuid.ts"
import { Xof } from "@nelo/domain/shared/Xof"
import type { Gateway } from "@nelo/domain/wallet/Account"

/**
 * A row is the model with its amount in a bigint column: decoded by the model's own schema, the
 * amount refused (never rounded) if JavaScript cannot hold it exactly. The CHECK constraints of
 * migration 0006 guarantee the literal values.
 */
const XofFromBigInt = Schema.BigInt.pipe(Schema.decodeTo(Xof, SchemaTransformation.transform({ decode: Number, encode: BigInt })))
const IntentRow = PaymentIntent.mapFields((fields) => ({ ...fields, amountXof: XofFromBigInt }))
type IntentRow = typeof IntentRow.Encoded

interface WebhookRow {
  readonly gateway: string
  readonly eventId: string
  readonly type: string
  readonly intentId: string | null
  readonly payload: unknown
  readonly receivedAt: Date
}

const intentColumns =
  "id, user_id, order_id, gateway, amount_xof, currency, status, idempotency_key, gateway_reference, payment_url, ledger_transaction_id, failure_reason, created_at, updated_at"

const unavailable = (cause: unknown) => new LedgerUnavailable({ cause })
const orUnavailable = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, LedgerUnavailable, R> =>
  Effect.mapError(effect, (failure) => failure instanceof LedgerUnavailable ? failure : unavailable(failure))

const toIntents = (rows: ReadonlyArray<IntentRow>) => Schema.decodeUnknownEffect(Schema.Array(IntentRow))(rows).pipe(Effect.mapError(unavailable))

const toWebhook = (row: WebhookRow): StoredWebhookEvent => ({
  gateway: row.gateway as Gateway,
  eventId: row.eventId,
  type: row.type,
  intentId: row.intentId,
  payload: row.payload,
  receivedAt: row.receivedAt
})

export const PaymentIntentRepositoryPostgres = Layer.effect(PaymentIntentRepository, Effect.gen(function*() {
  const sql = yield* PgClient.PgClient
  const intentCols = sql.literal(intentColumns)

  return PaymentIntentRepository.of({
    create: (intent) =>
      Effect.gen(function*() {
        // Any unique conflict inserts nothing; a concurrent creator of the same key is waited for,
        // then its intent is read back. An id taken under another key is not this user's replay.
        const inserted = yield* sql<IntentRow>`
          INSERT INTO payments.intents ${sql.insert({
            id: intent.id,
            userId: intent.userId,
            orderId: intent.orderId,
            gateway: intent.gateway,
            amountXof: intent.amountXof,
            currency: intent.currency,
            status: intent.status,
            idempotencyKey: intent.idempotencyKey,
            gatewayReference: intent.gatewayReference,
            paymentUrl: intent.paymentUrl,
            ledgerTransactionId: intent.ledgerTransactionId,
            failureReason: intent.failureReason,
            createdAt: intent.createdAt,
            updatedAt: intent.updatedAt
          })} ON CONFLICT DO NOTHING RETURNING ${intentCols}`.pipe(Effect.flatMap(toIntents))
        if (inserted[0] !== undefined) return { intent: inserted[0], created: true }
        const existing = yield* sql<IntentRow>`
          SELECT ${intentCols} FROM payments.intents WHERE user_id = ${intent.userId} AND idempotency_key = ${intent.idempotencyKey}`.pipe(
          Effect.flatMap(toIntents)
        )
        if (existing[0] !== undefined) return { intent: existing[0], created: false }
        return yield* Effect.fail(unavailable(new Error(`payment intent id ${intent.id} is taken by another idempotency key`)))
      }).pipe(orUnavailable),

    findByOrder: (orderId) =>
      !isUuid(orderId) ? Effect.succeed(Option.none()) : sql<IntentRow>`
        SELECT ${intentCols} FROM payments.intents WHERE order_id = ${orderId}`.pipe(
        Effect.flatMap(toIntents),
        Effect.map((found) => Option.fromNullishOr(found[0])),
        orUnavailable
      ),

    find: (id) =>
      !isUuid(id) ? Effect.succeed(Option.none()) : sql<IntentRow>`SELECT ${intentCols} FROM payments.intents WHERE id = ${id}`.pipe(
        Effect.flatMap(toIntents),
        Effect.map((intents) => Option.fromNullishOr(intents[0])),
        orUnavailable
      ),

    attachCheckout: (id, checkout, at) =>
      !isUuid(id) ? Effect.succeed(Option.none()) : Effect.gen(function*() {
        // Compare-and-set: the row lock makes the second attacher wait, then find a checkout there.
        yield* sql`
          UPDATE payments.intents SET gateway = ${checkout.gateway}, gateway_reference = ${checkout.gatewayReference},
            payment_url = ${checkout.paymentUrl}, updated_at = ${at}
          WHERE id = ${id} AND payment_url IS NULL`
        return Option.fromNullishOr((yield* toIntents(yield* sql<IntentRow>`SELECT ${intentCols} FROM payments.intents WHERE id = ${id}`))[0])
      }).pipe(orUnavailable),

    // The row lock serialises racing settlements; the second re-reads the status and finds it moved.
    settle: (id, from, outcome, at) =>
      !isUuid(id) || from.length === 0 ? Effect.succeed(false) : sql`
        UPDATE payments.intents SET status = ${outcome.status}, ledger_transaction_id = ${outcome.ledgerTransactionId}::uuid,
          failure_reason = ${outcome.failureReason}, updated_at = ${at}
        WHERE id = ${id} AND status IN ${sql.in(from)}
        RETURNING id`.pipe(Effect.map((rows) => rows.length > 0), orUnavailable),

    pendingBefore: (createdBefore, checkedBefore, limit) =>
      limit <= 0 ? Effect.succeed([]) : sql<IntentRow>`
        SELECT ${intentCols} FROM payments.intents
        WHERE status = 'pending' AND created_at < ${createdBefore} AND (last_checked_at IS NULL OR last_checked_at < ${checkedBefore})
        ORDER BY last_checked_at NULLS FIRST, created_at, id LIMIT ${Math.floor(limit)}`.pipe(Effect.flatMap(toIntents), orUnavailable),

    expiredWithCheckout: (createdAfter, checkedBefore, limit) =>
      limit <= 0 ? Effect.succeed([]) : sql<IntentRow>`
        SELECT ${intentCols} FROM payments.intents
        WHERE status = 'expired' AND gateway_reference IS NOT NULL AND created_at > ${createdAfter}
          AND (last_checked_at IS NULL OR last_checked_at < ${checkedBefore})
        ORDER BY last_checked_at NULLS FIRST, created_at, id LIMIT ${Math.floor(limit)}`.pipe(Effect.flatMap(toIntents), orUnavailable),

    markChecked: (id, at) =>
      !isUuid(id) ? Effect.void : sql`UPDATE payments.intents SET last_checked_at = ${at} WHERE id = ${id}`.pipe(Effect.asVoid, orUnavailable),

    unsettledOf: (userId, beforeId, limit) =>
      !isUuid(userId) || (beforeId !== null && !isUuid(beforeId)) || limit <= 0 ? Effect.succeed([]) : sql<IntentRow>`
        SELECT ${intentCols} FROM payments.intents
        WHERE user_id = ${userId} AND order_id IS NULL AND status <> 'succeeded' ${beforeId === null ? sql`` : sql`AND id < ${beforeId}`}
        ORDER BY id DESC LIMIT ${Math.floor(limit)}`.pipe(Effect.flatMap(toIntents), orUnavailable),

    // jsonb 'null' for an absent payload: the column keeps "nothing was sent" apart from SQL NULL.
    recordWebhook: (event) =>
      sql`
        INSERT INTO payments.webhook_events (gateway, event_id, type, intent_id, payload, received_at)
        VALUES (${event.gateway}, ${event.eventId}, ${event.type}, ${event.intentId},
                coalesce(${sql.json(event.payload ?? null)}::jsonb, 'null'::jsonb), ${event.receivedAt})
        ON CONFLICT DO NOTHING RETURNING event_id`.pipe(Effect.map((rows) => rows.length > 0), orUnavailable),

    markWebhookProcessed: (gateway, eventId, at) =>
      sql`
        UPDATE payments.webhook_events SET processed_at = ${at}
        WHERE gateway = ${gateway} AND event_id = ${eventId} AND processed_at IS NULL`.pipe(Effect.asVoid, orUnavailable),

    unprocessedWebhooks: (receivedBefore, limit) =>
      limit <= 0 ? Effect.succeed([]) : sql<WebhookRow>`
        SELECT gateway, event_id, type, intent_id, payload, received_at FROM payments.webhook_events
        WHERE processed_at IS NULL AND received_at < ${receivedBefore}
        ORDER BY received_at, gateway, event_id LIMIT ${Math.floor(limit)}`.pipe(
        Effect.map((rows) => rows.map(toWebhook)),
        orUnavailable
      )
  })
}))
