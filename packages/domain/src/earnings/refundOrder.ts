import { Clock, Effect, Option } from "effect"
import { DeliveryRepository } from "../deliveries/DeliveryRepository.ts"
import { OutboxStore } from "../events/OutboxStore.ts"
import { makeNoticeEvents } from "../notifications/noticeEvents.ts"
import { orderRefundKey } from "../orders/changeOrder.ts"
import { OrderNotFound, RefundToOriginalUnavailable } from "../orders/errors.ts"
import { OrderRepository } from "../orders/OrderRepository.ts"
import { PaymentIntentRepository } from "../payments/PaymentIntentRepository.ts"
import { francs } from "../shared/francs.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { Transactional } from "../shared/Transactional.ts"
import { type Xof, xof } from "../shared/Xof.ts"
import type { Role, UserId } from "../users/User.ts"
import { requireAdmin } from "../users/setUserRoles.ts"
import { UserRepository } from "../users/UserRepository.ts"
import type { LedgerTransaction } from "../wallet/LedgerTransaction.ts"
import { Ledger } from "../wallet/Ledger.ts"
import { IdempotencyKeyReused } from "../wallet/errors.ts"
import { OrderNotRefundable, RefundExceedsPaid } from "./errors.ts"
import { RefundRequestStore } from "./RefundRequestStore.ts"
import { adminRefundKey, type RefundResponsible, refundResponsibles, settlementKey } from "./keys.ts"

/** A refund written for an order: by its cancellation (responsible null), or by an admin. */
export interface WrittenRefund {
  readonly responsible: RefundResponsible | null
  readonly amountXof: Xof
}

/** What a refund moved: its amount credited to the payer; taken from the escrow (before settlement) or a party's earnings (after). */
const amountOf = (transaction: LedgerTransaction): Xof => xof(transaction.postings.reduce((sum, posting) => posting.amountXof > 0 ? sum + posting.amountXof : sum, 0))

/**
 * The refunds written for an order: its cancellation's (`order-refund:<id>`) and every admin refund
 * (`order-refund:<id>:<n>:<responsible>`, n from 1 without gaps: they are numbered under the
 * order's lock). Read under that lock, it is the complete list.
 */
export const makeRefundsOf = Effect.gen(function*() {
  const ledger = yield* Ledger
  return Effect.fn("Earnings.refundsOf")(function*(orderId: string) {
    const refunds: Array<WrittenRefund> = []
    const cancellation = yield* ledger.findByKey(orderRefundKey(orderId))
    if (Option.isSome(cancellation)) refunds.push({ responsible: null, amountXof: amountOf(cancellation.value) })
    for (let n = 1;; n++) {
      const keys = refundResponsibles.map((responsible) => adminRefundKey(orderId, n, responsible))
      const written = yield* ledger.writtenKeys(keys)
      const index = keys.findIndex((key) => written.has(key))
      if (index === -1) break
      const transaction = yield* ledger.findByKey(keys[index]!)
      if (Option.isNone(transaction)) break
      refunds.push({ responsible: refundResponsibles[index]!, amountXof: amountOf(transaction.value) })
    }
    return refunds
  })
})

/** What an admin asks: `amountXof` whole francs, 1 or more; the same `idempotencyKey` again is the same refund. */
export interface RefundRequest {
  readonly amountXof: Xof
  readonly reason: string
  readonly responsible: RefundResponsible
  readonly to: "wallet" | "original"
  readonly idempotencyKey: string
}

/** A refund written: what it moved, from where, and what is left to refund on the order. */
export interface OrderRefunded {
  readonly transactionId: string
  readonly orderId: string
  readonly reference: string
  readonly amountXof: Xof
  readonly responsible: RefundResponsible
  readonly to: "wallet"
  /** escrow: before settlement (the settlement charges it to the responsible party's share); earnings: after. */
  readonly chargedTo: "escrow" | "earnings"
  readonly refundedXof: Xof
  readonly refundableXof: Xof
  readonly createdAt: Date
}

/**
 * An admin refunds a delivered, paid order in full or in part (issue 13, "Refunds"), to the
 * customer's wallet, at once. Under the order's lock (the settlement takes it too), so that of
 * concurrent refunds, and of a refund racing the settlement, each sees what the other wrote: the
 * refunds of an order never exceed its total. Before settlement the money leaves the provider's
 * escrow (the settlement then splits only what is left, charging the refunds to the responsible
 * parties' shares); after, the responsible party's earnings pay it back (they may go negative and
 * are recovered from later earnings). One ledger transaction of type refund (admin cause, the
 * reason as its note, the order's reference) and the customer's notice, in one transaction. The
 * request's idempotency key is recorded with it: sent again, the same answer and nothing more; the
 * same key for another refund is refused (IdempotencyKeyReused).
 *
 * `original` is refused (RefundToOriginalUnavailable): CinetPay's API refunds nothing, and Wave's
 * refunds a checkout session in full only; the gateway refund path (refundToGateway) settles a
 * cancelled order `refunding` through the order's state machine, which a delivered order cannot
 * enter. Reusing it for delivered orders needs a refund state of its own: not done here.
 */
export const makeAdminRefund = Effect.gen(function*() {
  const orders = yield* OrderRepository
  const deliveries = yield* DeliveryRepository
  const ledger = yield* Ledger
  const intents = yield* PaymentIntentRepository
  const users = yield* UserRepository
  const outbox = yield* OutboxStore
  const transactional = yield* Transactional
  const ids = yield* IdGenerator
  const noticeEvents = yield* makeNoticeEvents
  const refundsOf = yield* makeRefundsOf
  const requests = yield* RefundRequestStore

  return Effect.fn("Earnings.refund")(function*(admin: { readonly userId: string; readonly roles: ReadonlyArray<Role> }, orderId: string, request: RefundRequest) {
    yield* requireAdmin(admin)
    return yield* transactional.run(Effect.gen(function*() {
      const locked = yield* orders.lock(orderId)
      if (Option.isNone(locked)) return yield* new OrderNotFound()
      const order = locked.value
      // Read under the order's lock: the same request sent twice at once waits here for the first.
      const earlier = yield* requests.find(request.idempotencyKey)
      if (Option.isSome(earlier)) {
        const asked = earlier.value
        const same = asked.refunded.orderId === order.id && asked.refunded.amountXof === request.amountXof &&
          asked.refunded.responsible === request.responsible && asked.reason === request.reason && request.to === "wallet"
        if (!same) return yield* new IdempotencyKeyReused()
        return asked.refunded
      }
      if (order.paymentStatus === "refunded" || order.paymentStatus === "refunding") return yield* new OrderNotRefundable({ reason: "already_refunded" })
      if (order.paymentStatus !== "paid" || order.totals.totalXof === 0) return yield* new OrderNotRefundable({ reason: "not_paid" })
      if (order.status !== "delivered") return yield* new OrderNotRefundable({ reason: "not_delivered" })
      const refunds = yield* refundsOf(order.id)
      const refundedXof = refunds.reduce((sum, refund) => sum + refund.amountXof, 0)
      const refundableXof = xof(Math.max(0, order.totals.totalXof - refundedXof))
      if (request.to === "original") {
        const intent = yield* intents.findByOrder(order.id)
        return yield* new RefundToOriginalUnavailable({ gateway: Option.isSome(intent) ? intent.value.gateway : null })
      }
      if (!Number.isSafeInteger(request.amountXof) || request.amountXof < 1 || request.amountXof > refundableXof) {
        return yield* new RefundExceedsPaid({ refundableXof })
      }
      const settled = Option.isSome(yield* ledger.findByKey(settlementKey(order.id)))
      const source = !settled
        ? yield* ledger.escrowOf(order.providerId)
        : request.responsible === "provider"
        ? yield* ledger.providerEarningsOf(order.providerId)
        : request.responsible === "platform"
        ? yield* ledger.platformRevenue
        : yield* Effect.flatMap(deliveries.findByOrder(order.id), (delivery) =>
          // A settled order was delivered by its delivery's driver: settlement refuses an order without one.
          Option.isSome(delivery) && delivery.value.driverId !== null ? ledger.driverEarningsOf(delivery.value.driverId) : Effect.die(new Error(`settled order ${order.id} has no driver`)))
      const wallet = yield* ledger.walletOf(order.customerId)
      const now = new Date(yield* Clock.currentTimeMillis)
      const posted = yield* ledger.post<never>({
        transaction: {
          id: yield* ids.uuid,
          type: "refund",
          idempotencyKey: adminRefundKey(order.id, refunds.filter((refund) => refund.responsible !== null).length + 1, request.responsible),
          postings: [{ accountId: source.id, amountXof: xof(0 - request.amountXof) }, { accountId: wallet.id, amountXof: request.amountXof }],
          cause: { kind: "admin", id: admin.userId },
          reversesId: null,
          note: request.reason,
          reference: order.reference,
          createdAt: now
        }
      }).pipe(
        // The escrow holds what is left of this order until it settles (read above under its lock),
        // and earnings may go negative: either failing is a broken ledger, not a refusal.
        Effect.catchTags({ InsufficientFunds: Effect.die, BalanceOutOfRange: Effect.die })
      )
      const customer = yield* users.findById(order.customerId as UserId)
      if (Option.isSome(customer)) {
        yield* outbox.append(yield* noticeEvents({ aggregateType: "order", aggregateId: order.id, at: now, data: { orderId: order.id, reference: order.reference, kind: "refund" } }, [{
          person: { id: customer.value.id, phone: customer.value.phone },
          via: "push-else-sms",
          title: "Remboursement",
          body: `NELO : ${francs(request.amountXof)} de votre commande ${order.reference} sont remboursés sur votre portefeuille NELO.`
        }]))
      }
      const refunded: OrderRefunded = {
        transactionId: posted.transaction.id,
        orderId: order.id,
        reference: order.reference,
        amountXof: request.amountXof,
        responsible: request.responsible,
        to: "wallet",
        chargedTo: settled ? "earnings" : "escrow",
        refundedXof: xof(refundedXof + request.amountXof),
        refundableXof: xof(refundableXof - request.amountXof),
        createdAt: now
      }
      yield* requests.record({ idempotencyKey: request.idempotencyKey, adminId: admin.userId, reason: request.reason, refunded })
      yield* Effect.logInfo("order refunded by an admin").pipe(Effect.annotateLogs({ orderId: order.id, amountXof: request.amountXof, responsible: request.responsible, chargedTo: settled ? "earnings" : "escrow" }))
      return refunded
    }))
  })
})
