import { Effect, Layer } from "effect"
import { consumeQueue } from "@nelo/adapters/bullmq/consumeQueue"
import { EventQueueBullmq } from "@nelo/adapters/bullmq/EventQueueBullmq"
import { PaymentsLive } from "@nelo/adapters/contexts/WalletLive"
import { DeliveryLogPostgres } from "@nelo/adapters/postgres/DeliveryLogPostgres"
import { OutboxStorePostgres } from "@nelo/adapters/postgres/OutboxStorePostgres"
import { SmsSenderFromConfig } from "@nelo/adapters/sms/SmsSenderFromConfig"
import { notificationsQueue } from "@nelo/domain/events/eventRoutes"
import { deliverNotification } from "@nelo/domain/notifications/deliverNotification"
import { WorkerConfig } from "./WorkerConfig.ts"
import { outboxRelayLoop } from "./outboxRelayLoop.ts"
import { topupRecheckLoop } from "./topupRecheckLoop.ts"

/** The outbox relay, running in the background of the worker's scope. */
export const OutboxRelay = Layer.effectDiscard(Effect.gen(function*() {
  const config = yield* WorkerConfig
  yield* Effect.forkScoped(outboxRelayLoop({ batchSize: config.outboxBatchSize, pollIntervalMs: config.outboxPollIntervalMs }))
  yield* Effect.logInfo("outbox relay started")
})).pipe(Layer.provide([OutboxStorePostgres, EventQueueBullmq]))

/** The notifications consumer: each `notification.requested` event becomes one SMS (sender provided by the caller). */
export const NotificationsConsumer = Layer.effectDiscard(Effect.gen(function*() {
  const config = yield* WorkerConfig
  yield* consumeQueue(
    { queue: notificationsQueue, types: ["notification.requested"], concurrency: config.notificationsConcurrency, isPermanent: () => false },
    deliverNotification
  )
  yield* Effect.logInfo("notifications consumer started").pipe(Effect.annotateLogs({ queue: notificationsQueue }))
})).pipe(Layer.provide(DeliveryLogPostgres))

/** The safety net of top-ups: missed or unprocessed webhooks are caught up by asking the gateways. */
export const TopupRecheck = Layer.effectDiscard(Effect.gen(function*() {
  const config = yield* WorkerConfig
  yield* Effect.forkScoped(topupRecheckLoop({ batchSize: config.topupRecheckBatchSize, intervalMs: config.topupRecheckIntervalMs }))
  yield* Effect.logInfo("top-up re-check started").pipe(Effect.annotateLogs({ intervalMs: config.topupRecheckIntervalMs }))
})).pipe(Layer.provide(PaymentsLive))

/** Everything the worker process runs; needs Postgres. */
export const WorkerLayer = Layer.mergeAll(OutboxRelay, NotificationsConsumer.pipe(Layer.provide(SmsSenderFromConfig)), TopupRecheck)
