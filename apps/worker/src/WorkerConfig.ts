import { Config } from "effect"

export const WorkerConfig = Config.all({
  /** How often the relay looks for new outbox events when the last pass found few. */
  outboxPollIntervalMs: Config.Int("OUTBOX_POLL_INTERVAL_MS").pipe(Config.withDefault(200)),
  outboxBatchSize: Config.Int("OUTBOX_BATCH_SIZE").pipe(Config.withDefault(100)),
  notificationsConcurrency: Config.Int("NOTIFICATIONS_CONCURRENCY").pipe(Config.withDefault(4)),
  /** How often pending top-ups are re-checked with their gateway (a webhook may have been missed). */
  topupRecheckIntervalMs: Config.Int("TOPUP_RECHECK_INTERVAL_MS").pipe(Config.withDefault(60_000)),
  /** Stored webhooks, then pending top-ups, handled per pass (each a batch of this size). */
  topupRecheckBatchSize: Config.Int("TOPUP_RECHECK_BATCH_SIZE").pipe(Config.withDefault(100))
})
export type WorkerConfig = Config.Success<typeof WorkerConfig>
