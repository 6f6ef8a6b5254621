import { Clock, Effect, Layer, Option } from "effect"
import { consumeQueue } from "@nelo/adapters/bullmq/consumeQueue"
import { EventQueueBullmq } from "@nelo/adapters/bullmq/EventQueueBullmq"
import { PaymentsLive } from "@nelo/adapters/contexts/PaymentsLive"
import { DeliveryLogPostgres } from "@nelo/adapters/postgres/DeliveryLogPostgres"
import { DeviceRepositoryPostgres } from "@nelo/adapters/postgres/DeviceRepositoryPostgres"
import { OutboxStorePostgres } from "@nelo/adapters/postgres/OutboxStorePostgres"
import { PushSenderFromConfig } from "@nelo/adapters/push/PushSenderFromConfig"
import { SmsSenderFromConfig } from "@nelo/adapters/sms/SmsSenderFromConfig"
import { dispatchQueue, notificationsQueue, orderTimersQueue, refundsQueue, settlementsQueue } from "@nelo/domain/events/eventRoutes"
import { Dispatch } from "@nelo/domain/deliveries/Dispatch"
import { consumeDispatchTimers, dispatchTimersQueue } from "@nelo/adapters/bullmq/DispatchTimersBullmq"
import { Payments } from "@nelo/domain/payments/Payments"
import { OrderTimers } from "@nelo/domain/orders/OrderTimers"
import { consumeDeadlines, orderDeadlinesQueue } from "@nelo/adapters/bullmq/OrderDeadlinesBullmq"
import { OrderTimersLive } from "@nelo/adapters/contexts/OrdersLive"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { deliverNotification } from "@nelo/domain/notifications/deliverNotification"
import { WorkerConfig } from "./WorkerConfig.ts"
import { outboxRelayLoop } from "./outboxRelayLoop.ts"
import { topupRecheckLoop } from "./topupRecheckLoop.ts"
import { silentDriversLoop } from "./silentDriversLoop.ts"
import { cashAlertLoop } from "./cashAlertLoop.ts"
import { DriverCashLive } from "@nelo/adapters/contexts/EarningsLive"
import { DriverCashPolicyFromConfig } from "@nelo/adapters/earnings/DriverCashPolicyFromConfig"
import { DeliveriesLive } from "@nelo/adapters/contexts/DeliveriesLive"
import { EarningsLive } from "@nelo/adapters/contexts/EarningsLive"
import { Earnings } from "@nelo/domain/earnings/Earnings"
import { SettlementRefused } from "@nelo/domain/earnings/errors"
import { Payouts } from "@nelo/domain/earnings/Payouts"
import { consumePayoutJobs, payoutJobs, payoutsQueue } from "@nelo/adapters/bullmq/PayoutJobsBullmq"
import { PayoutsLive } from "@nelo/adapters/contexts/EarningsLive"
import { payoutsLoop } from "./payoutsLoop.ts"

/** The outbox relay, running in the background of the worker's scope. */
export const OutboxRelay = Layer.effectDiscard(Effect.gen(function*() {
  const config = yield* WorkerConfig
  yield* Effect.forkScoped(outboxRelayLoop({ batchSize: config.outboxBatchSize, pollIntervalMs: config.outboxPollIntervalMs }))
  yield* Effect.logInfo("outbox relay started")
})).pipe(Layer.provide([OutboxStorePostgres, EventQueueBullmq]))

/**
 * The notifications consumer: each `notification.requested` event becomes one SMS, or one push to
 * each of a user's devices (an SMS when none is reached); the senders are provided by the caller.
 */
export const NotificationsConsumer = Layer.effectDiscard(Effect.gen(function*() {
  const config = yield* WorkerConfig
  yield* consumeQueue(
    { queue: notificationsQueue, types: ["notification.requested"], concurrency: config.notificationsConcurrency, isPermanent: () => false },
    deliverNotification
  )
  yield* Effect.logInfo("notifications consumer started").pipe(Effect.annotateLogs({ queue: notificationsQueue }))
})).pipe(Layer.provide([DeliveryLogPostgres, DeviceRepositoryPostgres]))

// One payments context for the worker's re-check and its refunds.
const WorkerPayments = PaymentsLive.pipe(Layer.provide(RedisClientLayer))

/**
 * The safety net of top-ups: missed or unprocessed webhooks are caught up by asking the gateways
 * (and the gateway refunds the refunds queue gave up on are asked again).
 */
export const TopupRecheck = Layer.effectDiscard(Effect.gen(function*() {
  const config = yield* WorkerConfig
  yield* Effect.forkScoped(topupRecheckLoop({ batchSize: config.topupRecheckBatchSize, intervalMs: config.topupRecheckIntervalMs }))
  yield* Effect.logInfo("top-up re-check started").pipe(Effect.annotateLogs({ intervalMs: config.topupRecheckIntervalMs }))
})).pipe(Layer.provide(WorkerPayments))

/**
 * Gateway refunds: an order cancelled with its payment going back to Wave is refunded there, then
 * settled in the ledger (refused by the gateway: to the wallet). An outage fails the job, retried
 * with its backoff; after its last attempt the re-check pass takes over.
 */
export const RefundsConsumer = Layer.effectDiscard(Effect.gen(function*() {
  const config = yield* WorkerConfig
  const payments = yield* Payments
  yield* consumeQueue(
    { queue: refundsQueue, types: ["order.cancelled"], concurrency: config.orderTimersConcurrency, isPermanent: () => false },
    (event) =>
      event.payload.paymentStatus !== "refunding" ? Effect.void : payments.refundToGateway(event.payload.orderId).pipe(
        Effect.tap((outcome) => Effect.logInfo("gateway refund settled").pipe(Effect.annotateLogs({ orderId: event.payload.orderId, outcome })))
      )
  )
  yield* Effect.logInfo("refunds consumer started").pipe(Effect.annotateLogs({ queue: refundsQueue }))
})).pipe(Layer.provide(WorkerPayments))

/**
 * The orders' timers: each order change that starts a clock schedules its deadline (a delayed job),
 * and each deadline come due is enforced (cancelled if the order still waits, else nothing).
 */
export const OrderTimersConsumers = Layer.effectDiscard(Effect.gen(function*() {
  const config = yield* WorkerConfig
  const timers = yield* OrderTimers
  yield* consumeQueue(
    { queue: orderTimersQueue, types: ["order.created", "order.paid"], concurrency: config.orderTimersConcurrency, isPermanent: () => false },
    timers.scheduleFor
  )
  yield* consumeDeadlines({ concurrency: config.orderTimersConcurrency }, (deadline) =>
    timers.enforce(deadline.orderId, deadline.kind).pipe(
      Effect.flatMap((outcome) => {
        if (typeof outcome === "string") return Effect.logInfo("order deadline enforced").pipe(Effect.annotateLogs({ orderId: deadline.orderId, kind: deadline.kind, outcome }))
        // Fired early (clocks apart): wait for the due time when it is close, else let the job's backoff bring it back.
        return Effect.flatMap(Clock.currentTimeMillis, (nowMs) => {
          const waitMs = outcome.notDueUntil.getTime() - nowMs
          return waitMs <= 60_000
            ? Effect.sleep(Math.max(0, waitMs)).pipe(Effect.andThen(timers.enforce(deadline.orderId, deadline.kind)), Effect.asVoid)
            : Effect.fail(new Error(`deadline of order ${deadline.orderId} not due before ${outcome.notDueUntil.toISOString()}`))
        })
      })
    ))
  yield* Effect.logInfo("order timers started").pipe(Effect.annotateLogs({ queues: [orderTimersQueue, orderDeadlinesQueue] }))
})).pipe(Layer.provide(OrderTimersLive.pipe(Layer.provide(RedisClientLayer))))

/** Online drivers whose phone went silent are set offline (and told by SMS): offers must not wait on them. */
export const SilentDrivers = Layer.effectDiscard(Effect.gen(function*() {
  const config = yield* WorkerConfig
  yield* Effect.forkScoped(silentDriversLoop({ intervalMs: config.silentDriversCheckIntervalMs }))
  yield* Effect.logInfo("silent drivers check started").pipe(Effect.annotateLogs({ intervalMs: config.silentDriversCheckIntervalMs }))
})).pipe(Layer.provide(DeliveriesLive.pipe(Layer.provide(RedisClientLayer))))

/**
 * Dispatch: an order confirmed gets its delivery and, in time, its offers; a batch declined or
 * released moves on at once; a cancelled order's delivery is called off; an order ready is told to
 * the driver who holds it (his live stream); and each wake-up (a delivery's start, a batch's
 * time-out, an unassigned delivery's retry) runs the next step.
 */
export const DispatchConsumers = Layer.effectDiscard(Effect.gen(function*() {
  const config = yield* WorkerConfig
  const dispatch = yield* Dispatch
  yield* consumeQueue(
    { queue: dispatchQueue, types: ["order.confirmed", "order.cancelled", "order.ready", "delivery.offer_rejected", "delivery.released"], concurrency: config.dispatchConcurrency, isPermanent: () => false },
    (event) => {
      switch (event.type) {
        case "order.confirmed":
          return dispatch.open(event).pipe(Effect.tap((outcome) => Effect.logInfo("dispatch opened").pipe(Effect.annotateLogs({ orderId: event.payload.orderId, outcome }))))
        case "order.cancelled":
          return Effect.asVoid(dispatch.cancelForOrder(event.payload.orderId))
        case "order.ready":
          return dispatch.orderReady(event.payload.orderId)
        default:
          return dispatch.advance(event.payload.deliveryId).pipe(Effect.tap((outcome) => Effect.logInfo("dispatch advanced").pipe(Effect.annotateLogs({ deliveryId: event.payload.deliveryId, after: event.type, outcome }))))
      }
    }
  )
  yield* consumeDispatchTimers({ concurrency: config.dispatchConcurrency }, (wakeUp) =>
    // Fired before its time (this host's clock behind the one that scheduled it): wait for it, or
    // the step would find nothing due and its new wake-up, under the same key, would be dropped.
    Effect.flatMap(Clock.currentTimeMillis, (nowMs) => Effect.sleep(Math.min(60_000, Math.max(0, wakeUp.at.getTime() - nowMs)))).pipe(
      Effect.andThen(dispatch.advance(wakeUp.deliveryId)),
      Effect.tap((outcome) => Effect.logInfo("dispatch woke up").pipe(Effect.annotateLogs({ deliveryId: wakeUp.deliveryId, key: wakeUp.key, outcome })))
    ))
  yield* Effect.logInfo("dispatch started").pipe(Effect.annotateLogs({ queues: [dispatchQueue, dispatchTimersQueue] }))
})).pipe(Layer.provide(DeliveriesLive.pipe(Layer.provide(RedisClientLayer))))

/**
 * Settlement: each delivered order's escrow goes to its provider's and driver's earnings and the
 * platform's revenue, in one ledger transaction keyed on the order (a replayed event settles
 * nothing twice). A settlement refused (broken data: no driver, escrow short) is kept failed for an
 * admin, not retried; an outage is retried with the job's backoff, and `nelo-admin earnings
 * settle-delivered` catches up whatever a queue gave up on.
 */
export const SettlementsConsumer = Layer.effectDiscard(Effect.gen(function*() {
  const config = yield* WorkerConfig
  const earnings = yield* Earnings
  yield* consumeQueue(
    { queue: settlementsQueue, types: ["order.delivered"], concurrency: config.settlementsConcurrency, isPermanent: (error) => error instanceof SettlementRefused },
    (event) =>
      earnings.settle(event.payload.orderId).pipe(
        Effect.tap((outcome) => Effect.logInfo("settlement done").pipe(Effect.annotateLogs({ orderId: event.payload.orderId, outcome })))
      )
  )
  yield* Effect.logInfo("settlements consumer started").pipe(Effect.annotateLogs({ queue: settlementsQueue }))
})).pipe(Layer.provide(EarningsLive))

/**
 * Payouts: the `payouts` queue runs the weekly run (PAYOUTS_SCHEDULE) and each payout's steps
 * (sent to Wave, or CinetPay when Wave is down; followed until final); the payouts' clock queues
 * them from what the store says is due, so a worker killed anywhere and started again goes on
 * where the store stands, paying nobody twice (the gateways are asked with the payout's id).
 */
export const PayoutsWorker = Layer.effectDiscard(Effect.gen(function*() {
  const config = yield* WorkerConfig
  const payouts = yield* Payouts
  const queue = yield* payoutJobs
  yield* consumePayoutJobs({ concurrency: config.payoutsConcurrency }, (job) =>
    job.kind === "run"
      ? payouts.startRun(job.startedBy).pipe(
        Effect.tap(Option.match({
          onNone: () => Effect.logWarning("payout run skipped: no payout gateway configured (pay by hand: nelo-admin payouts export)"),
          onSome: (report) =>
            Effect.logInfo("payout run made").pipe(
              Effect.annotateLogs({ runId: report.run.id, payouts: report.payouts.length, totalXof: report.totalXof, withoutNumber: report.withoutNumber, held: report.held }),
              Effect.andThen(Effect.forEach(report.payouts, (payout) => queue.add({ kind: "advance", payoutId: payout.id }, `advance-${payout.id}-0`), { discard: true, concurrency: 16 }))
            )
        }))
      )
      : payouts.advance(job.payoutId).pipe(
        Effect.tap(Option.match({
          onNone: () => Effect.void,
          onSome: (step) => Effect.logInfo("payout step").pipe(Effect.annotateLogs({ payoutId: job.payoutId, status: step.payout.status, gateway: step.payout.gateway, checkAgainInMs: step.checkAgainInMs }))
        }))
      ))
  yield* Effect.forkScoped(payoutsLoop({ intervalMs: config.payoutsSweepIntervalMs, batchSize: config.payoutsBatchSize, slot: config.payoutsSchedule, add: queue.add }))
  yield* Effect.logInfo("payouts started").pipe(Effect.annotateLogs({ queue: payoutsQueue, schedule: config.payoutsSchedule === null ? "off" : config.payoutsSchedule }))
})).pipe(Layer.provide(PayoutsLive))

/**
 * The drivers' cash alert: once a day at EARNINGS_CASH_ALERT_AT (Abidjan), one SMS to the alert
 * phones naming the drivers over the cap or holding cash longer than EARNINGS_CASH_MAX_AGE_HOURS
 * (through the outbox, as every notification); once per day whatever the restarts.
 */
export const CashAlert = Layer.effectDiscard(Effect.gen(function*() {
  yield* Effect.forkScoped(cashAlertLoop)
  yield* Effect.logInfo("drivers' cash alert scheduled")
})).pipe(Layer.provide(Layer.mergeAll(DriverCashLive, DriverCashPolicyFromConfig)))

/** Everything the worker process runs; needs Postgres. */
export const WorkerLayer = Layer.mergeAll(
  OutboxRelay,
  NotificationsConsumer.pipe(Layer.provide([SmsSenderFromConfig, PushSenderFromConfig])),
  TopupRecheck,
  RefundsConsumer,
  OrderTimersConsumers,
  SilentDrivers,
  DispatchConsumers,
  SettlementsConsumer,
  CashAlert,
  PayoutsWorker
)
