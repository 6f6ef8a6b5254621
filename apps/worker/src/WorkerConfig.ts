import { Config, Schema } from "effect"

// Zero or a negative number would make a loop spin without pause, or silently turn a job off.
const positive = (name: string, fallback: number) =>
  Config.schema(Schema.Int.pipe(Schema.check(Schema.isGreaterThan(0))), name).pipe(Config.withDefault(fallback))

export const WorkerConfig = Config.all({
  /** How often the relay looks for new outbox events when the last pass found few. */
  outboxPollIntervalMs: positive("OUTBOX_POLL_INTERVAL_MS", 200),
  outboxBatchSize: positive("OUTBOX_BATCH_SIZE", 100),
  notificationsConcurrency: positive("NOTIFICATIONS_CONCURRENCY", 4),
  /** Order deadlines scheduled and enforced at once (each a short database transaction). */
  orderTimersConcurrency: positive("ORDER_TIMERS_CONCURRENCY", 4),
  /** Delivered orders settled at once (each one ledger transaction under its provider's escrow lock). */
  settlementsConcurrency: positive("SETTLEMENTS_CONCURRENCY", 4),
  /** Dispatch steps run at once (each a short transaction under its delivery's lock). */
  dispatchConcurrency: positive("DISPATCH_CONCURRENCY", 8),
  /** How often pending top-ups are re-checked with their gateway (a webhook may have been missed). */
  topupRecheckIntervalMs: positive("TOPUP_RECHECK_INTERVAL_MS", 60_000),
  /** Stored webhooks, then pending top-ups, handled per pass (each a batch of this size). */
  topupRecheckBatchSize: positive("TOPUP_RECHECK_BATCH_SIZE", 100),
  /** How often online drivers are checked for silence (set offline after DRIVERS_OFFLINE_AFTER_SILENCE_MS). */
  silentDriversCheckIntervalMs: positive("SILENT_DRIVERS_CHECK_INTERVAL_MS", 60_000)
})
export type WorkerConfig = Config.Success<typeof WorkerConfig>
