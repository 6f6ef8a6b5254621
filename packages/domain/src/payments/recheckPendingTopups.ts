import { Cause, Clock, Effect } from "effect"
import { WalletPolicy } from "../wallet/WalletPolicy.ts"
import type { ConfirmTopup } from "./confirmTopup.ts"
import { PaymentIntentRepository } from "./PaymentIntentRepository.ts"
import type { ProcessWebhook } from "./receiveWebhook.ts"
import type { RefundToGateway } from "./refundToGateway.ts"
import { OrderRepository } from "../orders/OrderRepository.ts"

/**
 * The safety net behind the webhooks: webhooks stored but never processed (a crash after the 2xx),
 * then top-ups still pending after a few minutes (a webhook never came) are confirmed with their
 * gateway; the abandoned ones expire; gateway refunds still awaited are asked again. One failure is
 * logged and does not stop the others.
 */
export const makeRecheckPendingTopups = (confirmTopup: ConfirmTopup, processWebhook: ProcessWebhook, refundToGateway: RefundToGateway) =>
  Effect.gen(function*() {
    const intents = yield* PaymentIntentRepository
    const orders = yield* OrderRepository
    const policy = yield* WalletPolicy
    return Effect.fn("Payments.recheckPendingTopups")(function*(batchSize: number) {
      const nowMs = yield* Clock.currentTimeMillis
      const tally: Record<string, number> = {}
      const count = (outcome: string) => Effect.sync(() => void (tally[outcome] = (tally[outcome] ?? 0) + 1))
      // A failure or a defect of one item is logged and counted; the pass goes on with the others.
      const logged = (subject: Record<string, string>) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        effect.pipe(Effect.catchCause((cause) => Effect.logWarning("top-up re-check failed").pipe(Effect.annotateLogs({ ...subject, error: Cause.pretty(cause) }), Effect.as("error"))))

      const events = yield* intents.unprocessedWebhooks(new Date(nowMs - 60_000), batchSize)
      yield* Effect.forEach(events, (event) => processWebhook(event).pipe(logged({ eventId: event.eventId }), Effect.flatMap(count)), { concurrency: 4 })
      // Each pending top-up is asked about at most once per recheck delay: a day of unpaid checkouts
      // costs a few hundred calls each, not one per pass.
      const recheckedBefore = new Date(nowMs - policy.topupRecheckAfterMs)
      const pending = [
        ...yield* intents.pendingBefore(recheckedBefore, recheckedBefore, batchSize),
        ...yield* intents.expiredWithCheckout(new Date(nowMs - policy.expiredTopupWatchMs), new Date(nowMs - policy.expiredTopupRecheckAfterMs), batchSize)
      ]
      yield* Effect.forEach(pending, (intent) =>
        intents.markChecked(intent.id, new Date(nowMs)).pipe(
          Effect.andThen(confirmTopup(intent.id, { kind: "system", id: "recheck-pending-topups" })),
          logged({ intentId: intent.id }),
          Effect.flatMap(count)
        ), { concurrency: 4 })
      // Gateway refunds the refunds queue gave up on (the gateway down longer than its retries):
      // asked again, at most once per recheck delay each.
      const refunding = yield* orders.awaitingRefund(recheckedBefore, batchSize)
      yield* Effect.forEach(refunding, (orderId) => refundToGateway(orderId).pipe(logged({ orderId }), Effect.flatMap(count)), { concurrency: 4 })
      return { webhooks: events.length, intents: pending.length, refunds: refunding.length, outcomes: tally }
    })
  })
