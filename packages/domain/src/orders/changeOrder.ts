import { Clock, Effect, Option, Result } from "effect"
import { OutboxStore } from "../events/OutboxStore.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { Transactional } from "../shared/Transactional.ts"
import { xof } from "../shared/Xof.ts"
import { Ledger } from "../wallet/Ledger.ts"
import type { Account } from "../wallet/Account.ts"
import type { TransactionCause } from "../wallet/LedgerTransaction.ts"
import { applyDecision, orderChangedEvent } from "./applyDecision.ts"
import { OrderNotFound, PreparationMinutesInvalid, RefundToOriginalUnavailable } from "./errors.ts"
import { PaymentGateways } from "../payments/PaymentGateway.ts"
import { PaymentIntentRepository } from "../payments/PaymentIntentRepository.ts"
import type { Actor, Order } from "./Order.ts"
import { OrderPolicy } from "./OrderPolicy.ts"
import { OrderRepository } from "./OrderRepository.ts"
import { decide, type OrderCommand } from "./orderStateMachine.ts"
import { makeOrderStock } from "./orderStock.ts"
import { makeOrderNoticeEvents } from "./orderNotices.ts"
import { CatalogueCache } from "../catalogue/CatalogueCache.ts"
import { PromotionRepository } from "./PromotionRepository.ts"
import { OrderFeed } from "./OrderFeed.ts"

/** The ledger key of an order's refund: one refund per order, whatever the retries. */
export const orderRefundKey = (orderId: string) => `order-refund:${orderId}`

/**
 * An order's refund in the ledger: its total from its provider's escrow to `destination` (the
 * payer's wallet, or the gateway's clearing account it goes back through), keyed on the order, so
 * that it happens once whatever the path and the retries.
 */
export const makeRefundOrder = Effect.gen(function*() {
  const ledger = yield* Ledger
  const ids = yield* IdGenerator
  return (order: Order, destination: Account, cause: TransactionCause, note: string | null, now: Date) =>
    Effect.gen(function*() {
      const escrow = yield* ledger.escrowOf(order.providerId)
      // No guard: a frozen wallet still gets back what its owner paid (it cannot spend it).
      yield* ledger.post<never>({
        transaction: {
          id: yield* ids.uuid,
          type: "refund",
          idempotencyKey: orderRefundKey(order.id),
          postings: [{ accountId: escrow.id, amountXof: xof(-order.totals.totalXof) }, { accountId: destination.id, amountXof: order.totals.totalXof }],
          cause,
          reversesId: null,
          note,
          reference: order.reference,
          createdAt: now
        }
      }).pipe(
        // The escrow holds every paid order's total until it is settled or refunded: short of it is a
        // broken ledger, not a refusal to show a customer.
        Effect.catchTags({ InsufficientFunds: Effect.die, BalanceOutOfRange: Effect.die })
      )
    })
})

const causeOf = (actor: Actor): TransactionCause =>
  actor.kind === "admin" ? { kind: "admin", id: actor.id } : actor.kind === "system" ? { kind: "system", id: actor.id } : { kind: "user", id: actor.id }

/**
 * Applies a command to an order: read under its lock (of two racing commands, the second sees what
 * the first did and is judged on that), checked by `mayAct` (who this actor is to the order: else
 * not found) and by the state machine, then written with its history row and its event in one
 * transaction. A cancellation puts the stock back, gives back the promotion's use and refunds a
 * paid order from escrow to the payer's wallet (keyed on the order: once), in that same transaction.
 */
export const makeChangeOrder = Effect.gen(function*() {
  const orders = yield* OrderRepository
  const promotions = yield* PromotionRepository
  const ledger = yield* Ledger
  const outbox = yield* OutboxStore
  const transactional = yield* Transactional
  const ids = yield* IdGenerator
  const policy = yield* OrderPolicy
  const stock = yield* makeOrderStock
  const cache = yield* CatalogueCache
  const noticeEvents = yield* makeOrderNoticeEvents
  const feed = yield* OrderFeed
  const refundOrder = yield* makeRefundOrder
  const intents = yield* PaymentIntentRepository
  const gateways = yield* PaymentGateways

  /**
   * Whether a paid order's money can go back the way it came: it was paid through a gateway whose
   * API refunds checkouts. The refund itself is asked of the gateway after the commit (the refunds
   * queue), and written when the gateway has accepted it; the escrow holds the money meanwhile.
   */
  const refundableToOriginal = (order: Order) =>
    Effect.gen(function*() {
      const intent = yield* intents.findByOrder(order.id)
      if (Option.isNone(intent) || intent.value.status !== "succeeded" || intent.value.gatewayReference === null) {
        return yield* new RefundToOriginalUnavailable({ gateway: null })
      }
      if (gateways[intent.value.gateway]?.refundCheckout === undefined) return yield* new RefundToOriginalUnavailable({ gateway: intent.value.gateway })
    })

  const refund = (order: Order, actor: Actor, now: Date) =>
    Effect.flatMap(ledger.walletOf(order.customerId), (wallet) => refundOrder(order, wallet, causeOf(actor), null, now))

  // A generic function (the error of `mayAct` flows through), so not Effect.fn: traced with a span.
  return <E>(orderId: string, command: OrderCommand, actor: Actor, mayAct: (order: Order) => Effect.Effect<boolean, E>) => Effect.gen(function*() {
    if (command._tag === "Confirm" && (!Number.isInteger(command.preparationMinutes) || command.preparationMinutes < 1 || command.preparationMinutes > policy.maximumPreparationMinutes)) {
      return yield* new PreparationMinutesInvalid({ maximum: policy.maximumPreparationMinutes })
    }
    const changed = yield* transactional.run(Effect.gen(function*() {
      const found = yield* orders.lock(orderId)
      if (Option.isNone(found) || !(yield* mayAct(found.value))) return yield* new OrderNotFound()
      const current = found.value
      const decision = decide(current, command, actor, policy)
      if (Result.isFailure(decision)) return yield* decision.failure
      const now = new Date(yield* Clock.currentTimeMillis)
      let { change, order } = applyDecision(current, decision.success, actor, now)
      if (decision.success.to === "cancelled") {
        yield* stock.release(current)
        yield* promotions.releaseUse(current.id)
        if (current.paymentStatus === "paid" && current.totals.totalXof > 0) {
          if (command._tag === "Cancel" && command.refundTo === "original") {
            yield* refundableToOriginal(current)
            order = { ...order, paymentStatus: "refunding" }
          } else {
            yield* refund(current, actor, now)
            order = { ...order, paymentStatus: "refunded" }
          }
        }
        if (current.paymentStatus === "awaiting") order = { ...order, paymentStatus: "unpaid" }
      }
      // A failed delivery refunded by the dispatch policy (the customer was not at fault).
      if (decision.success.to === "failed" && command._tag === "Fail" && command.refund === true && current.paymentStatus === "paid" && current.totals.totalXof > 0) {
        yield* refund(current, actor, now)
        order = { ...order, paymentStatus: "refunded" }
      }
      const written = yield* orders.update(order, change)
      yield* outbox.append([orderChangedEvent(yield* ids.uuid, order, written), ...(yield* noticeEvents(order, written))])
      yield* transactional.afterCommit(feed.publish({ change: written, order }))
      return order
    }))
    // The stock a cancellation gave back shows on the menu at once (after the commit, so that no
    // reader caches the old stock again).
    if (changed.status === "cancelled") yield* cache.invalidateMenu(changed.providerId)
    return changed
  }).pipe(Effect.withSpan("Orders.change", { attributes: { orderId, command: command._tag } }))
})

export type ChangeOrder = Effect.Success<typeof makeChangeOrder>

/**
 * A change the system makes (a deadline, a gateway's payment, a checkout that could not open): it
 * acts on any order, and refusals a system actor cannot meet (forbidden, awaiting payment, a
 * preparation time, an order that does not exist) are bugs. What remains for the caller is the
 * race: the order moved on meanwhile (OrderNotCancellable, OrderTransitionRefused).
 */
export const makeSystemChange = Effect.map(makeChangeOrder, (change) =>
  (orderId: string, command: OrderCommand, systemId: string) =>
    change(orderId, command, { kind: "system", id: systemId }, () => Effect.succeed(true)).pipe(
      Effect.catchTags({ OrderActionForbidden: Effect.die, OrderAwaitingPayment: Effect.die, PreparationMinutesInvalid: Effect.die, OrderNotFound: Effect.die, RefundToOriginalUnavailable: Effect.die })
    ))
