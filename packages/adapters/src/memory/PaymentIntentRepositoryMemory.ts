import { Effect, Layer, Option } from "effect"
import { isXof } from "@nelo/domain/shared/Xof"
import type { PaymentIntent } from "@nelo/domain/payments/PaymentIntent"
import { PaymentIntentRepository, type StoredWebhookEvent } from "@nelo/domain/payments/PaymentIntentRepository"
import { LedgerUnavailable } from "@nelo/domain/wallet/errors"
import { isUuid } from "../postgres/isUuid.ts"
import { recordUndo } from "./memoryTransaction.ts"

const newestFirst = (left: PaymentIntent, right: PaymentIntent) => (left.id < right.id ? 1 : left.id > right.id ? -1 : 0)
const oldestFirst = (left: PaymentIntent, right: PaymentIntent) =>
  left.createdAt.getTime() - right.createdAt.getTime() || (left.id < right.id ? -1 : left.id > right.id ? 1 : 0)

/**
 * Payment intents and webhooks in memory, for unit tests, behaving as the Postgres adapter does.
 * Every method is one synchronous step, so concurrent fibers see each change whole. It does not know
 * the users nor the ledger: the foreign keys of Postgres are not checked here.
 */
export const PaymentIntentRepositoryMemory = Layer.sync(PaymentIntentRepository, () => {
  const intents = new Map<string, PaymentIntent>()
  const lastChecked = new Map<string, Date>()
  const intentIdByUserKey = new Map<string, string>()
  const webhooks = new Map<string, { readonly event: StoredWebhookEvent; processedAt: Date | null }>()
  const userKey = (userId: string, idempotencyKey: string) => `${userId}\u0000${idempotencyKey}`
  const webhookKey = (gateway: string, eventId: string) => `${gateway}\u0000${eventId}`

  return PaymentIntentRepository.of({
    create: (intent) =>
      Effect.suspend((): Effect.Effect<{ readonly intent: PaymentIntent; readonly created: boolean }, LedgerUnavailable> => {
        const existing = intentIdByUserKey.get(userKey(intent.userId, intent.idempotencyKey))
        if (existing !== undefined) return Effect.succeed({ intent: intents.get(existing)!, created: false })
        // What the CHECK constraints and the primary key refuse in Postgres.
        if (intents.has(intent.id) || !isXof(intent.amountXof) || intent.amountXof <= 0) {
          return Effect.fail(new LedgerUnavailable({ cause: new Error(`payment intent ${intent.id} refused by the store`) }))
        }
        const stored = { ...intent }
        intents.set(stored.id, stored)
        intentIdByUserKey.set(userKey(stored.userId, stored.idempotencyKey), stored.id)
        return Effect.succeed({ intent: stored, created: true })
      }),

    find: (id) => Effect.sync(() => Option.fromNullishOr(intents.get(id.toLowerCase()))),

    findByOrder: (orderId) => Effect.sync(() => Option.fromNullishOr([...intents.values()].find((intent) => intent.orderId === orderId))),

    attachCheckout: (id, checkout, at) =>
      Effect.sync(() => {
        const intent = intents.get(id.toLowerCase())
        if (intent === undefined) return Option.none()
        if (intent.paymentUrl === null) {
          intents.set(intent.id, { ...intent, gateway: checkout.gateway, gatewayReference: checkout.gatewayReference, paymentUrl: checkout.paymentUrl, updatedAt: at })
        }
        return Option.some(intents.get(intent.id)!)
      }),

    settle: (id, from, outcome, at) =>
      Effect.suspend(() => {
        const intent = intents.get(id.toLowerCase())
        if (intent === undefined || !from.includes(intent.status)) return Effect.succeed(false)
        if (outcome.status === "succeeded" && outcome.ledgerTransactionId === null) {
          return Effect.fail(new LedgerUnavailable({ cause: new Error("a succeeded intent names the ledger transaction that credited it") }))
        }
        intents.set(intent.id, { ...intent, status: outcome.status, ledgerTransactionId: outcome.ledgerTransactionId, failureReason: outcome.failureReason, updatedAt: at })
        return Effect.as(recordUndo(() => intents.set(intent.id, intent)), true)
      }),

    pendingBefore: (createdBefore, checkedBefore, limit) =>
      Effect.sync(() => {
        const checkedAt = (intent: PaymentIntent) => lastChecked.get(intent.id)?.getTime() ?? Number.NEGATIVE_INFINITY
        return [...intents.values()]
          .filter((intent) => intent.status === "pending" && intent.createdAt < createdBefore && checkedAt(intent) < checkedBefore.getTime())
          .sort((left, right) => checkedAt(left) - checkedAt(right) || oldestFirst(left, right))
          .slice(0, Math.max(0, Math.floor(limit)))
      }),

    expiredWithCheckout: (createdAfter, checkedBefore, limit) =>
      Effect.sync(() => {
        const checkedAt = (intent: PaymentIntent) => lastChecked.get(intent.id)?.getTime() ?? Number.NEGATIVE_INFINITY
        return [...intents.values()]
          .filter((intent) => intent.status === "expired" && intent.gatewayReference !== null && intent.createdAt > createdAfter && checkedAt(intent) < checkedBefore.getTime())
          .sort((left, right) => checkedAt(left) - checkedAt(right) || oldestFirst(left, right))
          .slice(0, Math.max(0, Math.floor(limit)))
      }),

    markChecked: (id, at) =>
      Effect.sync(() => {
        if (intents.has(id)) lastChecked.set(id, at)
      }),

    unsettledOf: (userId, beforeId, limit) =>
      Effect.sync(() => {
        if (beforeId !== null && !isUuid(beforeId)) return []
        const before = beforeId?.toLowerCase()
        return [...intents.values()]
          .filter((intent) => intent.userId === userId && intent.orderId === null && intent.status !== "succeeded" && (before === undefined || intent.id < before))
          .sort(newestFirst)
          .slice(0, Math.max(0, Math.floor(limit)))
      }),

    recordWebhook: (event) =>
      Effect.sync(() => {
        const key = webhookKey(event.gateway, event.eventId)
        if (webhooks.has(key)) return false
        webhooks.set(key, { event: { ...event, payload: event.payload ?? null }, processedAt: null })
        return true
      }),

    markWebhookProcessed: (gateway, eventId, at) =>
      Effect.sync(() => {
        const stored = webhooks.get(webhookKey(gateway, eventId))
        if (stored !== undefined && stored.processedAt === null) stored.processedAt = at
      }),

    unprocessedWebhooks: (receivedBefore, limit) =>
      Effect.sync(() =>
        [...webhooks.values()]
          .filter((stored) => stored.processedAt === null && stored.event.receivedAt < receivedBefore)
          .map((stored) => stored.event)
          .sort((left, right) =>
            left.receivedAt.getTime() - right.receivedAt.getTime() ||
            (left.gateway < right.gateway ? -1 : left.gateway > right.gateway ? 1 : left.eventId < right.eventId ? -1 : left.eventId > right.eventId ? 1 : 0))
          .slice(0, Math.max(0, Math.floor(limit))))
  })
})
