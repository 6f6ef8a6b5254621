import { Clock, Effect, Option } from "effect"
import { OutboxStore } from "../events/OutboxStore.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { Transactional } from "../shared/Transactional.ts"
import type { TransactionCause } from "../wallet/LedgerTransaction.ts"
import { Ledger } from "../wallet/Ledger.ts"
import { makeAlertEvents } from "../wallet/walletAlerts.ts"
import { WalletPolicy } from "../wallet/WalletPolicy.ts"
import { PaymentGateways } from "./PaymentGateway.ts"
import type { PaymentIntent } from "./PaymentIntent.ts"
import { PaymentIntentRepository } from "./PaymentIntentRepository.ts"
import { xof } from "../shared/Xof.ts"
import { makeSystemChange } from "../orders/changeOrder.ts"
import { OrderRepository } from "../orders/OrderRepository.ts"
import { orderPaymentKey } from "../orders/placeOrder.ts"

/** The ledger key of an intent's credit: one credit per intent, whatever the retries. */
export const topupKey = (intentId: string) => `topup:${intentId}`

export type ConfirmOutcome = "credited" | "already_settled" | "still_pending" | "failed" | "expired" | "mismatch" | "not_found"

/**
 * Asks the gateway what became of a top-up, and acts on its answer only: a webhook says something
 * happened, the gateway's API says what. Paid with the intent's amount and currency: credited once.
 * Paid with another amount or currency: nothing credited, admins alerted. Refused or expired: closed.
 * Still pending past the policy's abandon delay: expired. A payment confirmed after the intent was
 * closed is still credited (the money did arrive).
 */
export const makeConfirmTopup = Effect.gen(function*() {
  const intents = yield* PaymentIntentRepository
  const ledger = yield* Ledger
  const ids = yield* IdGenerator
  const policy = yield* WalletPolicy
  const gateways = yield* PaymentGateways
  const outbox = yield* OutboxStore
  const transactional = yield* Transactional
  const alertEvents = yield* makeAlertEvents
  const orders = yield* OrderRepository
  const systemChange = yield* makeSystemChange

  /**
   * Moves an order's payment from the gateway's clearing account into its provider's escrow, keyed
   * on the order, and marks the order paid (its provider is told, its clock starts): only while the
   * order, read under its lock, still waits for it. An order that moved on meanwhile (expired,
   * cancelled) gets nothing: the money did arrive, so it goes to the customer's wallet instead.
   */
  const payOrder = (intent: PaymentIntent, orderId: string, reference: string | null, cause: TransactionCause) =>
    Effect.gen(function*() {
      const order = yield* orders.lock(orderId)
      if (Option.isNone(order) || order.value.status !== "pending" || order.value.paymentStatus !== "awaiting") return yield* credit(intent, reference, cause)
      const [clearing, escrow] = yield* Effect.all([ledger.clearingOf(intent.gateway), ledger.escrowOf(order.value.providerId)])
      const posted = yield* ledger.post<never>({
        transaction: {
          id: yield* ids.uuid,
          type: "payment",
          idempotencyKey: orderPaymentKey(orderId),
          postings: [{ accountId: clearing.id, amountXof: xof(-intent.amountXof) }, { accountId: escrow.id, amountXof: intent.amountXof }],
          cause,
          reversesId: null,
          note: null,
          reference,
          createdAt: new Date(yield* Clock.currentTimeMillis)
        }
      })
      // Read under the same lock just above: pending and awaiting, so marking it paid cannot be refused.
      yield* systemChange(orderId, { _tag: "MarkPaid" }, `${intent.gateway}_payment`).pipe(
        Effect.catchTags({ OrderTransitionRefused: Effect.die, OrderNotCancellable: Effect.die })
      )
      return posted.transaction
    }).pipe(Effect.catchTags({ InsufficientFunds: Effect.die, BalanceOutOfRange: Effect.die }))

  /** Credits the wallet for a top-up the gateway confirmed; keyed on the intent, it happens once whatever the retries. */
  const credit = (intent: PaymentIntent, reference: string | null, cause: TransactionCause) =>
    Effect.gen(function*() {
      const [clearing, wallet] = yield* Effect.all([ledger.clearingOf(intent.gateway), ledger.walletOf(intent.userId)])
      // No guard: this money was paid; a frozen wallet still receives what its owner paid in (it
      // cannot spend it). Only transfers from others are refused to frozen wallets.
      const posted = yield* ledger.post({
        transaction: {
          id: yield* ids.uuid,
          type: "topup",
          idempotencyKey: topupKey(intent.id),
          postings: [{ accountId: clearing.id, amountXof: xof(-intent.amountXof) }, { accountId: wallet.id, amountXof: intent.amountXof }],
          cause,
          reversesId: null,
          note: null,
          reference,
          createdAt: new Date(yield* Clock.currentTimeMillis)
        }
      })
      return posted.transaction
    })

  return Effect.fn("Payments.confirmTopup")(function*(intentId: string, cause: TransactionCause) {
    const found = yield* intents.find(intentId)
    if (Option.isNone(found)) return "not_found" satisfies ConfirmOutcome as ConfirmOutcome
    const intent = found.value
    if (intent.status === "succeeded" || intent.status === "mismatch") return "already_settled"
    const nowMs = yield* Clock.currentTimeMillis
    const now = new Date(nowMs)
    const abandoned = nowMs - intent.createdAt.getTime() >= policy.topupAbandonAfterMs
    const client = gateways[intent.gateway]

    if (client === undefined) {
      // Its gateway's credentials were removed since: the payment may have happened, so nothing is
      // closed; it waits until the gateway is configured again.
      yield* Effect.logWarning("top-up waits for a gateway that is not configured").pipe(Effect.annotateLogs({ intentId: intent.id, gateway: intent.gateway }))
      return intent.status === "pending" ? "still_pending" : "already_settled"
    }
    if (intent.gatewayReference === null) {
      // No checkout was ever opened (every gateway was down): nobody can have paid.
      if (intent.status === "pending" && abandoned) {
        yield* intents.settle(intent.id, ["pending"], { status: "expired", ledgerTransactionId: null, failureReason: "aucune page de paiement ouverte" }, now)
        return "expired"
      }
      return intent.status === "pending" ? "still_pending" : "already_settled"
    }

    const status = yield* client.checkoutStatus({ intentId: intent.id, gatewayReference: intent.gatewayReference })
    switch (status.state) {
      case "succeeded": {
        if (status.amountXof !== intent.amountXof || status.currency !== intent.currency) {
          const events = yield* alertEvents(
            { type: "payment.mismatch", aggregateType: "payment_intent", aggregateId: intent.id, payload: { intentId: intent.id, expected: { amountXof: intent.amountXof, currency: intent.currency }, reported: { amountXof: status.amountXof, currency: status.currency }, gateway: intent.gateway } },
            `NELO : paiement ${intent.gateway} ${intent.id} incohérent : attendu ${intent.amountXof} XOF, reçu ${status.amountXof} ${status.currency}. Rien n'a été crédité.`
          )
          // The intent closed and its alert written together: a racing confirmation that settled it
          // first has written the alert already, and a crash writes neither (the re-check asks again).
          yield* transactional.run(Effect.gen(function*() {
            const settled = yield* intents.settle(intent.id, ["pending", "expired", "failed"], { status: "mismatch", ledgerTransactionId: null, failureReason: `montant ou devise incohérents : ${status.amountXof} ${status.currency}` }, now)
            if (settled) yield* outbox.append(events)
          }))
          yield* Effect.logError("payment amount or currency mismatch: nothing credited").pipe(Effect.annotateLogs({ intentId: intent.id, gateway: intent.gateway }))
          return "mismatch"
        }
        // The credit and the intent's settlement commit together: never a credited intent left pending.
        yield* transactional.run(Effect.gen(function*() {
          const reference = status.paymentId ?? intent.gatewayReference
          const transaction = intent.orderId === null ? yield* credit(intent, reference, cause) : yield* payOrder(intent, intent.orderId, reference, cause)
          yield* intents.settle(intent.id, ["pending", "expired", "failed"], { status: "succeeded", ledgerTransactionId: transaction.id, failureReason: null }, now)
        }))
        return "credited"
      }
      case "failed":
      case "expired":
        if (intent.status !== "pending") return "already_settled"
        yield* intents.settle(intent.id, ["pending"], { status: status.state, ledgerTransactionId: null, failureReason: status.state === "failed" ? "paiement refusé ou annulé" : "page de paiement expirée" }, now)
        return status.state
      case "pending":
        if (intent.status === "pending" && abandoned) {
          yield* intents.settle(intent.id, ["pending"], { status: "expired", ledgerTransactionId: null, failureReason: "abandonné : toujours en attente chez la passerelle" }, now)
          return "expired"
        }
        return "still_pending"
    }
  })
})

/** A top-up's confirmation, as the webhooks and the re-check receive it. */
export type ConfirmTopup = Effect.Success<typeof makeConfirmTopup>
